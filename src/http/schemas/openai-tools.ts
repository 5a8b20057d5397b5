/**
 * The function-calling parts of an OpenAI chat request: `tools`, `tool_choice`, and the
 * messages that carry calls (assistant `tool_calls`) and their results (`role: "tool"`),
 * validated so a malformed one is a 400 naming the field, then normalized for providers.
 */
import { z } from 'zod';
import type { ChatMessage, ToolChoice, ToolDefinition } from '../../providers/types.js';
import { contentSchema, messageSchema } from './common.js';

/** OpenAI's own limit. */
export const MAX_TOOLS = 128;

const FUNCTION_NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const functionName = z
  .string({ error: 'must be a string' })
  .regex(FUNCTION_NAME, { error: 'must be 1 to 64 letters, digits, underscores or dashes' });

const toolSchema = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: functionName,
    description: z.string({ error: 'must be a string' }).nullish(),
    parameters: z.record(z.string(), z.unknown(), { error: 'must be a JSON Schema object' }).nullish(),
    strict: z.boolean({ error: 'must be a boolean' }).nullish(),
  }),
});

export const toolsSchema = z
  .array(toolSchema, { error: 'must be an array of tools' })
  .max(MAX_TOOLS, { error: `must have at most ${MAX_TOOLS} tools` })
  .nullish();

export const toolChoiceSchema = z
  .union([z.enum(['none', 'auto', 'required']), z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: functionName }) })], {
    error: 'must be "none", "auto", "required" or {"type": "function", "function": {"name": "…"}}',
  })
  .nullish();

const toolCallSchema = z.looseObject({
  id: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  type: z.literal('function'),
  function: z.looseObject({
    name: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
    arguments: z.string({ error: 'must be a string (the JSON text of the arguments)' }),
  }),
});

/** A chat message with OpenAI's tool fields; content may be left out only by an assistant that calls tools. */
export const chatMessageSchema = messageSchema
  .extend({
    content: contentSchema.optional(),
    tool_calls: z.array(toolCallSchema, { error: 'must be an array of tool calls' }).nullish(),
    tool_call_id: z.string({ error: 'must be a string' }).nullish(),
  })
  .superRefine((message, ctx) => {
    const callsTools = (message.tool_calls?.length ?? 0) > 0 || message.function_call != null;
    if (message.content === undefined && !(message.role === 'assistant' && callsTools)) {
      ctx.addIssue({ code: 'custom', path: ['content'], input: undefined, message: 'must be set (a string, an array of content parts, or null) unless an assistant message has tool_calls' });
    }
    if (message.tool_calls != null && message.role !== 'assistant') {
      ctx.addIssue({ code: 'custom', path: ['tool_calls'], input: message.tool_calls, message: `must only be set on assistant messages, got it on a ${JSON.stringify(message.role)} message` });
    }
    if (message.role === 'tool' && !message.tool_call_id) {
      ctx.addIssue({ code: 'custom', path: ['tool_call_id'], input: message.tool_call_id, message: 'must be set to the id of the tool call this "tool" message answers' });
    }
  });

type ToolsInput = z.output<typeof toolsSchema>;
type ToolChoiceInput = z.output<typeof toolChoiceSchema>;

/** The request-level rules: a `tool_choice` other than "none" needs `tools`, and a named function must be one of them. */
export function checkToolChoice(body: { tools?: ToolsInput; tool_choice?: ToolChoiceInput }, ctx: z.core.$RefinementCtx<unknown>): void {
  const choice = body.tool_choice;
  if (choice == null || choice === 'none') return;
  const names = (body.tools ?? []).map((tool) => tool.function.name);
  if (names.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['tool_choice'], input: choice, message: "Invalid value for 'tool_choice': it is only allowed when 'tools' are given." });
  } else if (typeof choice === 'object' && !names.includes(choice.function.name)) {
    ctx.addIssue({
      code: 'custom',
      path: ['tool_choice', 'function', 'name'],
      input: choice.function.name,
      message: `Invalid value for 'tool_choice.function.name': ${JSON.stringify(choice.function.name)} is not one of the functions in 'tools'.`,
    });
  }
}

export function toToolDefinitions(tools: ToolsInput): ToolDefinition[] | undefined {
  if (!tools || tools.length === 0) return undefined;
  return tools.map(({ function: fn }) => ({
    name: fn.name,
    ...(fn.description != null ? { description: fn.description } : {}),
    ...(fn.parameters != null ? { parameters: fn.parameters } : {}),
    ...(fn.strict != null ? { strict: fn.strict } : {}),
  }));
}

export function toToolChoice(choice: ToolChoiceInput): ToolChoice | undefined {
  if (choice == null) return undefined;
  return typeof choice === 'string' ? choice : { name: choice.function.name };
}

/** Messages as providers take them: a left-out content is null. */
export function toChatMessages(messages: readonly z.output<typeof chatMessageSchema>[]): ChatMessage[] {
  return messages.map((m) => (m.content === undefined ? { ...m, content: null } : m) as ChatMessage);
}
