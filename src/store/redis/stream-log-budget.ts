/**
 * The Redis stream log's bounds, kept by Lua scripts so every instance shares one account:
 * - per stream, at most `maxStreamBytes` of frame text and `maxStreamFrames` frames;
 * - in total, at most `maxBytes` of frame text across every stream of every instance.
 *
 * `<prefix>streamlog:total` counts the bytes held; `<prefix>streamlog:sizes` (hash) holds
 * each stream's bytes and `<prefix>streamlog:expiry` (sorted set) when its keys expire.
 * Each append first gives back the bytes of streams whose keys have expired (an instance
 * that crashed mid-stream included), so the account cannot leak upwards for good. Only
 * what a script accepted is written: a stream is never half-written past its bound.
 */
import type { Redis } from './redis-connection.js';

/** What an append came to. */
export type AppendResult = 'ok' | 'stream_full' | 'log_full' | 'gone';

// KEYS: stream, meta, total, sizes, expiry. ARGV: id, ttlMs, maxBytes, maxStreamBytes, maxStreamFrames, then seq, text pairs.
const APPEND = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local gone = redis.call('ZRANGEBYSCORE', KEYS[5], '-inf', now, 'LIMIT', 0, 64)
for _, sid in ipairs(gone) do
  local b = tonumber(redis.call('HGET', KEYS[4], sid) or '0')
  redis.call('HDEL', KEYS[4], sid)
  redis.call('ZREM', KEYS[5], sid)
  if redis.call('DECRBY', KEYS[3], b) < 0 then redis.call('SET', KEYS[3], 0) end
end
if redis.call('EXISTS', KEYS[2]) == 0 then return 'gone' end
local n = (#ARGV - 5) / 2
local bytes = 0
for i = 0, n - 1 do bytes = bytes + #ARGV[7 + 2 * i] end
local streamBytes = tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0')
local frames = tonumber(redis.call('HGET', KEYS[2], 'frames') or '0')
if streamBytes + bytes > tonumber(ARGV[4]) or frames + n > tonumber(ARGV[5]) then return 'stream_full' end
if tonumber(redis.call('GET', KEYS[3]) or '0') + bytes > tonumber(ARGV[3]) then return 'log_full' end
for i = 0, n - 1 do redis.call('XADD', KEYS[1], ARGV[6 + 2 * i] .. '-0', 'f', ARGV[7 + 2 * i]) end
redis.call('HINCRBY', KEYS[2], 'frames', n)
redis.call('HINCRBY', KEYS[4], ARGV[1], bytes)
redis.call('INCRBY', KEYS[3], bytes)
redis.call('ZADD', KEYS[5], now + tonumber(ARGV[2]), ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 'ok'
`;

// KEYS: expiry. ARGV: id, ttlMs. The stream's bytes stay counted until its keys expire.
const RETAIN = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
return 1
`;

// KEYS: total, sizes, expiry, then the stream's own keys to delete. ARGV: id.
const DROP = `
local b = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
redis.call('HDEL', KEYS[2], ARGV[1])
redis.call('ZREM', KEYS[3], ARGV[1])
if redis.call('DECRBY', KEYS[1], b) < 0 then redis.call('SET', KEYS[1], 0) end
for i = 4, #KEYS do redis.call('DEL', KEYS[i]) end
return b
`;

export interface StreamLogLimits {
  /** All frame text of all streams, in bytes. */
  maxBytes: number;
  /** One stream's frame text, in bytes. */
  maxStreamBytes: number;
  /** One stream's frames. */
  maxStreamFrames: number;
}

interface BudgetCommands {
  sgLogAppend(...args: Array<string | number>): Promise<AppendResult>;
  sgLogRetain(...args: Array<string | number>): Promise<number>;
  sgLogDrop(numberOfKeys: number, ...args: string[]): Promise<number>;
}

/** The shared account of one stream log (one key prefix). */
export class StreamLogBudget {
  private readonly redis: Redis & BudgetCommands;
  private readonly total: string;
  private readonly sizes: string;
  private readonly expiry: string;

  constructor(
    redis: Redis,
    prefix: string,
    private readonly limits: StreamLogLimits,
  ) {
    redis.defineCommand('sgLogAppend', { numberOfKeys: 5, lua: APPEND });
    redis.defineCommand('sgLogRetain', { numberOfKeys: 1, lua: RETAIN });
    redis.defineCommand('sgLogDrop', { lua: DROP });
    this.redis = redis as Redis & BudgetCommands;
    this.total = `${prefix}streamlog:total`;
    this.sizes = `${prefix}streamlog:sizes`;
    this.expiry = `${prefix}streamlog:expiry`;
  }

  /** Queues on `pipeline` the append of `frames` to stream `id` (its keys `streamKey`, `metaKey`), refreshing their expiry to `ttlMs`. */
  append(
    pipeline: ReturnType<Redis['pipeline']>,
    options: { id: string; streamKey: string; metaKey: string; ttlMs: number; frames: Array<{ seq: number; text: string }> },
  ): void {
    const args: Array<string | number> = [options.streamKey, options.metaKey, this.total, this.sizes, this.expiry];
    args.push(options.id, options.ttlMs, this.limits.maxBytes, this.limits.maxStreamBytes, this.limits.maxStreamFrames);
    for (const frame of options.frames) args.push(frame.seq, frame.text);
    (pipeline as unknown as BudgetCommands).sgLogAppend(...args);
  }

  /** Queues on `multi` the new expiry of a finished stream's account. */
  retain(multi: ReturnType<Redis['multi']>, id: string, ttlMs: number): void {
    (multi as unknown as BudgetCommands).sgLogRetain(this.expiry, id, ttlMs);
  }

  /** Deletes a stream's keys and gives its bytes back. */
  async drop(id: string, keys: string[]): Promise<void> {
    await this.redis.sgLogDrop(3 + keys.length, this.total, this.sizes, this.expiry, ...keys, id);
  }

  /** Bytes held now, as the shared account says. */
  async used(): Promise<number> {
    return Number((await this.redis.get(this.total)) ?? 0);
  }
}
