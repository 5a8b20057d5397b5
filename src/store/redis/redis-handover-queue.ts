/**
 * Handover records in Redis (`streams/handover.ts`): `<prefix>handover:<key>` holds one
 * record (JSON, with a TTL), and the list `<prefix>handovers` the keys waiting for an
 * instance. Claiming is a pop from the list, so each record goes to one instance only:
 * every live instance waits on the list with a blocking pop on a connection of its own,
 * and the instance that handed a record over takes it back (`LREM`, which only one of the
 * two can win) when nobody popped it within its bound.
 */
import type { Logger } from '../../logger.js';
import type { HandoverQueue, HandoverRecord } from '../../streams/handover.js';
import { COMMAND_TIMEOUT_MS, redisCall, storeUnavailable, type Redis } from './redis-connection.js';

export interface RedisHandoverQueueOptions {
  prefix?: string;
  logger?: Logger;
  /** How long one blocking pop waits before it looks whether to stop (seconds). */
  blockSeconds?: number;
  /** How often `awaitClaim` looks whether the record was popped. */
  pollMs?: number;
}

export class RedisHandoverQueue implements HandoverQueue {
  private readonly list: string;
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisHandoverQueueOptions = {},
  ) {
    this.prefix = options.prefix ?? 'sg:';
    this.list = `${this.prefix}handovers`;
  }

  private recordKey(key: string): string {
    return `${this.prefix}handover:${key}`;
  }

  async offer(record: HandoverRecord, ttlMs: number): Promise<void> {
    const results = await redisCall(() =>
      this.redis.multi().set(this.recordKey(record.key), JSON.stringify(record), 'PX', ttlMs).lpush(this.list, record.key).exec(),
    );
    const err = results === null ? new Error('no answer') : results.find(([e]) => e)?.[0];
    if (err) throw storeUnavailable(err);
  }

  async awaitClaim(key: string, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    const pollMs = this.options.pollMs ?? 100;
    while (Date.now() < deadline) {
      const at = await redisCall(() => this.redis.lpos(this.list, key));
      if (at === null) return true;
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    // Whoever removes the key from the list owns the record: a pop (claimed) or this LREM (taken back).
    const removed = await redisCall(() => this.redis.lrem(this.list, 0, key));
    if (removed === 0) return true;
    await redisCall(() => this.redis.del(this.recordKey(key))).catch(() => undefined);
    return false;
  }

  listen(onRecord: (record: HandoverRecord) => void): { stop(): Promise<void> } {
    const blockSeconds = this.options.blockSeconds ?? 1;
    // A blocking pop holds its connection: this listener gets its own.
    const conn = this.redis.duplicate({ enableOfflineQueue: true, maxRetriesPerRequest: null, commandTimeout: blockSeconds * 1000 + COMMAND_TIMEOUT_MS });
    conn.on('error', () => undefined);
    let stopped = false;
    const loop = (async () => {
      while (!stopped) {
        let popped: [string, string] | null;
        try {
          popped = await conn.brpop(this.list, blockSeconds);
        } catch (err) {
          if (stopped) return;
          this.options.logger?.warn({ err }, 'waiting for handed-over streams failed; trying again');
          await new Promise((resolve) => setTimeout(resolve, 1_000));
          continue;
        }
        if (!popped) continue;
        const key = popped[1];
        if (stopped) {
          // Popped as this instance began to shut down: back at the end others pop from.
          await this.redis.rpush(this.list, key).catch(() => undefined);
          return;
        }
        try {
          const text = await this.redis.getdel(this.recordKey(key));
          if (text === null) {
            this.options.logger?.warn({ streamId: key }, 'a handed-over stream had no record left (expired): nothing to continue');
            continue;
          }
          onRecord(JSON.parse(text) as HandoverRecord);
        } catch (err) {
          this.options.logger?.error({ err, streamId: key }, 'a handed-over stream could not be read; its followers get stream_lost when its lease lapses');
        }
      }
    })();
    return {
      async stop() {
        stopped = true;
        // The pop in flight ends with the connection (one that got a key puts it back).
        conn.disconnect();
        await loop;
      },
    };
  }
}
