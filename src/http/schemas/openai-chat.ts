/** `POST /v1/chat/completions`: OpenAI's request, unknown fields ignored as OpenAI does. */
import { z } from 'zod';
import type { ChatRequest } from '../../providers/types.js';
import { numberIn } from '../validation.js';
import { copySharedChatFields, MAX_MESSAGES, reasoningFormatSchema, resumableSchema, simOptionsSchema, stopSchema } from './common.js';
import { chatMessageSchema, checkToolChoice, toChatMessages, toolChoiceSchema, toolsSchema, toToolChoice, toToolDefinitions } from './openai-tools.js';

/** OpenAI parameters streamgate does not interpret but passes to OpenAI-compatible upstreams. */
const PASSTHROUGH = [
  'logit_bias', 'logprobs', 'top_logprobs', 'response_format',
  'service_tier', 'reasoning_effort', 'metadata', 'store', 'modalities', 'audio', 'prediction',
  'web_search_options', 'verbosity', 'functions', 'function_call',
] as const;

const chatRequestFields = z.looseObject({
  model: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  messages: z
    .array(chatMessageSchema)
    .min(1, { error: 'must have at least 1 item' })
    .max(MAX_MESSAGES, { error: `must have at most ${MAX_MESSAGES} items` }),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: numberIn({ gte: 1 }, true).nullish(),
  max_completion_tokens: numberIn({ gte: 1 }, true).nullish(),
  temperature: numberIn({ gte: 0, lte: 2 }).nullish(),
  top_p: numberIn({ gte: 0, lte: 1 }).nullish(),
  top_k: numberIn({ gte: 1 }, true).nullish(),
  n: z.literal(1, { error: 'must be 1 (streamgate returns one choice)' }).nullish(),
  stop: stopSchema,
  seed: z.int().nullish(),
  presence_penalty: numberIn({ gte: -2, lte: 2 }).nullish(),
  frequency_penalty: numberIn({ gte: -2, lte: 2 }).nullish(),
  user: z.string().nullish(),
  reasoning_format: reasoningFormatSchema.nullish(),
  resumable: resumableSchema,
  sim: simOptionsSchema.nullable(),
  tools: toolsSchema,
  tool_choice: toolChoiceSchema,
  parallel_tool_calls: z.boolean().nullish(),
  response_format: z.looseObject({ type: z.enum(['text', 'json_object', 'json_schema']) }).nullish(),
});

export const openAIChatRequestSchema = chatRequestFields.superRefine(checkToolChoice);

export type OpenAIChatRequest = z.output<typeof openAIChatRequestSchema>;

/** The normalized request a provider gets (without the upstream model name). */
export function toChatRequest(body: OpenAIChatRequest): Omit<ChatRequest, 'model'> {
  const extra: Record<string, unknown> = {};
  for (const key of PASSTHROUGH) if (body[key] !== undefined) extra[key] = body[key];
  const request: Omit<ChatRequest, 'model'> = { messages: toChatMessages(body.messages) };
  const tools = toToolDefinitions(body.tools);
  if (tools) request.tools = tools;
  const toolChoice = toToolChoice(body.tool_choice);
  if (toolChoice) request.toolChoice = toolChoice;
  if (body.parallel_tool_calls != null) request.parallelToolCalls = body.parallel_tool_calls;
  const maxTokens = body.max_completion_tokens ?? body.max_tokens;
  if (maxTokens != null) request.maxTokens = maxTokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  copySharedChatFields(body, request);
  if (Object.keys(extra).length > 0) request.extra = extra;
  return request;
}
