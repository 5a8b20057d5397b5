/**
 * Deployment health shared by every instance: a deployment that one instance saw answer
 * 429, refuse its key or fail is cooling (or has an open circuit) on all of them. Each
 * change is written to one hash (`<prefix>deployment-health`, field = deployment id, so
 * an instance that starts later loads the current states) and published on a channel of
 * the same name; each instance applies what the others publish. States carry wall-clock
 * deadlines, so they mean the same on every instance; the last write wins.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logger.js';
import type { FailureKind, HealthChange, HealthState } from '../../models/deployment-health.js';
import { closeRedis, redisCall, type Redis } from './redis-connection.js';
import { subscribeChannel } from './redis-subscribe.js';

export interface DeploymentHealthShare {
  /** Shares a change made here, with the state it left (stored for instances that start later). */
  publish(id: string, change: HealthChange, state: HealthState): Promise<void>;
  /** Every state now stored. */
  load(): Promise<Map<string, HealthState>>;
  /** Calls `onChange` for each change another instance publishes. Resolves once subscribed (or after `timeoutMs`). */
  listen(onChange: (id: string, change: HealthChange) => void, timeoutMs?: number): Promise<boolean>;
  close(): Promise<void>;
}

interface HealthMessage {
  from: string;
  id: string;
  change: HealthChange;
}

export class RedisDeploymentHealth implements DeploymentHealthShare {
  readonly key: string;
  private readonly instance = randomUUID();
  private subscriber: Redis | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly options: { prefix?: string; logger?: Logger } = {},
  ) {
    this.key = `${options.prefix ?? 'sg:'}deployment-health`;
  }

  async publish(id: string, change: HealthChange, state: HealthState): Promise<void> {
    const message: HealthMessage = { from: this.instance, id, change };
    const text = JSON.stringify(message);
    await redisCall(() => this.redis.multi().hset(this.key, id, JSON.stringify(state)).publish(this.key, text).exec());
  }

  async load(): Promise<Map<string, HealthState>> {
    const all = await redisCall(() => this.redis.hgetall(this.key));
    const out = new Map<string, HealthState>();
    for (const [id, text] of Object.entries(all)) {
      const state = parseState(safeJson(text));
      if (state) out.set(id, state);
    }
    return out;
  }

  async listen(onChange: (id: string, change: HealthChange) => void, timeoutMs = 5_000): Promise<boolean> {
    if (this.subscriber) throw new Error('already listening');
    const { subscriber, subscribed: subscribing } = subscribeChannel(
      this.redis,
      this.key,
      (text) => {
        const message = safeJson(text) as Partial<HealthMessage> | null;
        const change = parseChange(message?.change);
        if (!message || typeof message.id !== 'string' || !change) {
          this.options.logger?.warn({ channel: this.key }, 'ignored a malformed deployment health message');
          return;
        }
        if (message.from !== this.instance) onChange(message.id, change);
      },
      timeoutMs,
    );
    this.subscriber = subscriber;
    const subscribed = await subscribing;
    return subscribed;
  }

  async close(): Promise<void> {
    if (this.subscriber) await closeRedis(this.subscriber);
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

const FAILURES: readonly FailureKind[] = ['rate-limit', 'auth', 'unavailable'];

function parseChange(value: unknown): HealthChange | null {
  if (value === null || typeof value !== 'object') return null;
  const c = value as Record<string, unknown>;
  if (c.kind === 'succeeded') return { kind: 'succeeded' };
  if (typeof c.now !== 'number') return null;
  if (c.kind === 'picked') return { kind: 'picked', now: c.now };
  if (c.kind !== 'failed' || !FAILURES.includes(c.failure as FailureKind)) return null;
  if (c.retryAfterMs !== undefined && typeof c.retryAfterMs !== 'number') return null;
  return { kind: 'failed', failure: c.failure as FailureKind, now: c.now, ...(typeof c.retryAfterMs === 'number' ? { retryAfterMs: c.retryAfterMs } : {}) };
}

function parseState(value: unknown): HealthState | null {
  if (value === null || typeof value !== 'object') return null;
  const s = value as Record<string, unknown>;
  const numbers = ['coolUntil', 'circuitUntil', 'failures', 'rateLimits'] as const;
  if (!numbers.every((k) => typeof s[k] === 'number')) return null;
  if (s.circuit !== 'closed' && s.circuit !== 'open' && s.circuit !== 'half-open') return null;
  if (s.coolReason !== null && s.coolReason !== 'rate-limit' && s.coolReason !== 'auth') return null;
  return {
    coolUntil: s.coolUntil as number,
    coolReason: s.coolReason as HealthState['coolReason'],
    circuit: s.circuit,
    circuitUntil: s.circuitUntil as number,
    failures: s.failures as number,
    rateLimits: s.rateLimits as number,
  };
}
