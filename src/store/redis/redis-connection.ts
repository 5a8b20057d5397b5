/**
 * The one way streamgate connects to Redis. Commands fail fast while Redis is down (no
 * offline queue, one retry) so a request gets a clear 503 at once instead of hanging;
 * the client reconnects on its own with a capped backoff when Redis is back.
 */
import { Redis, ReplyError } from 'ioredis';
import { ServiceUnavailableError } from '../../core/errors.js';
import type { Logger } from '../../logger.js';

export type { Redis };

export interface RedisConnectionOptions {
  url: string;
  logger?: Logger;
  /** Prefix of every key, so several deployments can share one Redis. */
  keyPrefix?: string;
}

export function connectRedis(options: RedisConnectionOptions): Redis {
  const redis = new Redis(options.url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    // Reconnect forever, quickly at first: an instance must recover after a Redis restart.
    retryStrategy: (times) => Math.min(50 * times, 1_000),
    ...(options.keyPrefix !== undefined ? { keyPrefix: options.keyPrefix } : {}),
  });
  let down = false;
  redis.on('error', (err: Error) => {
    // ioredis emits every failed reconnect; log the first of a series only.
    if (down) return;
    down = true;
    options.logger?.warn({ err: err.message }, 'redis unavailable; reconnecting');
  });
  redis.on('ready', () => {
    if (down) options.logger?.info('redis connection restored');
    down = false;
  });
  return redis;
}

/** True when the connection is up and commands can be sent. */
export function redisReady(redis: Redis): boolean {
  return redis.status === 'ready';
}

/** What a caller sees while Redis cannot be reached. */
export function storeUnavailable(cause: unknown): ServiceUnavailableError {
  return new ServiceUnavailableError('The shared store (Redis) is unavailable; retry in a moment.', {
    code: 'store_unavailable',
    retryAfter: 1,
    cause,
  });
}

/**
 * Runs Redis commands; connection failures become `store_unavailable` (503). A reply
 * error (wrong type, script error) is a bug, so it stays what it is (a 500).
 */
export async function redisCall<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ReplyError) throw err;
    throw storeUnavailable(err);
  }
}

/** Ends the connection without waiting for a Redis that may be gone. */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  if (redis.status === 'ready') {
    try {
      await redis.quit();
      return;
    } catch {
      // fall through to disconnect
    }
  }
  redis.disconnect();
}
