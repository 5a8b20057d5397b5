/** Stored `/v1/responses` in Redis (one JSON string per response, expiring with `PX`), so any instance reads any. */
import type { ResponseStore, StoredResponse } from '../response-store.js';
import { redisCall, type Redis } from './redis-connection.js';

export class RedisResponseStore implements ResponseStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'sg:',
  ) {}

  private key(id: string) {
    return `${this.prefix}resp:${id}`;
  }

  async put(record: StoredResponse, ttlMs: number): Promise<void> {
    await redisCall(() => this.redis.set(this.key(record.response.id), JSON.stringify(record), 'PX', Math.max(1, ttlMs)));
  }

  async get(id: string): Promise<StoredResponse | null> {
    const text = await redisCall(() => this.redis.get(this.key(id)));
    return text === null ? null : (JSON.parse(text) as StoredResponse);
  }

  async delete(id: string): Promise<boolean> {
    return (await redisCall(() => this.redis.del(this.key(id)))) > 0;
  }

  async close(): Promise<void> {
    // The connection belongs to the stores and is closed there.
  }
}
