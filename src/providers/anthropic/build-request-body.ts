/**
 * The body of `POST /v1/messages`. Anthropic requires `max_tokens`: the client's, else the
 * model's `params.max_tokens`, else `DEFAULT_MAX_TOKENS`. Its temperature range is 0–1
 * where OpenAI's is 0–2, so higher values are capped. Tools are translated by `convert-tools.ts`.
 */
import type { ChatRequest } from '../types.js';
import { convertMessages } from './convert-messages.js';
import { convertTools } from './convert-tools.js';

export const DEFAULT_MAX_TOKENS = 4096;

export function buildAnthropicRequestBody(request: ChatRequest): Record<string, unknown> {
  const params = request.params ?? {};
  const { system, messages } = convertMessages(request.messages);
  const body: Record<string, unknown> = { ...params };
  body.model = request.model;
  body.messages = messages;
  if (system !== undefined) body.system = system;
  body.max_tokens = request.maxTokens ?? params.max_tokens ?? DEFAULT_MAX_TOKENS;
  if (request.temperature !== undefined) body.temperature = Math.min(1, request.temperature);
  if (request.topP !== undefined) body.top_p = request.topP;
  if (request.topK !== undefined) body.top_k = request.topK;
  if (request.stop && request.stop.length > 0) body.stop_sequences = request.stop;
  Object.assign(body, convertTools(request));
  if (request.user !== undefined) body.metadata = { ...(params.metadata as object | undefined), user_id: request.user };
  body.stream = true;
  return body;
}
