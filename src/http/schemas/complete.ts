/**
 * `/v1/complete`: one schema for both forms. `POST` sends it as JSON; `GET` (for
 * `EventSource`) sends the same fields as query strings, which `fromQuery` turns into
 * the JSON shape first, so the rules and their messages are the same.
 */
import { z } from 'zod';
import { InvalidRequestError } from '../../core/errors.js';
import type { ChatMessage, ChatRequest } from '../../providers/types.js';
import { numberIn } from '../validation.js';
import { reasoningFormatSchema, resumableSchema, simOptionsSchema, toSimOptions } from './common.js';

/**
 * What `/v1/complete` uses when the request does not say. The sampling values are the
 * user's sample's (QwQ-32B's recommended settings) and are sent to the model, so the
 * trace reports what was really asked for.
 */
export const COMPLETE_DEFAULTS = {
  model: 'sim-reasoner',
  reasoningFormat: 'inline',
  temperature: 0.6,
  topP: 0.95,
  topK: 40,
} as const;

/** Ids go into response headers, store keys and logs: letters, digits and `._:@-` only (never CR/LF). */
const SAFE_ID = /^[A-Za-z0-9._:@-]+$/;
const ID_RULE = 'must be letters, digits and . _ : @ - only';

function safeId(maxLength: number) {
  return z
    .string({ error: 'must be a string' })
    .min(1, { error: 'must not be empty' })
    .max(maxLength, { error: `must be at most ${maxLength} characters` })
    .regex(SAFE_ID, { error: ID_RULE });
}

export const USER_ID_MAX = 64;

export const completeRequestSchema = z.looseObject({
  question: z
    .string({ error: 'must be a string' })
    .refine((q) => q.trim().length > 0, { error: 'must not be empty' }),
  sessionId: safeId(160).nullish(),
  userId: safeId(USER_ID_MAX).nullish(),
  requestId: safeId(128).nullish(),
  // The turn this question follows (regenerate and edit ask again after an earlier turn); null: none; absent: the latest.
  parentId: safeId(128).nullish(),
  model: z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).nullish(),
  system: z.string({ error: 'must be a string' }).nullish(),
  temperature: numberIn({ gte: 0, lte: 2 }).nullish(),
  top_p: numberIn({ gte: 0, lte: 1 }).nullish(),
  top_k: numberIn({ gte: 1 }, true).nullish(),
  max_tokens: numberIn({ gte: 1 }, true).nullish(),
  reasoning_format: reasoningFormatSchema.nullish(),
  resumable: resumableSchema,
  sim: simOptionsSchema.nullable(),
});

export type CompleteRequestBody = z.output<typeof completeRequestSchema>;

const NUMERIC = ['temperature', 'top_p', 'top_k', 'max_tokens'] as const;
const SIM_PARAMS = { sim_tokens_per_second: 'tokens_per_second', sim_first_token_ms: 'first_token_ms', sim_fault: 'fault' } as const;
const SIM_NUMERIC = new Set(['sim_tokens_per_second', 'sim_first_token_ms']);

/**
 * The query string as the JSON body it stands for: numbers parsed, `sim_*` gathered into
 * `sim`. A value that is not a number stays a string so the schema names it; a
 * parameter given twice is a 400 here (which one would count?).
 */
export function fromQuery(query: Record<string, unknown>, numeric: readonly string[] = NUMERIC): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const sim: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(query)) {
    if (Array.isArray(value)) {
      throw new InvalidRequestError(`Query parameter '${key}' must be given once, got ${value.length} values.`, {
        param: key,
        code: 'invalid_value',
      });
    }
    if (key === 'resumable') {
      // `resumable=false` opts a GET out of resuming; anything but true/false is left for the schema to name.
      body[key] = value === 'true' ? true : value === 'false' ? false : value;
    } else if (key in SIM_PARAMS) {
      sim[SIM_PARAMS[key as keyof typeof SIM_PARAMS]] = SIM_NUMERIC.has(key) ? toNumber(value) : value;
    } else {
      body[key] = numeric.includes(key) ? toNumber(value) : value;
    }
  }
  if (Object.keys(sim).length > 0) body.sim = sim;
  return body;
}

/** Query-string numbers: `0.5` → 0.5; anything else (`abc`, ``, `1e999`) is left for the schema to reject. */
function toNumber(value: unknown): unknown {
  if (typeof value !== 'string' || value.trim() === '') return value;
  const n = Number(value);
  return Number.isFinite(n) ? n : value;
}

/** A validation error of the GET form names the query parameter the client sent (`sim_fault`, not `sim.fault`). */
export function toQueryError(error: unknown): unknown {
  if (!(error instanceof InvalidRequestError) || !error.param?.startsWith('sim.')) return error;
  const name = `sim_${error.param.slice(4)}`;
  return new InvalidRequestError(error.message.split(error.param).join(name), { param: name, code: error.code });
}

/** The sampling parameters the model is asked with: the request's, else the defaults. */
export function samplingOf(body: CompleteRequestBody) {
  return {
    temperature: body.temperature ?? COMPLETE_DEFAULTS.temperature,
    top_p: body.top_p ?? COMPLETE_DEFAULTS.topP,
    top_k: body.top_k ?? COMPLETE_DEFAULTS.topK,
    max_tokens: body.max_tokens ?? null,
  };
}

/** The normalized request a provider gets (without the upstream model name). */
export function toCompleteChatRequest(body: CompleteRequestBody, messages: ChatMessage[]): Omit<ChatRequest, 'model'> {
  const sampling = samplingOf(body);
  const request: Omit<ChatRequest, 'model'> = {
    messages,
    temperature: sampling.temperature,
    topP: sampling.top_p,
    topK: sampling.top_k,
  };
  if (sampling.max_tokens !== null) request.maxTokens = sampling.max_tokens;
  if (body.userId != null) request.user = body.userId;
  const sim = toSimOptions(body.sim ?? undefined);
  if (sim) request.sim = sim;
  return request;
}
