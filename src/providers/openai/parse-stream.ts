/**
 * An OpenAI-compatible chunk stream (`chat.completion.chunk` JSON in `data:` lines, then
 * `[DONE]`) as normalized events. Thinking may come in `delta.reasoning_content` (DeepSeek,
 * DashScope, older vLLM) or `delta.reasoning` (newer vLLM, OpenRouter): both become
 * `reasoning-delta`. Thinking inside `<think>` tags stays text here; `core/split-reasoning.ts`
 * splits it by the model's `reasoning` mode. `delta.tool_calls` become `tool-call-delta`s
 * (see `tool-call-deltas.ts`). Pure: no I/O.
 */
import type { FinishReason, StreamEvent, Usage } from '../../core/events.js';
import { UpstreamError } from '../../core/errors.js';
import { upstreamErrorMessage } from '../http/upstream-error.js';
import { mapOpenAIFinishReason } from './map-finish-reason.js';
import { createToolCallDeltas, type ToolCallChunk } from './tool-call-deltas.js';
import { createChunkScanner } from './fast-chunk.js';

/** The fields of a chunk this parser reads. */
interface Chunk {
  choices?: Array<{
    delta?: { content?: unknown; reasoning_content?: unknown; reasoning?: unknown; tool_calls?: ToolCallChunk[] | null } | null;
    finish_reason?: string | null;
    stop_reason?: unknown;
  }>;
  usage?: {
    prompt_tokens?: number;
    completion_tokens?: number;
    completion_tokens_details?: { reasoning_tokens?: number } | null;
  } | null;
  error?: { message?: string } | string;
}

/** Fields that carry thinking, in the order they are looked up. */
const REASONING_FIELDS = ['reasoning_content', 'reasoning'] as const;

export interface OpenAIStreamParser {
  /**
   * One SSE `data:` payload (and the message's `event:` name); returns the events it
   * completes. Throws on an error chunk, an `event: error` message whatever its shape, or bad JSON.
   */
  push(data: string, event?: string): StreamEvent[];
  /** The body ended; returns the last events, or throws if the stream stopped before its end. */
  end(): StreamEvent[];
}

export interface OpenAIStreamParserOptions {
  /**
   * Reads a content-only chunk without `JSON.parse`: its text, or `undefined` for any other
   * chunk (which then takes the exact path). A `createChunkScanner()` of the parser's own
   * unless given; `null` turns the fast path off (the property tests compare both).
   */
  scanChunk?: ((data: string) => string | undefined) | null;
}

export function createOpenAIStreamParser(providerId: string, options: OpenAIStreamParserOptions = {}): OpenAIStreamParser {
  const scanChunk = options.scanChunk === undefined ? createChunkScanner() : options.scanChunk;
  let finish: FinishReason | undefined;
  let done = false;
  const toolCalls = createToolCallDeltas();

  return {
    push(data, event) {
      if (done) return [];
      if (event === 'error') {
        const said = upstreamErrorMessage(data) ?? 'no details';
        throw new UpstreamError(`Upstream "${providerId}" failed mid-stream: ${said.slice(0, 1000)}`, { code: 'upstream_error' });
      }
      // `[DONE]`, possibly padded: trimmed only when short, not every chunk.
      if (data.length < 16 && data.trim() === '[DONE]') {
        done = true;
        return finishEvents();
      }
      // Most chunks carry only answer text: read without building the object (`fast-chunk.ts`).
      const fast = scanChunk === null ? undefined : scanChunk(data);
      if (fast !== undefined) return fast.length > 0 ? [{ type: 'text-delta', text: fast }] : [];
      const chunk = parseChunk(data, providerId);
      const events: StreamEvent[] = [];
      const choice = chunk.choices?.[0];
      const delta = choice?.delta;
      if (delta) {
        // Servers moving from one name to the other send both with the same text: take one.
        for (const field of REASONING_FIELDS) {
          const text = delta[field];
          if (typeof text === 'string' && text.length > 0) {
            events.push({ type: 'reasoning-delta', text });
            break;
          }
        }
        if (typeof delta.content === 'string' && delta.content.length > 0) events.push({ type: 'text-delta', text: delta.content });
        if (Array.isArray(delta.tool_calls)) toolCalls.push(delta.tool_calls, events);
      }
      if (choice?.finish_reason) finish = mapOpenAIFinishReason(choice.finish_reason, choice.stop_reason);
      const usage = chunk.usage ? toUsage(chunk.usage) : undefined;
      // Some servers repeat their running total on every chunk: each is passed on (a usage
      // event replaces the one before), so a total that did not change still covers the
      // text that came with it.
      if (usage) events.push({ type: 'usage', usage });
      return events;
    },
    end() {
      if (done) return [];
      done = true;
      // No `[DONE]`: a stream that reached its finish reason is complete (some servers
      // omit `[DONE]`); one that did not was cut off.
      if (finish === undefined) throw new UpstreamError(`Upstream "${providerId}" ended the stream before it finished`, { code: 'upstream_incomplete' });
      return finishEvents();
    },
  };

  function finishEvents(): StreamEvent[] {
    if (finish === undefined) throw new UpstreamError(`Upstream "${providerId}" ended the stream without a finish reason`, { code: 'upstream_incomplete' });
    return [{ type: 'finish', reason: finish }];
  }
}

function parseChunk(data: string, providerId: string): Chunk {
  let chunk: Chunk;
  try {
    chunk = JSON.parse(data) as Chunk;
  } catch {
    throw new UpstreamError(`Upstream "${providerId}" sent malformed data: ${data.slice(0, 200)}`, { code: 'upstream_malformed' });
  }
  if (chunk === null || typeof chunk !== 'object') {
    throw new UpstreamError(`Upstream "${providerId}" sent malformed data: ${data.slice(0, 200)}`, { code: 'upstream_malformed' });
  }
  if (chunk.error !== undefined && chunk.error !== null) {
    const message = typeof chunk.error === 'string' ? chunk.error : (chunk.error.message ?? JSON.stringify(chunk.error));
    throw new UpstreamError(`Upstream "${providerId}" failed mid-stream: ${message}`, { code: 'upstream_error' });
  }
  return chunk;
}

function toUsage(u: NonNullable<Chunk['usage']>): Usage | undefined {
  if (typeof u.prompt_tokens !== 'number' && typeof u.completion_tokens !== 'number') return undefined;
  const usage: Usage = { promptTokens: u.prompt_tokens ?? 0, completionTokens: u.completion_tokens ?? 0 };
  const reasoning = u.completion_tokens_details?.reasoning_tokens;
  if (typeof reasoning === 'number') usage.reasoningTokens = reasoning;
  return usage;
}
