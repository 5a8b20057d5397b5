/**
 * The usage ledger in Redis, shared by every instance. A key's day is one hash
 * (`sg:budget:<day>:<key>`: `r` requests admitted, `t` tokens); `admit` is one Lua script
 * (check and count in one step), `record` one MULTI of HINCRBYs, so concurrent instances
 * never lose or double a count. The rows of a day are one hash (`sg:usage:<day>`) whose
 * fields are `[key, model, user, counter]` as JSON. Both expire after `retentionDays`.
 */
import type { DayLimits, DaySpend, UsageLedger, UsageRecord, UsageRow } from '../types.js';
import { daysBetween } from '../../usage/utc-day.js';
import { redisCall, type Redis } from './redis-connection.js';

const ADMIT = `
local r = tonumber(redis.call('HGET', KEYS[1], 'r') or '0')
local t = tonumber(redis.call('HGET', KEYS[1], 't') or '0')
local maxT = tonumber(ARGV[1])
local maxR = tonumber(ARGV[2])
if (maxT >= 0 and t >= maxT) or (maxR >= 0 and r >= maxR) then return {0, r, t} end
r = redis.call('HINCRBY', KEYS[1], 'r', 1)
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, r, t}
`;

const COUNTERS = { r: 'requests', p: 'promptTokens', c: 'completionTokens', e: 'estimatedTokens' } as const;

interface LedgerCommands {
  sgUsageAdmit(key: string, maxTokens: number, maxRequests: number, ttlSeconds: number): Promise<[number, number, number]>;
}

export class RedisUsageLedger implements UsageLedger {
  private readonly redis: Redis & LedgerCommands;
  private readonly ttlSeconds: number;
  private readonly prefix: string;

  constructor(
    redis: Redis,
    options: { retentionDays?: number; prefix?: string } = {},
  ) {
    redis.defineCommand('sgUsageAdmit', { numberOfKeys: 1, lua: ADMIT });
    this.redis = redis as Redis & LedgerCommands;
    this.ttlSeconds = (options.retentionDays ?? 400) * 86_400;
    this.prefix = options.prefix ?? 'sg:';
  }

  private budgetKey(key: string, day: string): string {
    return `${this.prefix}budget:${day}:${key}`;
  }

  async admit(key: string, day: string, limits: DayLimits): Promise<{ admitted: boolean; spend: DaySpend }> {
    const [ok, requests, tokens] = await redisCall(() =>
      this.redis.sgUsageAdmit(this.budgetKey(key, day), limits.tokensPerDay ?? -1, limits.requestsPerDay ?? -1, this.ttlSeconds),
    );
    return { admitted: ok === 1, spend: { requests, tokens } };
  }

  async record(e: UsageRecord): Promise<void> {
    const tokens = e.promptTokens + e.completionTokens;
    const rows = `${this.prefix}usage:${e.day}`;
    const field = (c: keyof typeof COUNTERS) => JSON.stringify([e.key, e.model, e.user, c]);
    const budget = this.budgetKey(e.key, e.day);
    await redisCall(() =>
      this.redis
        .multi()
        .hincrby(budget, 't', tokens)
        .expire(budget, this.ttlSeconds)
        .hincrby(rows, field('r'), 1)
        .hincrby(rows, field('p'), e.promptTokens)
        .hincrby(rows, field('c'), e.completionTokens)
        .hincrby(rows, field('e'), e.estimated ? tokens : 0)
        .expire(rows, this.ttlSeconds)
        .exec(),
    );
  }

  async list(query: { from: string; to: string; key?: string }): Promise<UsageRow[]> {
    const days = daysBetween(query.from, query.to);
    const pipeline = this.redis.pipeline();
    for (const day of days) pipeline.hgetall(`${this.prefix}usage:${day}`);
    const results = (await redisCall(() => pipeline.exec())) ?? [];
    const out: UsageRow[] = [];
    days.forEach((day, i) => {
      const [err, hash] = results[i] ?? [null, {}];
      if (err) throw err;
      const byRow = new Map<string, UsageRow>();
      for (const [field, value] of Object.entries(hash as Record<string, string>)) {
        const [key, model, user, counter] = JSON.parse(field) as [string, string, string, keyof typeof COUNTERS];
        if (query.key !== undefined && key !== query.key) continue;
        const id = JSON.stringify([key, model, user]);
        let row = byRow.get(id);
        if (!row) byRow.set(id, (row = { day, key, model, user, requests: 0, promptTokens: 0, completionTokens: 0, estimatedTokens: 0 }));
        row[COUNTERS[counter]] = Number(value);
      }
      out.push(...[...byRow.values()].sort((a, b) => a.key.localeCompare(b.key) || a.model.localeCompare(b.model) || a.user.localeCompare(b.user)));
    });
    return out;
  }

  async spend(key: string, day: string): Promise<DaySpend> {
    const [r, t] = await redisCall(() => this.redis.hmget(this.budgetKey(key, day), 'r', 't'));
    return { requests: Number(r ?? 0), tokens: Number(t ?? 0) };
  }

  /** The connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}
