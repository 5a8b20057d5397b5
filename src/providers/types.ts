/**
 * What every provider implements. A provider turns a normalized chat request into the
 * normalized event stream of `core/events.ts`; it never writes wire text.
 */
import type { EventStream } from '../core/events.js';

export type ChatRole = 'system' | 'developer' | 'user' | 'assistant' | 'tool' | 'function';

/** A content part as OpenAI sends it (`{type: 'text', text}`, `{type: 'image_url', ...}`). */
export interface ContentPart {
  type: string;
  text?: string;
  [key: string]: unknown;
}

/** A function call an assistant message made, in OpenAI's shape (`arguments` is JSON text). */
export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

/**
 * A message in OpenAI's shape, as the client sent it (OpenAI-compatible upstreams get it
 * as it is): an assistant message may carry `tool_calls` (and null content), a `tool`
 * message answers the call named by `tool_call_id`.
 */
export interface ChatMessage {
  role: ChatRole;
  content: string | ContentPart[] | null;
  name?: string;
  tool_calls?: ToolCall[];
  tool_call_id?: string;
  /** DeepSeek's chat prefix completion (beta): this trailing assistant message is a prefix to continue. */
  prefix?: boolean;
  /** DashScope's partial mode: this trailing assistant message is a prefix to continue. */
  partial?: boolean;
}

/** A function the model may call; `parameters` is a JSON Schema of its arguments object. */
export interface ToolDefinition {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean;
}

/** Whether the model may call tools (`auto`), must not (`none`), must call one (`required`), or must call the named one. */
export type ToolChoice = 'auto' | 'none' | 'required' | { name: string };

/** Options of the built-in simulator (`sim` in a request, see interfaces.md). */
export interface SimOptions {
  tokensPerSecond?: number;
  firstTokenMs?: number;
  fault?: SimFault;
}

export type SimFault = 'error_before_first_token' | 'error_mid_stream' | 'stall' | 'rate_limited';

export interface ChatRequest {
  /** The model name the upstream is asked for. */
  model: string;
  messages: ChatMessage[];
  maxTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  stop?: string[];
  seed?: number;
  presencePenalty?: number;
  frequencyPenalty?: number;
  user?: string;
  /** Functions the model may call. */
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  /** `false`: at most one tool call per answer. */
  parallelToolCalls?: boolean;
  /** Other OpenAI parameters, passed verbatim to OpenAI-compatible upstreams. */
  extra?: Record<string, unknown>;
  /**
   * The model's `params` from the config: extra body fields sent upstream as they are
   * (`enable_thinking`, Anthropic's `thinking`, …), as defaults the request's own values override.
   */
  params?: Record<string, unknown>;
  /** Only read by the simulator. */
  sim?: SimOptions;
}

export interface StreamCallOptions {
  /** Aborted when the client leaves: the provider must stop all work and I/O. */
  signal: AbortSignal;
}

export interface LanguageModelProvider {
  /** The provider id from the config (`sim` for the built-in simulator). */
  readonly id: string;
  /**
   * Streams one completion. Errors before the first event are thrown (so the route can
   * still answer with an HTTP status and fallbacks can be tried); after it, the stream
   * ends with an `error` event. Events come in batches (`EventBatch`): hand on together
   * what arrived together.
   */
  stream(request: ChatRequest, options: StreamCallOptions): EventStream;
  /**
   * Whether `ChatRequest.extra` (OpenAI parameters such as `logprobs`, `response_format`)
   * reaches the model as it is. When not, requests that depend on them are refused.
   */
  readonly forwardsExtra?: boolean;
  /** Whether the model can call the request's `tools`. When not, a request that demands a call is refused. */
  readonly callsTools?: boolean;
  /** Whether images in messages reach the model. When not, a request with images is refused. */
  readonly seesImages?: boolean;
  /** Retries on 429/5xx/connection errors before the first event (`maxRetries` in the config; 0 when absent). */
  readonly maxRetries?: number;
  /** Releases pooled connections when the server shuts down. */
  close?(): Promise<void>;
}

/** The text of a message, content parts joined. */
export function messageText(message: ChatMessage): string {
  const { content } = message;
  if (content === null) return '';
  if (typeof content === 'string') return content;
  let out = '';
  for (const part of content) if (typeof part.text === 'string') out += part.text;
  return out;
}
