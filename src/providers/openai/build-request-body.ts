/**
 * The body of `POST /chat/completions` for an OpenAI-compatible upstream: the client's
 * messages as they came, the sampling parameters it set, always streaming, and always
 * asking for usage (`stream_options.include_usage`) so streamgate knows the token counts
 * even when the client did not ask for them. Tools go back into OpenAI's shape.
 */
import type { ProviderConfig } from '../../config/schema.js';
import type { ChatRequest, ToolChoice } from '../types.js';

export interface OpenAIBodyOptions {
  /** Where the token limit goes: `max_tokens` (most compatible servers) or `max_completion_tokens` (OpenAI's reasoning models). */
  maxTokensField: ProviderConfig['maxTokensField'];
}

export function buildOpenAIRequestBody(request: ChatRequest, options: OpenAIBodyOptions = { maxTokensField: 'max_tokens' }): Record<string, unknown> {
  const body: Record<string, unknown> = { ...request.params, ...request.extra };
  body.model = request.model;
  body.messages = request.messages;
  set(body, options.maxTokensField, request.maxTokens);
  set(body, 'temperature', request.temperature);
  set(body, 'top_p', request.topP);
  set(body, 'top_k', request.topK);
  set(body, 'stop', request.stop && request.stop.length > 0 ? request.stop : undefined);
  set(body, 'seed', request.seed);
  set(body, 'presence_penalty', request.presencePenalty);
  set(body, 'frequency_penalty', request.frequencyPenalty);
  set(body, 'user', request.user);
  if (request.tools && request.tools.length > 0) {
    // OpenAI refuses tool_choice and parallel_tool_calls without tools, so they go only with them.
    body.tools = request.tools.map((fn) => ({ type: 'function', function: fn }));
    set(body, 'tool_choice', toOpenAIToolChoice(request.toolChoice));
    set(body, 'parallel_tool_calls', request.parallelToolCalls);
  }
  body.stream = true;
  body.stream_options = { ...(body.stream_options as object | undefined), include_usage: true };
  return body;
}

function set(body: Record<string, unknown>, key: string, value: unknown): void {
  if (value !== undefined) body[key] = value;
}

function toOpenAIToolChoice(choice: ToolChoice | undefined): unknown {
  return typeof choice === 'object' ? { type: 'function', function: { name: choice.name } } : choice;
}
