/**
 * Picks the stores from the config's `store`: without it (or `memory`/`sqlite`), an
 * in-memory stream log for one instance and nothing to install; with `redis`, the stream
 * log, sessions and rate-limit counters all in Redis, so any instance can serve any
 * resume, session and limit.
 */
import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import { MemoryStreamLog } from '../streams/memory-stream-log.js';
import type { StreamLog } from '../streams/stream-log.js';
import { closeRedis, connectRedis, redisReady, type Redis } from './redis/redis-connection.js';
import { RedisRateLimitStore } from './redis/redis-rate-limit-store.js';
import { RedisSessionStore } from './redis/redis-session-store.js';
import { RedisStreamLog } from './redis/redis-stream-log.js';
import { RedisStreamCancels, type StreamCancels } from './redis/redis-stream-cancels.js';
import { RedisHandoverQueue } from './redis/redis-handover-queue.js';
import type { HandoverQueue } from '../streams/handover.js';
import { RedisUsageLedger } from './redis/redis-usage-ledger.js';
import type { RateLimitStore, SessionStore, StoreProblem, UsageLedger } from './types.js';
import { RedisDeploymentHealth, type DeploymentHealthShare } from './redis/redis-deployment-health.js';
import { RedisResponseStore } from './redis/redis-response-store.js';
import type { ResponseStore } from './response-store.js';

export interface Stores {
  streamLog: StreamLog;
  /** Set when the store is shared (Redis); otherwise the embedded defaults apply. */
  sessions?: SessionStore;
  rateLimits?: RateLimitStore;
  /** Set when the store is shared: usage and budgets counted across instances. */
  usage?: UsageLedger;
  /** Stored `/v1/responses`, when the store is shared. */
  responses?: ResponseStore;
  /** Set when the store is shared: a cancel sent to every instance, so the one running the stream stops it. */
  cancels?: StreamCancels;
  /** Set when the store is shared: runs handed over at a shutdown wait here for another instance (`streams/handover.ts`). */
  handovers?: HandoverQueue;
  /** Set when the store is shared: deployment health (cooldowns, circuits) seen by every instance. */
  deploymentHealth?: DeploymentHealthShare;
  /** True when the log is shared by several instances (clients may resume elsewhere). */
  shared: boolean;
  /** False while the shared store cannot be reached. */
  healthy(): boolean;
  /** What `/healthz` should report about the shared store and the stream log (empty when all is well). */
  problems(): StoreProblem[];
  /** Resolves when the store is connected, or after `timeoutMs` (it then keeps trying on its own). */
  ready(timeoutMs: number): Promise<boolean>;
  close(): Promise<void>;
}

export function createStores(config: Config, logger: Logger): Stores {
  const { streams } = config;
  if (config.store?.type !== 'redis') {
    const streamLog = new MemoryStreamLog({ retentionMs: streams.retentionMs, maxStreams: streams.maxStreams, maxBytes: streams.maxBytes });
    return { streamLog, shared: false, healthy: () => true, problems: () => [], ready: async () => true, close: () => streamLog.close() };
  }
  const redis: Redis = connectRedis({ url: config.store.url, logger });
  const streamLog = new RedisStreamLog(redis, {
    retentionMs: streams.retentionMs,
    limits: { maxBytes: streams.maxBytes, maxStreamBytes: streams.maxStreamBytes, maxStreamFrames: streams.maxStreamFrames },
    logger,
  });
  const cancels = new RedisStreamCancels(redis, { logger });
  const deploymentHealth = new RedisDeploymentHealth(redis, { logger });
  return {
    deploymentHealth,
    streamLog,
    sessions: new RedisSessionStore(redis),
    rateLimits: new RedisRateLimitStore(redis),
    usage: new RedisUsageLedger(redis),
    responses: new RedisResponseStore(redis),
    cancels,
    handovers: new RedisHandoverQueue(redis, { logger }),
    shared: true,
    healthy: () => redisReady(redis),
    problems() {
      const found: StoreProblem[] = [];
      if (!redisReady(redis)) found.push({ status: 'store_unavailable', message: 'the shared store (Redis) does not answer', fatal: true });
      const log = streamLog.problem();
      if (log) found.push(log);
      return found;
    },
    async ready(timeoutMs) {
      if (redisReady(redis)) return true;
      let timer: NodeJS.Timeout | undefined;
      const ok = await Promise.race([
        new Promise<boolean>((resolve) => redis.once('ready', () => resolve(true))),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
      ]);
      clearTimeout(timer);
      return ok;
    },
    async close() {
      await streamLog.close();
      await cancels.close();
      await deploymentHealth.close();
      await closeRedis(redis);
    },
  };
}
