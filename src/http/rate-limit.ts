/**
 * Per-key rate limits (`auth.keys[].rateLimit`): `requestsPerMinute` counted on every API
 * request, with OpenAI's `x-ratelimit-*` headers, and `concurrentStreams` held by a
 * stream's model run until it ends (also through the resume grace period after its client
 * left, so leaving and starting another cannot run more models). Counters live in the
 * `RateLimitStore` (memory for one instance, Redis for several).
 */
import type { RequestHandler, Response } from 'express';
import { RateLimitError } from '../core/errors.js';
import type { RateLimitStore } from '../store/types.js';
import { keyOf } from './auth.js';

const MINUTE_MS = 60_000;
/**
 * How long a stream slot outlives an instance that stopped renewing it (killed with a
 * shared store): the store renews held slots every third of this, and a live run
 * releases its slot when it ends, however long it ran.
 */
export const STREAM_SLOT_TTL_MS = 10_000;

/** OpenAI's duration format for `x-ratelimit-reset-*`: `1m30s`, `12s`, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const seconds = Math.ceil(ms / 1000);
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${seconds % 60}s` : `${seconds}s`;
}

/** Counts the request against its key's `requestsPerMinute`; 429 above it. Needs `authenticate` first. */
export function limitRequests(store: RateLimitStore): RequestHandler {
  return async (_req, res, next) => {
    const key = keyOf(res);
    const limit = key?.rateLimit?.requestsPerMinute;
    if (!key || limit === undefined) {
      next();
      return;
    }
    try {
      const { count, resetMs } = await store.hit(`rpm:${key.fingerprint}`, MINUTE_MS);
      const headers = {
        'x-ratelimit-limit-requests': String(limit),
        'x-ratelimit-remaining-requests': String(Math.max(0, limit - count)),
        'x-ratelimit-reset-requests': formatDuration(resetMs),
      };
      res.set(headers);
      if (count > limit) {
        next(
          new RateLimitError(`Rate limit reached for this API key: ${limit} requests per minute. Try again in ${formatDuration(resetMs)}.`, {
            code: 'rate_limit_exceeded',
            retryAfter: resetMs / 1000,
            headers,
          }),
        );
        return;
      }
      next();
    } catch (err) {
      next(err);
    }
  };
}

/**
 * Takes one of the key's `concurrentStreams` slots (429 when all are held) and returns the
 * function that gives it back: the caller calls it once the model run has ended (the
 * outcome `runStream` resolves with) or the request failed before a run started. Not tied
 * to the response closing: a run outlives its client for the resume grace period.
 */
export async function holdStreamSlot(store: RateLimitStore, res: Response): Promise<() => void> {
  const key = keyOf(res);
  const limit = key?.rateLimit?.concurrentStreams;
  if (!key || limit === undefined) return () => undefined;
  const release = await store.acquire(`streams:${key.fingerprint}`, limit, STREAM_SLOT_TTL_MS);
  if (!release) {
    throw new RateLimitError(`Too many concurrent streams for this API key: at most ${limit} may be open at once.`, {
      code: 'rate_limit_exceeded',
      retryAfter: 1,
    });
  }
  let released = false;
  return () => {
    if (released) return;
    released = true;
    void release().catch(() => undefined);
  };
}
