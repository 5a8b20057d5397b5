/**
 * Rate-limit counters in Redis, shared by every instance. Both operations are one Lua
 * script each (atomic, one round trip) and use Redis's clock, so instances with skewed
 * clocks still agree. Concurrency slots are members of a sorted set scored by their
 * expiry, renewed every third of `ttlMs` while this instance holds them: a crashed
 * instance's slots free themselves `ttlMs` after it stopped renewing them.
 */
import { randomBytes } from 'node:crypto';
import type { RateLimitStore } from '../types.js';
import { redisCall, type Redis } from './redis-connection.js';

const HIT = `
local count = redis.call('INCR', KEYS[1])
local ttl = redis.call('PTTL', KEYS[1])
if ttl < 0 then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  ttl = tonumber(ARGV[1])
end
return {count, ttl}
`;

const ACQUIRE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[1]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
`;

const RENEW = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for i, key in ipairs(KEYS) do
  redis.call('ZADD', key, 'XX', now + tonumber(ARGV[i * 2 - 1]), ARGV[i * 2])
  redis.call('PEXPIRE', key, ARGV[i * 2 - 1])
end
return #KEYS
`;

interface RateLimitCommands {
  sgRateRenew(...args: (string | number)[]): Promise<number>;
  sgRateHit(key: string, windowMs: number): Promise<[number, number]>;
  sgRateAcquire(key: string, limit: number, ttlMs: number, token: string): Promise<number>;
}

export class RedisRateLimitStore implements RateLimitStore {
  private readonly redis: Redis & RateLimitCommands;

  constructor(
    redis: Redis,
    private readonly prefix = 'sg:',
  ) {
    redis.defineCommand('sgRateHit', { numberOfKeys: 1, lua: HIT });
    redis.defineCommand('sgRateAcquire', { numberOfKeys: 1, lua: ACQUIRE });
    redis.defineCommand('sgRateRenew', { lua: RENEW });
    this.redis = redis as Redis & RateLimitCommands;
  }

  /** Slots this instance holds: token → its set and ttl. */
  private readonly live = new Map<string, { setKey: string; ttlMs: number }>();
  private renewer: NodeJS.Timeout | undefined;
  /** The ttl the renewal interval is a third of: the shortest held so far. */
  private renewEveryTtl = Infinity;

  private startRenewing(ttlMs: number): void {
    if (ttlMs >= this.renewEveryTtl) return;
    this.renewEveryTtl = ttlMs;
    clearInterval(this.renewer);
    this.renewer = setInterval(() => void this.renew(), Math.max(50, Math.floor(ttlMs / 3)));
    this.renewer.unref();
  }

  /** One script call for every held slot; a failure is harmless (the next renewal or the ttl settles it). */
  private async renew(): Promise<void> {
    if (this.live.size === 0) return;
    const keys: string[] = [];
    const args: (string | number)[] = [];
    for (const [token, { setKey, ttlMs }] of this.live) {
      keys.push(setKey);
      args.push(ttlMs, token);
    }
    await this.redis.sgRateRenew(keys.length, ...keys, ...args).catch(() => undefined);
  }

  async hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }> {
    const [count, resetMs] = await redisCall(() => this.redis.sgRateHit(`${this.prefix}rl:${key}`, windowMs));
    return { count, resetMs };
  }

  async acquire(key: string, limit: number, ttlMs: number): Promise<(() => Promise<void>) | null> {
    const setKey = `${this.prefix}cc:${key}`;
    const token = randomBytes(9).toString('base64url');
    const taken = await redisCall(() => this.redis.sgRateAcquire(setKey, limit, ttlMs, token));
    if (taken !== 1) return null;
    this.live.set(token, { setKey, ttlMs });
    this.startRenewing(ttlMs);
    let released = false;
    return async () => {
      if (released) return;
      released = true;
      this.live.delete(token);
      // A release that fails while Redis is down is not an error for the caller: the
      // slot expires on its own after ttlMs.
      await this.redis.zrem(setKey, token).catch(() => undefined);
    };
  }

  /** The connection belongs to whoever opened it. */
  async close(): Promise<void> {
    clearInterval(this.renewer);
  }
}
