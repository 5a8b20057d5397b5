/**
 * `POST /v1/messages`: Anthropic's Messages request, validated (a 400 names the field)
 * and translated into the normalized chat request: `system` (a string or text blocks)
 * becomes a system message, `tool_use` blocks assistant `tool_calls`, `tool_result`
 * blocks `tool` messages, images image parts; earlier `thinking` blocks are dropped (only
 * Claude takes them back, and Claude gets the request as it is: `anthropic-passthrough.ts`).
 */
import { z } from 'zod';
import type { ChatMessage, ChatRequest, ContentPart, ToolChoice, ToolDefinition } from '../../providers/types.js';
import { numberIn } from '../validation.js';
import { MAX_MESSAGES, simOptionsSchema, toSimOptions } from './common.js';
import { MAX_TOOLS } from './openai-tools.js';

const textBlock = z.looseObject({ type: z.literal('text'), text: z.string({ error: 'must be a string' }) });
const imageBlock = z.looseObject({
  type: z.literal('image'),
  source: z.union(
    [
      z.looseObject({ type: z.literal('base64'), media_type: z.string().min(1), data: z.string().min(1) }),
      z.looseObject({ type: z.literal('url'), url: z.string().min(1) }),
    ],
    { error: 'must be {"type": "base64", "media_type", "data"} or {"type": "url", "url"}' },
  ),
});
const toolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string().min(1, { error: 'must not be empty' }),
  name: z.string().min(1, { error: 'must not be empty' }),
  input: z.record(z.string(), z.unknown(), { error: 'must be an object' }),
});
const toolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1, { error: 'must not be empty' }),
  content: z.union([z.string(), z.array(z.union([textBlock, imageBlock], { error: 'must be a text or image block' }))]).optional(),
  is_error: z.boolean().optional(),
});
const thinkingBlock = z.looseObject({ type: z.enum(['thinking', 'redacted_thinking']) });

const BLOCK_TYPES = ['text', 'image', 'tool_use', 'tool_result', 'thinking', 'redacted_thinking'];
const block = z.union([textBlock, imageBlock, toolUseBlock, toolResultBlock, thinkingBlock], {
  error: `must be a content block of type ${BLOCK_TYPES.map((t) => JSON.stringify(t)).join(', ')}`,
});

// Claude Code also sends `system` messages between the turns (context it adds as it goes).
const message = z.looseObject({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(block)], { error: 'must be a string or an array of content blocks' }),
});

const tool = z.looseObject({
  name: z.string({ error: 'must be a string' }).regex(/^[a-zA-Z0-9_-]{1,128}$/, { error: 'must be 1 to 128 letters, digits, underscores or dashes' }),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown(), { error: 'must be a JSON Schema object (server tools such as web_search are only offered by Claude models)' }),
});

const toolChoice = z.union(
  [
    z.looseObject({ type: z.enum(['auto', 'any', 'none']), disable_parallel_tool_use: z.boolean().optional() }),
    z.looseObject({ type: z.literal('tool'), name: z.string().min(1), disable_parallel_tool_use: z.boolean().optional() }),
  ],
  { error: 'must be {"type": "auto"}, {"type": "any"}, {"type": "none"} or {"type": "tool", "name": "…"}' },
);

export const messagesRequestSchema = z
  .looseObject({
    model: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
    max_tokens: numberIn({ gte: 1 }, true),
    messages: z.array(message).min(1, { error: 'must have at least 1 item' }).max(MAX_MESSAGES, { error: `must have at most ${MAX_MESSAGES} items` }),
    system: z.union([z.string(), z.array(textBlock)], { error: 'must be a string or an array of text blocks' }).optional(),
    stop_sequences: z.array(z.string(), { error: 'must be an array of strings' }).max(16, { error: 'must have at most 16 sequences' }).optional(),
    stream: z.boolean().optional(),
    temperature: numberIn({ gte: 0, lte: 1 }).optional(),
    top_p: numberIn({ gte: 0, lte: 1 }).optional(),
    top_k: numberIn({ gte: 0 }, true).optional(),
    tools: z.array(tool, { error: 'must be an array of tools' }).max(MAX_TOOLS, { error: `must have at most ${MAX_TOOLS} tools` }).optional(),
    tool_choice: toolChoice.optional(),
    thinking: z.looseObject({ type: z.string() }).optional(),
    metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
    sim: simOptionsSchema.nullable(),
  })
  .superRefine((body, ctx) => {
    const choice = body.tool_choice;
    if (choice?.type === 'tool' && !(body.tools ?? []).some((t) => t.name === choice.name)) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice', 'name'], input: choice.name, message: `tool_choice.name ${JSON.stringify(choice.name)} is not one of the tools in 'tools'.` });
    }
  });

export type MessagesRequestBody = z.output<typeof messagesRequestSchema>;

/** `POST /v1/messages/count_tokens`: the same request without `max_tokens`. */
export const countTokensRequestSchema = z.looseObject({
  model: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  messages: z.array(message).min(1, { error: 'must have at least 1 item' }).max(MAX_MESSAGES),
  system: z.union([z.string(), z.array(textBlock)]).optional(),
  tools: z.array(tool).max(MAX_TOOLS).optional(),
});

export type CountTokensRequestBody = z.output<typeof countTokensRequestSchema>;

type Blocks = z.output<typeof message>['content'];

/** The request's conversation as chat messages (the system prompt first). */
export function toMessagesChat(body: Pick<MessagesRequestBody, 'system' | 'messages'>): ChatMessage[] {
  const out: ChatMessage[] = [];
  const system = typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text).join('\n\n');
  if (system) out.push({ role: 'system', content: system });
  for (const m of body.messages) out.push(...toChatMessages(m.role, m.content));
  return out;
}

export function toMessagesChatRequest(body: MessagesRequestBody): Omit<ChatRequest, 'model'> {
  const request: Omit<ChatRequest, 'model'> = { messages: toMessagesChat(body), maxTokens: body.max_tokens };
  if (body.stop_sequences && body.stop_sequences.length > 0) request.stop = body.stop_sequences;
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.topP = body.top_p;
  if (body.top_k !== undefined && body.top_k > 0) request.topK = body.top_k;
  if (body.metadata?.user_id) request.user = body.metadata.user_id;
  const tools: ToolDefinition[] = (body.tools ?? []).map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}), parameters: t.input_schema }));
  if (tools.length > 0) request.tools = tools;
  const choice = body.tool_choice;
  if (choice) {
    const map: Record<string, ToolChoice> = { auto: 'auto', any: 'required', none: 'none' };
    request.toolChoice = choice.type === 'tool' ? { name: choice.name } : (map[choice.type] as ToolChoice);
    if (choice.disable_parallel_tool_use) request.parallelToolCalls = false;
  }
  const sim = toSimOptions(body.sim ?? undefined);
  if (sim) request.sim = sim;
  return request;
}

function toChatMessages(role: 'user' | 'assistant' | 'system', content: Blocks): ChatMessage[] {
  if (typeof content === 'string') return [{ role, content }];
  const out: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  const calls: NonNullable<ChatMessage['tool_calls']> = [];
  for (const b of content) {
    switch (b.type) {
      case 'text':
        parts.push({ type: 'text', text: b.text });
        break;
      case 'image':
        parts.push(imagePart(b));
        break;
      case 'tool_use':
        calls.push({ id: b.id, type: 'function', function: { name: b.name, arguments: JSON.stringify(b.input) } });
        break;
      case 'tool_result': {
        const result = typeof b.content === 'string' || b.content === undefined ? (b.content ?? '') : b.content.map((c) => (c.type === 'text' ? { type: 'text', text: c.text } : imagePart(c)));
        // Tool results answer the calls of the turn before: they come before the user's own words.
        out.push({ role: 'tool', tool_call_id: b.tool_use_id, content: b.is_error && typeof result === 'string' ? `Error: ${result}` : result });
        break;
      }
      default:
        // Earlier thinking: only Claude takes it back.
        break;
    }
  }
  if (role === 'assistant') {
    const text = parts.map((p) => p.text ?? '').join('');
    if (text || calls.length > 0) out.push({ role, content: text || null, ...(calls.length > 0 ? { tool_calls: calls } : {}) });
  } else if (role === 'system') {
    const text = parts.map((p) => p.text ?? '').join('');
    if (text) out.push({ role, content: text });
  } else if (parts.length > 0) {
    out.push({ role, content: parts.every((p) => p.type === 'text') ? parts.map((p) => p.text).join('') : parts });
  }
  return out;
}

function imagePart(b: z.output<typeof imageBlock>): ContentPart {
  const source = b.source;
  const url = source.type === 'base64' ? `data:${source.media_type};base64,${source.data}` : source.url;
  return { type: 'image_url', image_url: { url } };
}
