/** Pieces of request schemas shared by the endpoints. */
import { z } from 'zod';
import type { ChatRequest } from '../../providers/types.js';
import { numberIn } from '../validation.js';

export const MAX_MESSAGES = 2048;
export const MAX_STOP_SEQUENCES = 4;

/**
 * `resumable` (streamgate's own, `interfaces.md`): keep the run going after a disconnect so
 * `GET /v1/streams/:id` with `Last-Event-ID` can resume it.
 */
export const resumableSchema = z.boolean({ error: 'must be a boolean (true or false)' }).nullish();

export const reasoningFormatSchema = z.enum(['separate', 'inline', 'hidden']);

export const simOptionsSchema = z
  .object({
    tokens_per_second: numberIn({ gte: 0, lte: 10_000 }).optional(),
    first_token_ms: numberIn({ gte: 0, lte: 600_000 }, true).optional(),
    fault: z.enum(['error_before_first_token', 'error_mid_stream', 'stall', 'rate_limited']).optional(),
  })
  .optional();

const contentPartSchema = z.looseObject({ type: z.string().min(1), text: z.string().optional() });

export const contentSchema = z.union([z.string(), z.array(contentPartSchema), z.null()], { error: 'must be a string, an array of content parts, or null' });

export const messageSchema = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: contentSchema,
  name: z.string().optional(),
});

export const stopSchema = z
  .union([z.string(), z.array(z.string()).max(MAX_STOP_SEQUENCES, { error: `must have at most ${MAX_STOP_SEQUENCES} sequences` })], {
    error: 'must be a string or an array of strings',
  })
  .nullish()
  .transform((s) => (s == null ? undefined : typeof s === 'string' ? [s] : s));

export type SimOptionsInput = z.infer<typeof simOptionsSchema>;

/** The simulator's options in their internal names. */
export function toSimOptions(sim: SimOptionsInput) {
  if (!sim) return undefined;
  return {
    ...(sim.tokens_per_second !== undefined ? { tokensPerSecond: sim.tokens_per_second } : {}),
    ...(sim.first_token_ms !== undefined ? { firstTokenMs: sim.first_token_ms } : {}),
    ...(sim.fault !== undefined ? { fault: sim.fault } : {}),
  };
}

/** The request fields both chat dialects take under the same names. */
export interface SharedChatFields {
  top_k?: number | null;
  stop?: string[];
  seed?: number | null;
  presence_penalty?: number | null;
  frequency_penalty?: number | null;
  user?: string | null;
  sim?: SimOptionsInput | null;
}

/** Copies the fields both chat dialects share into `request`, in their internal names. */
export function copySharedChatFields(body: SharedChatFields, request: Omit<ChatRequest, 'model'>): void {
  if (body.top_k != null) request.topK = body.top_k;
  if (body.stop) request.stop = body.stop;
  if (body.seed != null) request.seed = body.seed;
  if (body.presence_penalty != null) request.presencePenalty = body.presence_penalty;
  if (body.frequency_penalty != null) request.frequencyPenalty = body.frequency_penalty;
  if (body.user != null) request.user = body.user;
  const sim = toSimOptions(body.sim ?? undefined);
  if (sim) request.sim = sim;
}
