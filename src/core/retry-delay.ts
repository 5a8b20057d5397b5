/**
 * How long to wait before trying a failed upstream call again: the upstream's
 * `Retry-After` when it gave one, else exponential backoff with jitter (so many clients
 * that failed together do not retry together). Pure.
 */
import type { GatewayError } from './errors.js';

export interface RetryPolicy {
  /** Retries after the first attempt. */
  maxRetries: number;
  /** First backoff, in ms; doubled each attempt. */
  baseMs?: number;
  /** Longest backoff, in ms. */
  maxBackoffMs?: number;
  /** Longest `Retry-After` honoured, in ms: when asked to wait longer, give up on this model (a fallback may answer now). */
  maxRetryAfterMs?: number;
}

export const RETRY_DEFAULTS = { baseMs: 500, maxBackoffMs: 8_000, maxRetryAfterMs: 30_000 } as const;

/**
 * Milliseconds to wait before retry number `attempt + 1`, or undefined when no retry
 * should be made (not retryable, out of retries, or told to wait too long).
 */
export function retryDelay(error: GatewayError, attempt: number, policy: RetryPolicy, random: () => number = Math.random): number | undefined {
  if (!error.retryable || attempt >= policy.maxRetries) return undefined;
  if (error.retryAfter !== undefined) {
    const ms = error.retryAfter * 1000;
    return ms <= (policy.maxRetryAfterMs ?? RETRY_DEFAULTS.maxRetryAfterMs) ? ms : undefined;
  }
  const base = policy.baseMs ?? RETRY_DEFAULTS.baseMs;
  const cap = policy.maxBackoffMs ?? RETRY_DEFAULTS.maxBackoffMs;
  const backoff = Math.min(cap, base * 2 ** attempt);
  return backoff / 2 + random() * (backoff / 2);
}
