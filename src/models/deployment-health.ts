/**
 * The health of one deployment, as a small state machine over wall-clock milliseconds
 * (wall clock, not `performance.now()`, so instances sharing it through Redis agree):
 *
 * - a 429 cools it for the upstream's `Retry-After`, else for a backoff that doubles per
 *   consecutive 429 (`rateLimitCooldownMs`, at most `maxCooldownMs`);
 * - a 401/403 (a revoked key) cools it for `authCooldownMs`;
 * - `failureThreshold` consecutive failures (5xx, connection errors, timeouts) open its
 *   circuit for `openMs`; then it half-opens: one request per `probeIntervalMs` may probe,
 *   a success closes the circuit, a failure opens it again.
 *
 * Pure apart from the clock it is given: every method takes `now`.
 */
import type { GatewayError } from '../core/errors.js';

export interface HealthPolicy {
  failureThreshold: number;
  openMs: number;
  probeIntervalMs: number;
  rateLimitCooldownMs: number;
  maxCooldownMs: number;
  authCooldownMs: number;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** What kind of failure a deployment had, for its health. */
export type FailureKind = 'rate-limit' | 'auth' | 'unavailable';

/** The whole state, as shared between instances. */
export interface HealthState {
  /** Until when (Unix ms) a 429 or 401/403 keeps it out of rotation; 0 = not cooling. */
  coolUntil: number;
  /** Why it cools: `rate-limit` or `auth`. */
  coolReason: FailureKind | null;
  circuit: CircuitState;
  /** Open circuit: until when (Unix ms) it refuses; half-open: when the next probe may go. */
  circuitUntil: number;
  /** Consecutive failures counted towards opening the circuit. */
  failures: number;
  /** Consecutive 429s, for the backoff. */
  rateLimits: number;
}

/**
 * One change of a deployment's health, as instances share it: each applies the others'
 * changes to its own state, so failures seen on several instances at once add up (a
 * shared snapshot would let the last writer's count win).
 */
export type HealthChange =
  | { kind: 'picked'; now: number }
  | { kind: 'succeeded' }
  | { kind: 'failed'; failure: FailureKind; now: number; retryAfterMs?: number };

/** How an error counts for the deployment that produced it, or null when it says nothing about the deployment (a bad request). */
export function failureKind(error: GatewayError): FailureKind | null {
  if (error.status === 429) return 'rate-limit';
  // An upstream's 401/403 may reach here as itself or as a 502 that names it (`upstream_auth_failed`).
  if (error.status === 401 || error.status === 403 || error.code === 'upstream_auth_failed') return 'auth';
  if (error.status === 408 || error.status >= 500) return 'unavailable';
  return null;
}

export class DeploymentHealth {
  state: HealthState = { coolUntil: 0, coolReason: null, circuit: 'closed', circuitUntil: 0, failures: 0, rateLimits: 0 };

  constructor(private readonly policy: HealthPolicy) {}

  /** Applies a change (this instance's or another's); returns whether the state changed. */
  apply(change: HealthChange): boolean {
    switch (change.kind) {
      case 'picked':
        return this.picked(change.now);
      case 'succeeded':
        return this.succeeded();
      case 'failed':
        this.failed(change.failure, change.now, change.retryAfterMs);
        return true;
    }
  }

  /** Whether a request may be sent now. Does not change anything (see `picked`). */
  available(now: number): boolean {
    const s = this.state;
    if (now < s.coolUntil) return false;
    return s.circuit === 'closed' || now >= s.circuitUntil;
  }

  /** The state as operators see it now. */
  status(now: number): 'healthy' | 'cooling' | 'open' | 'half-open' {
    const s = this.state;
    if (now < s.coolUntil) return 'cooling';
    if (s.circuit === 'closed') return 'healthy';
    return s.circuit === 'open' && now < s.circuitUntil ? 'open' : 'half-open';
  }

  /** When (Unix ms) it takes requests again; `now` when it does already. */
  recoversAt(now: number): number {
    const s = this.state;
    const circuit = s.circuit === 'closed' ? 0 : s.circuitUntil;
    return Math.max(now, s.coolUntil, circuit);
  }

  /** A request was sent to it: a half-open circuit lets the next probe go only after `probeIntervalMs`. Returns whether the state changed. */
  picked(now: number): boolean {
    const s = this.state;
    if (s.circuit === 'closed') return false;
    s.circuit = 'half-open';
    s.circuitUntil = now + this.policy.probeIntervalMs;
    return true;
  }

  /** It answered (its first event arrived). Returns whether the state changed. */
  succeeded(): boolean {
    const s = this.state;
    if (s.circuit === 'closed' && s.failures === 0 && s.rateLimits === 0) return false;
    s.circuit = 'closed';
    s.circuitUntil = 0;
    s.failures = 0;
    s.rateLimits = 0;
    return true;
  }

  /** It failed. `retryAfterMs`: what a 429 asked for. */
  failed(kind: FailureKind, now: number, retryAfterMs?: number): void {
    const s = this.state;
    const p = this.policy;
    if (kind === 'rate-limit') {
      s.rateLimits++;
      const backoff = p.rateLimitCooldownMs * 2 ** Math.min(s.rateLimits - 1, 20);
      this.cool(kind, now + Math.min(p.maxCooldownMs, retryAfterMs ?? backoff));
      return;
    }
    if (kind === 'auth') {
      this.cool(kind, now + p.authCooldownMs);
      return;
    }
    s.failures++;
    if (s.circuit !== 'closed' || s.failures >= p.failureThreshold) {
      s.circuit = 'open';
      s.circuitUntil = now + p.openMs;
    }
  }

  private cool(reason: FailureKind, until: number): void {
    if (until <= this.state.coolUntil) return;
    this.state.coolUntil = until;
    this.state.coolReason = reason;
  }
}
