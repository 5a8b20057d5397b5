/**
 * The one way streamgate connects to Redis. Commands fail fast while Redis is down (no
 * offline queue, one retry) so a request gets a clear 503 at once instead of hanging;
 * the client reconnects on its own with a capped backoff when Redis is back.
 *
 * A Redis that hangs with its connection open (stopped, swapping, stuck on a slow
 * command) is down too: every command times out after `COMMAND_TIMEOUT_MS`, and a
 * watchdog PING that times out drops the connection and reconnects. Until the new
 * connection's ready check is answered, commands fail at once (503) and `redisReady`
 * is false (`/healthz` 503).
 */
import { Redis, ReplyError } from 'ioredis';
import { ServiceUnavailableError } from '../../core/errors.js';
import type { Logger } from '../../logger.js';

export type { Redis };

/** How long one command may wait for Redis's answer. */
export const COMMAND_TIMEOUT_MS = 2_000;

const WATCHDOG_INTERVAL_MS = 1_000;

export interface RedisConnectionOptions {
  url: string;
  logger?: Logger;
  /** Prefix of every key, so several deployments can share one Redis. */
  keyPrefix?: string;
  /** Default `COMMAND_TIMEOUT_MS`. */
  commandTimeoutMs?: number;
}

export function connectRedis(options: RedisConnectionOptions): Redis {
  const redis = new Redis(options.url, {
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    connectTimeout: 2_000,
    commandTimeout: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS,
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
  watchForHangs(redis, () => {
    down = true;
    options.logger?.warn(
      { timeoutMs: options.commandTimeoutMs ?? COMMAND_TIMEOUT_MS },
      'redis does not answer (PING timed out); dropping the connection and reconnecting, store_unavailable until it answers',
    );
  });
  return redis;
}

/** PINGs a ready connection every second; a PING that times out means Redis hangs: reconnect. */
function watchForHangs(redis: Redis, onHang: () => void): void {
  let pinging = false;
  const timer = setInterval(() => {
    if (pinging || redis.status !== 'ready') return;
    pinging = true;
    redis
      .ping()
      .catch((err: Error) => {
        if (redis.status !== 'ready' || !/timed out/i.test(err.message)) return;
        onHang();
        redis.disconnect(true);
      })
      .finally(() => (pinging = false));
  }, WATCHDOG_INTERVAL_MS);
  timer.unref();
  redis.once('end', () => clearInterval(timer));
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
