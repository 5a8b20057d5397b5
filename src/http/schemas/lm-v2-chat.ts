/**
 * `POST /lm/v2/chat/completions`: the user's dialect (`shared/spec/lm-v2-chat-completions.md`).
 * OpenAI's shape with its own rules: an odd number of messages alternating user (or
 * function) and assistant, narrower ranges, and documented defaults. Unknown fields are
 * ignored, as OpenAI does.
 */
import { z } from 'zod';
import type { ChatRequest } from '../../providers/types.js';
import { numberIn } from '../validation.js';
import { copySharedChatFields, MAX_MESSAGES, messageSchema, reasoningFormatSchema, resumableSchema, simOptionsSchema, stopSchema } from './common.js';

/** The defaults the dialect documents, applied when a field is absent or null. */
export const LM_V2_DEFAULTS = { temperature: 0.95, top_p: 0.8, penalty_score: 1.0 } as const;

const USER_ROLES: readonly string[] = ['user', 'function'];

const lmV2MessageSchema = messageSchema.extend({ role: z.enum(['user', 'assistant', 'function']) });

/**
 * The document's structural rules as issues naming the first offending message: the roles
 * alternate, starting with user, and the count is odd (so the last one is the user's).
 */
function checkTurns(messages: readonly { role: string }[], ctx: z.core.$RefinementCtx<unknown>): void {
  for (let i = 0; i < messages.length; i++) {
    const role = (messages[i] as { role: string }).role;
    const userTurn = i % 2 === 0;
    if (userTurn ? USER_ROLES.includes(role) : role === 'assistant') continue;
    const want = userTurn ? '"user" or "function"' : '"assistant"';
    ctx.addIssue({
      code: 'custom',
      path: [i, 'role'],
      input: role,
      message: `messages must alternate user/function and assistant: messages[${i}].role must be ${want}, got ${JSON.stringify(role)}`,
    });
    return;
  }
  if (messages.length % 2 === 0) {
    ctx.addIssue({
      code: 'custom',
      input: messages,
      message: `messages must have an odd number of members, ending with a user message, got ${messages.length}`,
    });
  }
}

export const lmV2ChatRequestSchema = z.looseObject({
  model: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }),
  messages: z
    .array(lmV2MessageSchema)
    .min(1, { error: 'must not be empty' })
    .max(MAX_MESSAGES, { error: `must have at most ${MAX_MESSAGES} members` })
    .superRefine(checkTurns),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().nullish() }).nullish(),
  temperature: numberIn({ gt: 0, lte: 1 }).nullish(),
  top_p: numberIn({ gte: 0, lte: 1 }).nullish(),
  top_k: numberIn({ gte: 1 }, true).nullish(),
  penalty_score: numberIn({ gte: 1, lte: 2 }).nullish(),
  max_completion_tokens: numberIn({ gte: 1 }, true).nullish(),
  frequency_penalty: numberIn({ gte: -2, lte: 2 }).nullish(),
  presence_penalty: numberIn({ gte: -2, lte: 2 }).nullish(),
  stop: stopSchema,
  seed: z.int().nullish(),
  user: z.string().nullish(),
  reasoning_format: reasoningFormatSchema.nullish(),
  resumable: resumableSchema,
  sim: simOptionsSchema.nullable(),
});

export type LmV2ChatRequest = z.output<typeof lmV2ChatRequestSchema>;

/**
 * The normalized request a provider gets. `temperature` and `top_p` always carry the
 * documented defaults (the dialect accepts both together). `penalty_score` goes to
 * OpenAI-compatible upstreams as `extra.penalty_score`, only when the client set it: its
 * default 1.0 means "no penalty", which is what an upstream does without it, and upstreams
 * that do not know the field may refuse it.
 */
export function toLmV2ChatRequest(body: LmV2ChatRequest): Omit<ChatRequest, 'model'> {
  const request: Omit<ChatRequest, 'model'> = {
    messages: body.messages as ChatRequest['messages'],
    temperature: body.temperature ?? LM_V2_DEFAULTS.temperature,
    topP: body.top_p ?? LM_V2_DEFAULTS.top_p,
  };
  if (body.max_completion_tokens != null) request.maxTokens = body.max_completion_tokens;
  copySharedChatFields(body, request);
  if (body.penalty_score != null) request.extra = { penalty_score: body.penalty_score };
  return request;
}
