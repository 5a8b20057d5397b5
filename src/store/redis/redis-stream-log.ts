/**
 * The stream log in Redis Streams, shared by every instance. Per stream:
 * - `stream:<id>`: one entry per frame with the explicit entry id `<seq>-0` (so
 *   `Last-Event-ID: n` is the Redis id `n-0`, replay is `XRANGE (n-0 +`, and a frame can
 *   never be stored twice), and an end marker `<lastSeq>-1` holding the outcome;
 * - `stream:<id>:meta`: a hash (owner key name, endpoint, createdAt);
 * - `stream:<id>:live`: a lease the running instance refreshes; if it lapses without an
 *   end marker, the run is gone and followers stop with `StreamLostError`;
 * - `stream:<id>:watch`: set by a client following on another instance, so the running
 *   instance does not cancel the run for lack of clients.
 * A stream handed over at a shutdown (`handOff`, `adopt`) keeps its keys: the lease is
 * held for the handover and then refreshed by the instance that continues it.
 * Appends are batched: one pipeline per event-loop turn for all streams.
 *
 * Bounded (`stream-log-budget.ts`): a stream over its own cap, or an append that would
 * take the whole log over its byte budget, is not written; that stream can no longer be
 * resumed on another instance (its live client is served on), and a log line says so.
 * A write Redis refuses (at its `maxmemory`, say) or loses is reported: a log line and
 * `problem()` (`/healthz` 200 `degraded`, `stream_log_degraded`) until a write succeeds
 * again or a minute passes without another failure.
 */
import { StreamLostError, type StreamEnd, type StreamFrame, type StreamLog, type StreamMeta } from '../../streams/stream-log.js';
import type { Logger } from '../../logger.js';
import type { StoreProblem } from '../types.js';
import { StreamLogBudget, type AppendResult, type StreamLogLimits } from './stream-log-budget.js';
import { COMMAND_TIMEOUT_MS, redisCall, storeUnavailable, type Redis } from './redis-connection.js';

/** How long a failed write keeps the log reported as degraded, unless a write succeeds first. */
const DEGRADED_FOR_MS = 60_000;

export interface RedisStreamLogOptions {
  retentionMs: number;
  /** Bounds per stream and in total; the defaults are the config's. */
  limits?: Partial<StreamLogLimits>;
  /** Expiry of a running stream's keys, refreshed while it runs (a crashed instance's keys go). */
  runningTtlMs?: number;
  /** Lifetime of the running lease; followers give up this long after it lapses. */
  leaseMs?: number;
  /** How long one blocking read waits before checking the lease. */
  blockMs?: number;
  prefix?: string;
  logger?: Logger;
}

type Entry = [id: string, fields: string[]];

export class RedisStreamLog implements StreamLog {
  private readonly prefix: string;
  private readonly runningTtlMs: number;
  private readonly leaseMs: number;
  private readonly blockMs: number;
  /** Streams this instance is writing: id → last seq handed to `append`. */
  private readonly running = new Map<string, number>();
  /** Streams whose writes failed: nothing more is written for them. */
  private readonly broken = new Set<string>();
  private pending = new Map<string, StreamFrame[]>();
  private flushScheduled = false;
  private flushing: Promise<void> = Promise.resolve();
  private readonly leaseTimer: NodeJS.Timeout;
  private readonly budget: StreamLogBudget;
  /** The last write that failed (Redis refused or lost it, or the budget was used up). */
  private failure: { at: number; message: string } | null = null;

  constructor(
    private readonly redis: Redis,
    private readonly options: RedisStreamLogOptions,
  ) {
    this.prefix = options.prefix ?? 'sg:';
    this.leaseMs = options.leaseMs ?? 6_000;
    this.blockMs = options.blockMs ?? Math.max(200, Math.floor(this.leaseMs / 3));
    this.runningTtlMs = options.runningTtlMs ?? Math.max(options.retentionMs, 15 * 60_000);
    this.leaseTimer = setInterval(() => void this.refreshLeases(), Math.floor(this.leaseMs / 3));
    this.leaseTimer.unref();
    this.budget = new StreamLogBudget(redis, this.prefix, {
      maxBytes: options.limits?.maxBytes ?? 64 * 1024 * 1024,
      maxStreamBytes: options.limits?.maxStreamBytes ?? 8 * 1024 * 1024,
      maxStreamFrames: options.limits?.maxStreamFrames ?? 100_000,
    });
  }

  problem(): StoreProblem | null {
    if (this.failure === null || Date.now() - this.failure.at > DEGRADED_FOR_MS) return null;
    return { status: 'stream_log_degraded', message: this.failure.message, fatal: false };
  }

  /** Bytes of frame text the shared log holds now (all instances). */
  usedBytes(): Promise<number> {
    return this.budget.used();
  }

  private key(id: string, part = ''): string {
    return `${this.prefix}stream:${id}${part}`;
  }

  async create(id: string, meta: StreamMeta): Promise<void> {
    const results = await redisCall(() =>
      this.redis
        .multi()
        .hset(this.key(id, ':meta'), { owner: meta.owner ?? '', endpoint: meta.endpoint, createdAt: String(meta.createdAt), requestHash: meta.requestHash ?? '' })
        .pexpire(this.key(id, ':meta'), this.runningTtlMs)
        .set(this.key(id, ':live'), '1', 'PX', this.leaseMs)
        .exec(),
    );
    if (results === null || results.some(([err]) => err !== null)) {
      const err = results?.find(([e]) => e)?.[0];
      this.writeFailed(`a new stream could not be registered: ${err?.message ?? 'no answer'}`, { streamId: id });
      throw storeUnavailable(err);
    }
    this.running.set(id, 0);
  }

  append(id: string, frame: StreamFrame): void {
    if (this.broken.has(id) || !this.running.has(id)) return;
    this.running.set(id, frame.seq);
    const list = this.pending.get(id);
    if (list) list.push(frame);
    else this.pending.set(id, [frame]);
    this.scheduleFlush();
  }

  async finish(id: string, end: StreamEnd): Promise<void> {
    const lastSeq = this.running.get(id);
    if (lastSeq === undefined) return;
    this.flushing = this.flushing.then(() => this.flushNow());
    await this.flushing;
    this.running.delete(id);
    if (this.broken.delete(id)) {
      // Half-written: drop it so no instance replays a stream with a gap.
      await this.budget.drop(id, [this.key(id), this.key(id, ':meta'), this.key(id, ':live')]).catch(() => undefined);
      return;
    }
    const multi = this.redis
      .multi()
      .xadd(this.key(id), `${lastSeq}-1`, 'end', end)
      .pexpire(this.key(id), this.options.retentionMs)
      .pexpire(this.key(id, ':meta'), this.options.retentionMs)
      .del(this.key(id, ':live'));
    this.budget.retain(multi, id, this.options.retentionMs);
    const results = await multi.exec().catch((err: unknown) => [[err as Error, null]] as [Error | null, unknown][]);
    const err = results?.find(([e]) => e)?.[0];
    if (err) this.writeFailed(`the end of a stream could not be written: ${err.message}`, { streamId: id });
  }

  async handOff(id: string, holdMs: number): Promise<void> {
    this.flushing = this.flushing.then(() => this.flushNow());
    await this.flushing;
    this.running.delete(id);
    if (this.broken.has(id)) throw new Error(`stream ${id} was not fully written, so it cannot be continued elsewhere`);
    await redisCall(() => this.redis.set(this.key(id, ':live'), '1', 'PX', holdMs));
  }

  async adopt(id: string, lastSeq: number): Promise<void> {
    await redisCall(() => this.redis.set(this.key(id, ':live'), '1', 'PX', this.leaseMs));
    this.running.set(id, lastSeq);
  }

  async meta(id: string): Promise<StreamMeta | null> {
    const fields = await redisCall(() => this.redis.hgetall(this.key(id, ':meta')));
    if (fields.endpoint === undefined) return null;
    return {
      owner: fields.owner ? fields.owner : null,
      endpoint: fields.endpoint,
      createdAt: Number(fields.createdAt),
      ...(fields.requestHash ? { requestHash: fields.requestHash } : {}),
    };
  }

  async read(id: string, afterSeq: number): Promise<{ frames: StreamFrame[]; end: StreamEnd | null } | null> {
    const [entries, exists] = await redisCall(() =>
      Promise.all([this.redis.xrange(this.key(id), `(${afterSeq}-0`, '+') as Promise<Entry[]>, this.redis.exists(this.key(id, ':meta'))]),
    );
    if (exists === 0 && entries.length === 0) return null;
    const frames: StreamFrame[] = [];
    const end = parseEntries(entries, frames);
    return { frames, end };
  }

  async *follow(id: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<StreamFrame[]> {
    // XREAD BLOCK holds its connection, so each follower gets its own; it does not
    // reconnect: a follower that lost Redis ends with an error the client can resume from.
    // Its blocking read waits `blockMs` on purpose: the command timeout counts on top of that.
    const conn = this.redis.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      commandTimeout: this.blockMs + COMMAND_TIMEOUT_MS,
    });
    conn.on('error', () => undefined);
    const onAbort = () => conn.disconnect();
    signal.addEventListener('abort', onAbort, { once: true });
    let cursor = `${afterSeq}-0`;
    let lastWatch = 0;
    try {
      while (!signal.aborted) {
        if (Date.now() - lastWatch > this.blockMs) {
          lastWatch = Date.now();
          await redisCall(() => this.redis.set(this.key(id, ':watch'), '1', 'PX', this.leaseMs));
        }
        let reply: [string, Entry[]][] | null;
        try {
          reply = (await conn.xread('COUNT', 512, 'BLOCK', this.blockMs, 'STREAMS', this.key(id), cursor)) as [string, Entry[]][] | null;
        } catch (err) {
          if (signal.aborted) return;
          throw storeUnavailable(err);
        }
        const entries = reply?.[0]?.[1] ?? [];
        if (entries.length === 0) {
          if (await this.isLost(id)) {
            // The end marker may have landed between the read and the lease check.
            const rest = await this.read(id, Number(cursor.split('-')[0]));
            if (rest && rest.end !== null) {
              if (rest.frames.length > 0) yield rest.frames;
              return;
            }
            throw new StreamLostError(`the instance running stream ${id} stopped without finishing it`);
          }
          continue;
        }
        const frames: StreamFrame[] = [];
        const end = parseEntries(entries, frames);
        cursor = entries[entries.length - 1]![0];
        if (frames.length > 0) yield frames;
        if (end !== null) return;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      conn.disconnect();
    }
  }

  async isWatched(id: string): Promise<boolean> {
    return (await this.redis.exists(this.key(id, ':watch')).catch(() => 0)) === 1;
  }

  async close(): Promise<void> {
    clearInterval(this.leaseTimer);
    this.flushing = this.flushing.then(() => this.flushNow());
    await this.flushing;
  }

  private async isLost(id: string): Promise<boolean> {
    return (await redisCall(() => this.redis.exists(this.key(id, ':live')))) === 0;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      this.flushing = this.flushing.then(() => this.flushNow());
    });
  }

  /** Writes every pending frame in one pipeline; a stream whose write failed is marked broken. */
  private async flushNow(): Promise<void> {
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    // Frames queued before an earlier flush found their stream broken: writing them would leave a gap.
    for (const id of batch.keys()) if (this.broken.has(id)) batch.delete(id);
    if (batch.size === 0) return;
    const pipeline = this.redis.pipeline();
    const ids = [...batch.keys()];
    for (const [id, frames] of batch) {
      this.budget.append(pipeline, { id, streamKey: this.key(id), metaKey: this.key(id, ':meta'), ttlMs: this.runningTtlMs, frames });
    }
    let results: [Error | null, unknown][] | null;
    let failedWith: unknown = null;
    try {
      results = await pipeline.exec();
    } catch (err) {
      results = null;
      failedWith = err;
    }
    ids.forEach((id, i) => {
      const [err, answer] = results?.[i] ?? [failedWith as Error | null, null];
      this.settle(id, err, (answer as AppendResult | null) ?? null);
    });
  }

  /** What one stream's append came to: written, refused by a bound, or failed. */
  private settle(id: string, err: Error | null, result: AppendResult | null): void {
    if (err === null && result === 'ok') {
      this.failure = null;
      return;
    }
    if (result === 'stream_full') {
      this.markBroken(id, 'the stream is over its own bound (streams.maxStreamBytes / maxStreamFrames)', 'info');
    } else if (result === 'log_full') {
      this.markBroken(id, 'the stream log is full (streams.maxBytes across all instances)');
      this.writeFailed('the stream log is full (streams.maxBytes): new output cannot be resumed on another instance');
    } else if (result === 'gone') {
      this.markBroken(id, "the stream's keys are gone from Redis (evicted, flushed or restarted)");
      this.writeFailed("a stream's keys were lost by Redis (evicted, flushed or restarted)");
    } else {
      const why = err?.message ?? 'no answer';
      this.markBroken(id, `Redis refused the write: ${why}`);
      this.writeFailed(`Redis refused a write to the stream log: ${why}`);
    }
  }

  private writeFailed(message: string, fields: Record<string, unknown> = {}): void {
    const already = this.problem() !== null;
    this.failure = { at: Date.now(), message };
    // One line per episode: a full Redis would otherwise log every flush.
    if (!already) this.options.logger?.error(fields, `stream log degraded: ${message}`);
  }

  private markBroken(id: string, why = 'the lease could not be refreshed', level: 'warn' | 'info' = 'warn'): void {
    if (this.broken.has(id)) return;
    this.broken.add(id);
    this.options.logger?.[level]({ streamId: id, why }, 'stream log write refused: this stream can no longer be resumed elsewhere');
  }

  private async refreshLeases(): Promise<void> {
    const ids = [...this.running.keys()].filter((id) => !this.broken.has(id));
    if (ids.length === 0) return;
    const pipeline = this.redis.pipeline();
    // XX: never resurrect a lease Redis lost (after a restart the stream's frames are gone too).
    for (const id of ids) pipeline.set(this.key(id, ':live'), '1', 'PX', this.leaseMs, 'XX');
    const results = await pipeline.exec().catch(() => null);
    ids.forEach((id, i) => {
      if (results && results[i]?.[0] === null && results[i]?.[1] === null) this.markBroken(id);
    });
  }
}

/** Frames into `out`; returns the end marker's outcome if one was read. */
function parseEntries(entries: Entry[], out: StreamFrame[]): StreamEnd | null {
  let end: StreamEnd | null = null;
  for (const [entryId, fields] of entries) {
    if (fields[0] === 'f') out.push({ seq: Number(entryId.slice(0, entryId.indexOf('-'))), text: fields[1] ?? '' });
    else if (fields[0] === 'end') end = fields[1] as StreamEnd;
  }
  return end;
}
