/**
 * `POST /v1/responses`: OpenAI's Responses request, validated (a 400 names the field) and
 * translated into the normalized chat request. `input` is a string or items: messages
 * (text and image parts), `function_call` / `function_call_output`, `custom_tool_call` /
 * `custom_tool_call_output`, and `reasoning` items (accepted and dropped: no model behind
 * takes earlier thinking). `custom` tools become functions with one string argument
 * `input`. Fields that do not change the answer (`prompt_cache_key`, `service_tier`,
 * `user`, `metadata`, `truncation`, …) are accepted and ignored, as Codex sends them.
 */
import { z } from 'zod';
import { InvalidRequestError } from '../../core/errors.js';
import type { ChatMessage, ChatRequest, ContentPart, ToolChoice, ToolDefinition } from '../../providers/types.js';
import type { OfferedTool, ResponseSettings } from '../../encoders/responses-encoder.js';
import { numberIn } from '../validation.js';
import { MAX_MESSAGES, simOptionsSchema, toSimOptions } from './common.js';
import { MAX_TOOLS } from './openai-tools.js';

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const functionName = z.string({ error: 'must be a string' }).regex(FUNCTION_NAME, { error: 'must be 1 to 64 letters, digits, underscores or dashes' });

const textPart = z.looseObject({ type: z.enum(['input_text', 'output_text', 'text']), text: z.string({ error: 'must be a string' }) });
const imagePart = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string({ error: 'must be a URL or a data: URL (file_id images are not supported)' }),
  detail: z.string().nullish(),
});
const refusalPart = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });
const contentPart = z.union([textPart, imagePart, refusalPart], {
  error: 'must be a content part of type "input_text", "output_text" or "input_image" (with image_url)',
});

const messageItem = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(contentPart)], { error: 'must be a string or an array of content parts' }),
});
const outputText = z.union([z.string(), z.array(contentPart)], { error: 'must be a string or an array of content parts' });
const functionCallItem = z.looseObject({
  type: z.literal('function_call'),
  namespace: z.string().nullish(),
  call_id: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  arguments: z.string({ error: 'must be a string (the JSON text of the arguments)' }),
});
const functionCallOutputItem = z.looseObject({ type: z.literal('function_call_output'), call_id: z.string().min(1, { error: 'must not be empty' }), output: outputText });
const customCallItem = z.looseObject({
  type: z.literal('custom_tool_call'),
  namespace: z.string().nullish(),
  call_id: z.string().min(1, { error: 'must not be empty' }),
  name: z.string().min(1, { error: 'must not be empty' }),
  input: z.string({ error: 'must be a string' }),
});
const customCallOutputItem = z.looseObject({ type: z.literal('custom_tool_call_output'), call_id: z.string().min(1, { error: 'must not be empty' }), output: outputText });
const reasoningItem = z.looseObject({ type: z.literal('reasoning'), encrypted_content: z.string().nullish() });

const KNOWN_ITEMS = ['message', 'function_call', 'function_call_output', 'custom_tool_call', 'custom_tool_call_output', 'reasoning'];

const inputItem = z.union([messageItem, functionCallItem, functionCallOutputItem, customCallItem, customCallOutputItem, reasoningItem], {
  error: `must be an input item of type ${KNOWN_ITEMS.map((t) => JSON.stringify(t)).join(', ')} (or a message with a role)`,
});

const functionTool = z.looseObject({
  type: z.literal('function'),
  name: functionName,
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown(), { error: 'must be a JSON Schema object' }).nullish(),
  strict: z.boolean().nullish(),
});
const customTool = z.looseObject({ type: z.literal('custom'), name: functionName, description: z.string().nullish() });
const namespacedTool = z.union([functionTool, customTool], { error: 'must be a tool of type "function" or "custom"' });
const namespaceTool = z.looseObject({
  type: z.literal('namespace'),
  name: functionName,
  description: z.string().nullish(),
  tools: z.array(namespacedTool, { error: 'must be an array of function or custom tools' }).max(MAX_TOOLS),
});
/** A tool the gateway cannot run (`web_search`, `file_search`, `code_interpreter`, …): dropped, the model is not offered it. */
const hostedTool = z.looseObject({ type: z.string().refine((t) => !['function', 'custom', 'namespace'].includes(t)) });
const tool = z.union([functionTool, customTool, namespaceTool, hostedTool], { error: 'must be a tool object with a "type"' });

const toolChoice = z
  .union(
    [
      z.enum(['none', 'auto', 'required']),
      z.looseObject({ type: z.enum(['function', 'custom']), name: functionName }),
    ],
    { error: 'must be "none", "auto", "required" or {"type": "function", "name": "…"}' },
  )
  .nullish();

const textFormat = z.union(
  [
    z.looseObject({ type: z.literal('text') }),
    z.looseObject({ type: z.literal('json_object') }),
    z.looseObject({ type: z.literal('json_schema'), name: z.string().min(1), schema: z.record(z.string(), z.unknown()), strict: z.boolean().nullish(), description: z.string().nullish() }),
  ],
  { error: 'must be {"type": "text"}, {"type": "json_object"} or {"type": "json_schema", "name", "schema"}' },
);

export const responsesRequestSchema = z
  .looseObject({
    model: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
    input: z.union([z.string(), z.array(inputItem).max(MAX_MESSAGES, { error: `must have at most ${MAX_MESSAGES} items` })], { error: 'must be a string or an array of input items' }).optional(),
    instructions: z.string({ error: 'must be a string' }).nullish(),
    stream: z.boolean().nullish(),
    background: z.boolean().nullish(),
    store: z.boolean().nullish(),
    previous_response_id: z.string({ error: 'must be a string' }).min(1).nullish(),
    max_output_tokens: numberIn({ gte: 1 }, true).nullish(),
    temperature: numberIn({ gte: 0, lte: 2 }).nullish(),
    top_p: numberIn({ gte: 0, lte: 1 }).nullish(),
    tools: z.array(tool, { error: 'must be an array of tools' }).max(MAX_TOOLS, { error: `must have at most ${MAX_TOOLS} tools` }).nullish(),
    tool_choice: toolChoice,
    parallel_tool_calls: z.boolean().nullish(),
    text: z.looseObject({ format: textFormat.nullish(), verbosity: z.string().nullish() }).nullish(),
    reasoning: z.looseObject({ effort: z.string().nullish(), summary: z.string().nullish() }).nullish(),
    include: z.array(z.string(), { error: 'must be an array of strings' }).nullish(),
    user: z.string().nullish(),
    metadata: z.record(z.string(), z.string(), { error: 'must be an object of strings' }).nullish(),
    seed: z.int().nullish(),
    conversation: z.unknown().optional(),
    sim: simOptionsSchema.nullable(),
  })
  .superRefine((body, ctx) => {
    if (body.conversation != null) {
      ctx.addIssue({ code: 'custom', path: ['conversation'], input: body.conversation, message: "Unsupported parameter: 'conversation'; continue a conversation with 'previous_response_id'." });
    }
    if (body.background === true && body.stream !== true && body.store === false) {
      ctx.addIssue({ code: 'custom', path: ['store'], input: false, message: "Invalid value for 'store': a background response must be stored (store: true) so it can be read later." });
    }
    const choice = body.tool_choice;
    if (choice != null && typeof choice === 'object' && !(body.tools ?? []).some((t) => 'name' in t && t.name === choice.name)) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice', 'name'], input: choice.name, message: `Invalid value for 'tool_choice.name': ${JSON.stringify(choice.name)} is not one of the tools in 'tools'.` });
    } else if (choice === 'required' && (body.tools ?? []).length === 0) {
      ctx.addIssue({ code: 'custom', path: ['tool_choice'], input: choice, message: "Invalid value for 'tool_choice': \"required\" is only allowed when 'tools' are given." });
    }
  });

export type ResponsesRequestBody = z.output<typeof responsesRequestSchema>;
type InputItem = z.output<typeof inputItem>;

/** The one argument a `custom` tool is offered with to models that only call functions. */
const CUSTOM_PARAMETERS = {
  type: 'object',
  properties: { input: { type: 'string', description: 'The whole input of the tool, as free text.' } },
  required: ['input'],
  additionalProperties: false,
};

export interface TranslatedResponsesRequest {
  request: Omit<ChatRequest, 'model'>;
  /** The tools offered to the model, by the flat name it calls them with. */
  tools: Map<string, OfferedTool>;
  settings: ResponseSettings;
  /** The items this request added to the conversation (kept with a stored response). */
  inputMessages: ChatMessage[];
}

/** The normalized request; `history` is the conversation of `previous_response_id`, if any. */
export function toResponsesChatRequest(body: ResponsesRequestBody, history: readonly ChatMessage[] = []): TranslatedResponsesRequest {
  const inputMessages = toMessages(body.input ?? []);
  const messages: ChatMessage[] = [];
  if (body.instructions) messages.push({ role: 'system', content: body.instructions });
  messages.push(...history, ...inputMessages);
  if (messages.length === 0) throw new InvalidRequestError("Missing required parameter: 'input'.", { param: 'input', code: 'missing_required_parameter' });

  const offered = new Map<string, OfferedTool>();
  const tools: ToolDefinition[] = [];
  const offer = (t: z.output<typeof namespacedTool>, namespace?: string) => {
    const name = flatToolName(t.name, namespace ?? null);
    offered.set(name, { name: t.name, custom: t.type === 'custom', ...(namespace !== undefined ? { namespace } : {}) });
    if (t.type === 'custom') {
      tools.push({ name, ...(t.description ? { description: t.description } : {}), parameters: CUSTOM_PARAMETERS });
    } else {
      tools.push({
        name,
        ...(t.description != null ? { description: t.description } : {}),
        ...(t.parameters != null ? { parameters: t.parameters } : {}),
        ...(t.strict != null ? { strict: t.strict } : {}),
      });
    }
  };
  for (const t of body.tools ?? []) {
    if (t.type === 'function' || t.type === 'custom') offer(t as z.output<typeof namespacedTool>);
    else if (t.type === 'namespace') for (const inner of (t as z.output<typeof namespaceTool>).tools) offer(inner, (t as z.output<typeof namespaceTool>).name);
  }
  const request: Omit<ChatRequest, 'model'> = { messages };
  if (tools.length > 0) request.tools = tools;
  const choice = toToolChoice(body.tool_choice);
  if (choice) request.toolChoice = choice;
  if (body.parallel_tool_calls != null) request.parallelToolCalls = body.parallel_tool_calls;
  if (body.max_output_tokens != null) request.maxTokens = body.max_output_tokens;
  if (body.temperature != null) request.temperature = body.temperature;
  if (body.top_p != null) request.topP = body.top_p;
  if (body.seed != null) request.seed = body.seed;
  if (body.user != null) request.user = body.user;
  const sim = toSimOptions(body.sim ?? undefined);
  if (sim) request.sim = sim;
  const extra: Record<string, unknown> = {};
  const format = body.text?.format;
  if (format && format.type === 'json_schema') {
    extra.response_format = { type: 'json_schema', json_schema: { name: format.name, schema: format.schema, ...(format.strict != null ? { strict: format.strict } : {}), ...(format.description != null ? { description: format.description } : {}) } };
  } else if (format && format.type === 'json_object') extra.response_format = { type: 'json_object' };
  if (body.reasoning?.effort) extra.reasoning_effort = body.reasoning.effort;
  if (Object.keys(extra).length > 0) request.extra = extra;

  const settings: ResponseSettings = {
    background: body.background === true,
    instructions: body.instructions ?? null,
    max_output_tokens: body.max_output_tokens ?? null,
    model: body.model,
    parallel_tool_calls: body.parallel_tool_calls ?? true,
    previous_response_id: body.previous_response_id ?? null,
    reasoning: { effort: body.reasoning?.effort ?? null, summary: body.reasoning?.summary ?? null },
    store: body.store !== false,
    temperature: body.temperature ?? null,
    text: { format: format ?? { type: 'text' }, ...(body.text?.verbosity ? { verbosity: body.text.verbosity } : {}) },
    tool_choice: body.tool_choice ?? 'auto',
    tools: body.tools ?? [],
    top_p: body.top_p ?? null,
    user: body.user ?? null,
    metadata: body.metadata ?? {},
  };
  return { request, tools: offered, settings, inputMessages };
}

/** A namespaced tool's name as the model sees it: `namespace__name` (models take one flat list of functions). */
export function flatToolName(name: string, namespace: string | null | undefined): string {
  return namespace ? `${namespace}__${name}` : name;
}

function toToolChoice(choice: ResponsesRequestBody['tool_choice']): ToolChoice | undefined {
  if (choice == null) return undefined;
  return typeof choice === 'string' ? choice : { name: choice.name };
}

/** Input items as chat messages: calls join the assistant message before them, outputs become `tool` messages. */
function toMessages(input: string | readonly InputItem[]): ChatMessage[] {
  if (typeof input === 'string') return [{ role: 'user', content: input }];
  const messages: ChatMessage[] = [];
  const assistant = (): ChatMessage => {
    const last = messages.at(-1);
    if (last?.role === 'assistant') return last;
    const message: ChatMessage = { role: 'assistant', content: null };
    messages.push(message);
    return message;
  };
  for (const item of input) {
    switch (item.type) {
      case 'function_call':
      case 'custom_tool_call': {
        const args = item.type === 'function_call' ? item.arguments : JSON.stringify({ input: item.input });
        const message = assistant();
        (message.tool_calls ??= []).push({ id: item.call_id, type: 'function', function: { name: flatToolName(item.name, item.namespace), arguments: args } });
        break;
      }
      case 'function_call_output':
      case 'custom_tool_call_output':
        messages.push({ role: 'tool', tool_call_id: item.call_id, content: typeof item.output === 'string' ? item.output : toParts(item.output) });
        break;
      case 'reasoning':
        // Thinking of an earlier turn: no model behind takes it back, so it is dropped.
        break;
      default: {
        const content = typeof item.content === 'string' ? item.content : toParts(item.content);
        const last = messages.at(-1);
        // An assistant message after its own calls would split one turn in two.
        if (item.role === 'assistant' && last?.role === 'assistant' && last.content === null && !last.tool_calls) last.content = content;
        else messages.push({ role: item.role, content });
      }
    }
  }
  return messages;
}

function toParts(parts: readonly z.output<typeof contentPart>[]): ContentPart[] {
  return parts.map((part) => {
    if (part.type === 'input_image') return { type: 'image_url', image_url: { url: part.image_url, ...(part.detail ? { detail: part.detail } : {}) } };
    if (part.type === 'refusal') return { type: 'text', text: part.refusal };
    return { type: 'text', text: part.text };
  });
}
