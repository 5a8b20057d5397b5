/**
 * The runs of this instance and the way back into any resumable stream: a client that
 * reconnects reads from the local run when it is here, else from the (possibly shared)
 * log. Also owns graceful shutdown: stop taking new streams, let runs finish up to a
 * deadline, then hand the resumable ones over to another instance (a shared log,
 * `handover.ts`) and end the others with an error that says so; and continues the runs
 * other instances hand over.
 */
import { setMaxListeners } from 'node:events';
import { GatewayError, ServiceUnavailableError } from '../core/errors.js';
import { hostname } from 'node:os';
import { formatSseMessage } from '../core/sse.js';
import { noticesFor } from '../encoders/stream-notices.js';
import { cancelledByClient, cutByRestart, HANDED_OVER, isHandedOver } from './stop-reasons.js';
import type { Logger } from '../logger.js';
import { FrameBuffer } from './frame-buffer.js';
import { skipMessages, type HandoverQueue, type HandoverRecord, type HandoverResumer, type HandoverSource, type ResumeMode } from './handover.js';
import type { StreamFrame, StreamLog, StreamMeta } from './stream-log.js';
import { StreamRun, type StreamOutcome, type StreamRunOptions } from './stream-run.js';

export interface StreamHubOptions {
  log: StreamLog;
  resumeGraceMs: number;
  logger?: Logger;
}

/** Continuation across a shutdown (`handover.ts`): only with a shared log. */
export interface HandoverOptions {
  queue: HandoverQueue;
  /** How a route's run is rebuilt, by `HandoverSource.kind`. */
  resumers: ReadonlyMap<string, HandoverResumer>;
  /** How long a shutting-down instance waits for another one to claim a run before it ends the run itself. */
  claimWaitMs: number;
  /** Counts and logs each handover by outcome (`handed-over`, `taken-back`, `not-possible`, `continued`). */
  observe?: (outcome: HandoverOutcome, fields: Record<string, unknown>) => void;
}

export type HandoverOutcome = 'handed-over' | 'taken-back' | 'not-possible' | 'claimed';

/** A run starting with what it needs to be handed over, when the route allows it. */
export type HubRunOptions = StreamRunOptions & { handover?: HandoverSource };

/** A stream a client may read: its metadata and its frames after an event id. */
export interface StreamSource {
  meta: StreamMeta;
  /** The run when it is on this instance. */
  run: StreamRun | undefined;
  frames(afterSeq: number, signal: AbortSignal): AsyncIterable<StreamFrame[]>;
  /** True when the stream has ended and has no frame after `afterSeq`: nothing is left to send. */
  endedBy(afterSeq: number): Promise<boolean>;
  /** True once the stream has ended (it is only kept for resuming). */
  ended(): Promise<boolean>;
}

export interface DrainOptions {
  /** How long running streams may go on before they are ended. */
  graceMs: number;
  /**
   * Tell the clients of resumable streams to resume elsewhere right away. Right only with
   * a shared log: another instance serves the rest live while this one finishes the runs.
   */
  detachClientsNow: boolean;
}

/**
 * Where stream `id` of `owner` is kept, in the runs and the log: ids are namespaced per
 * owner, so another key's id is simply another stream (it cannot be read, stopped or even
 * found to be in use). Without `auth` (owner null) the key is the id itself. Stream ids
 * never contain `/`, so the last `/` tells owner and id apart.
 */
export function streamKey(owner: string | null, id: string): string {
  return owner === null ? id : `${owner}/${id}`;
}

/** How long a handover record waits in the store for an instance, past the wait of the one that offered it. */
const RECORD_TTL_MS = 60_000;

export class StreamHub {
  readonly log: StreamLog;
  private readonly runs = new Map<string, StreamRun>();
  /** Ids between the duplicate check and the run's creation. */
  private readonly starting = new Set<string>();
  private readonly shutdown = new AbortController();
  private drainingSince: number | null = null;
  private handover: HandoverOptions | null = null;
  private listening: { stop(): Promise<void> } | null = null;
  /** The runs that may be handed over, and what they need for it. */
  private readonly sources = new Map<string, HandoverSource>();
  /** Runs continued here after another instance handed them over: their first frames are only in the log. */
  private readonly adopted = new Set<string>();
  /** Handovers of this instance in flight (shutdown waits for them). */
  private readonly handingOver = new Set<Promise<void>>();

  constructor(private readonly options: StreamHubOptions) {
    this.log = options.log;
    // Every client being served listens to it: thousands of listeners are expected.
    setMaxListeners(0, this.shutdown.signal);
  }

  /** Aborted when clients of resumable streams should leave with a "resume elsewhere" notice (shared log only). */
  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  /**
   * Starts a run. A resumable one (any policy but `stop`) is registered in the log first
   * (503 if the store is down); one that cannot be resumed lives only here, with no round
   * trip before the model is asked.
   */
  /**
   * Turns on continuation across a shutdown: this instance claims the runs others hand
   * over (until it drains itself), and hands its own over at the deadline.
   */
  enableHandover(options: HandoverOptions): void {
    if (!this.log.handOff || !this.log.adopt) throw new Error('a handover needs a shared stream log');
    this.handover = options;
    this.listening = options.queue.listen((record) => {
      if (this.draining) {
        // Popped just as this instance began to drain: back in the queue for another one.
        void options.queue.offer(record, RECORD_TTL_MS).catch((err: unknown) => this.options.logger?.error({ err, streamId: record.key }, 'a handed-over stream could not be put back'));
        return;
      }
      this.options.logger?.info({ streamId: record.key, from: record.from, lastSeq: record.lastSeq }, 'continuing a stream handed over by another instance');
      options.observe?.('claimed', { streamId: record.key, from: record.from });
      void this.resume(record, { continue: true });
    });
  }

  /** True when runs that give a `HandoverSource` may be continued elsewhere at a shutdown. */
  get handsOver(): boolean {
    return this.handover !== null;
  }

  async start(options: HubRunOptions): Promise<StreamRun> {
    if (this.draining) throw shuttingDown();
    const key = streamKey(options.meta.owner, options.id);
    const inUse = () =>
      new GatewayError(409, 'invalid_request_error', `A stream with id "${options.id}" already exists: use a new request id.`, { code: 'stream_id_in_use', param: 'requestId' });
    // Taken before the first await, so two requests with the same id at once get one run and one 409.
    if (this.runs.has(key) || this.starting.has(key)) throw inUse();
    const resumable = options.disconnect !== 'stop';
    let buffer;
    if (resumable) {
      this.starting.add(key);
      try {
        if (await this.log.meta(key)) throw inUse();
        buffer = (await this.log.create(key, options.meta)) ?? undefined;
      } finally {
        this.starting.delete(key);
      }
    }
    // The run and the log know the stream by its key; clients keep seeing the id they sent.
    const run = new StreamRun({ ...options, id: key }, {
      log: resumable ? this.log : null,
      ...(buffer ? { buffer } : {}),
      graceMs: this.options.resumeGraceMs,
      keepAlive: async (id) => this.draining || (await this.log.isWatched(id)),
    });
    this.track(run, resumable ? options.handover : undefined);
    return run;
  }

  private track(run: StreamRun, source: HandoverSource | undefined): void {
    this.runs.set(run.id, run);
    if (source && this.handover) this.sources.set(run.id, source);
    void run.done.then(() => {
      this.runs.delete(run.id);
      this.sources.delete(run.id);
      this.adopted.delete(run.id);
    });
  }

  /**
   * Stops a running stream of this instance now (a client's stop button), without waiting
   * for the resume grace period. False when there is no such run here or it is another key's.
   */
  cancel(id: string, owner: string | null): boolean {
    const run = this.runs.get(streamKey(owner, id));
    if (!run || run.ended) return false;
    run.stop(cancelledByClient(id));
    return true;
  }

  /**
   * The resumable stream `id` of `owner` (a key name, null without auth), or null: a
   * stream of another key is not even looked at, and one that cannot be resumed looks
   * like no stream at all.
   */
  async find(id: string, owner: string | null): Promise<StreamSource | null> {
    const key = streamKey(owner, id);
    const found = this.runs.get(key);
    if (found && !found.resumable) return null;
    const meta = found?.meta ?? (await this.log.meta(key));
    if (!meta) return null;
    // A run continued here after a handover has its first frames only in the log: it is read from there.
    const run = found && !this.adopted.has(key) ? found : undefined;
    return {
      meta,
      run,
      frames: (afterSeq, signal) => (run ? run.follow(afterSeq, signal) : this.log.follow(key, afterSeq, signal)),
      endedBy: async (afterSeq) => {
        if (run) return run.ended && run.buffer.lastSeq <= afterSeq;
        const rest = await this.log.read(key, afterSeq);
        return rest === null || (rest.end !== null && rest.frames.length === 0);
      },
      ended: async () => (run ? run.ended : (await this.log.read(key, 0))?.end != null),
    };
  }

  /**
   * Graceful shutdown: refuse new streams, let runs go on up to `graceMs`, then end the
   * ones still going with an error saying the restart cut them short (their clients get it
   * as the stream's last event). With `detachClientsNow`, the clients of resumable streams
   * are sent to another instance at once, which follows the run in the shared log.
   */
  async drain(options: DrainOptions): Promise<void> {
    if (this.drainingSince === null) this.drainingSince = Date.now();
    // A draining instance claims no more handed-over runs.
    void this.stopListening();
    if (options.detachClientsNow) this.shutdown.abort();
    const running = [...this.runs.values()];
    this.options.logger?.info({ streams: running.length, graceMs: options.graceMs }, 'draining streams');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(running.map((run) => run.done)),
      new Promise((resolve) => (timer = setTimeout(resolve, options.graceMs))),
    ]);
    clearTimeout(timer);
    await this.close();
  }

  /**
   * Ends every run still going: each one that may be handed over goes to another
   * instance (or, when none claims it in time, ends with the restart's error here); the
   * others end with the restart's error at once. The log belongs to the stores and is closed there.
   */
  async close(): Promise<void> {
    await this.stopListening();
    const running = [...this.runs.values()].filter((run) => !run.ended);
    const handing = running.filter((run) => this.sources.has(run.id));
    const cut = running.filter((run) => !this.sources.has(run.id));
    if (cut.length > 0) this.options.logger?.warn({ streams: cut.length }, 'ending streams cut short by the shutdown');
    for (const run of cut) run.stop(cutByRestart());
    for (const run of handing) this.trackHandover(this.handOver(run));
    await Promise.all(running.map((run) => run.done));
    // Until each handed-over run is claimed, or taken back and ended here.
    while (this.handingOver.size > 0) await Promise.all([...this.handingOver]);
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  private trackHandover(work: Promise<void>): void {
    const tracked = work.catch((err: unknown) => this.options.logger?.error({ err }, 'a stream handover failed'));
    this.handingOver.add(tracked);
    void tracked.then(() => this.handingOver.delete(tracked));
  }

  private async stopListening(): Promise<void> {
    const listening = this.listening;
    this.listening = null;
    await listening?.stop();
  }

  /** Stops `run` without a final event, offers it to the other instances, and ends it here if none claims it in time. */
  private async handOver(run: StreamRun): Promise<void> {
    const handover = this.handover!;
    const source = this.sources.get(run.id)!;
    const state = source.capture();
    if (typeof state === 'string') {
      handover.observe?.('not-possible', { streamId: run.id, reason: state });
      run.stop(cutByRestart());
      return;
    }
    run.stop(HANDED_OVER);
    const outcome = await run.done;
    // It ended on its own just before (its last event was being written): nothing to hand over.
    if (outcome.status !== 'aborted' || !isHandedOver(outcome.reason)) return;
    const record: HandoverRecord = {
      key: run.id,
      meta: run.meta,
      kind: source.kind,
      lastSeq: run.buffer.lastSeq,
      tape: source.tape.toJSON(),
      state,
      from: `${process.pid}@${hostname()}`,
      at: Date.now(),
    };
    let claimed = false;
    try {
      // The lease covers the wait and the claimer's first steps; the record outlives the wait.
      await this.log.handOff!(run.id, handover.claimWaitMs + 10_000);
      await handover.queue.offer(record, handover.claimWaitMs + RECORD_TTL_MS);
      claimed = await handover.queue.awaitClaim(run.id, handover.claimWaitMs);
    } catch (err) {
      this.options.logger?.warn({ err, streamId: run.id }, 'a stream could not be handed over; ending it here');
    }
    if (claimed) {
      handover.observe?.('handed-over', { streamId: run.id, lastSeq: record.lastSeq });
      return;
    }
    handover.observe?.('taken-back', { streamId: run.id, waitedMs: handover.claimWaitMs });
    // Nobody continues it: it ends honestly, as a run cut by the restart would have.
    await this.resume(record, { continue: false, error: cutByRestart() });
  }

  /**
   * Rebuilds a handed-over run and runs it here, its frames numbered on after the log's.
   * Resolves once it started; a record that cannot be rebuilt ends the stream with the restart's error.
   */
  private async resume(record: HandoverRecord, mode: ResumeMode): Promise<void> {
    const log = this.log;
    const resumer = this.handover?.resumers.get(record.kind);
    const key = record.key;
    try {
      if (!resumer) throw new Error(`no resumer for streams of kind "${record.kind}"`);
      const resumed = await resumer(record, mode);
      await log.adopt!(key, record.lastSeq);
      // The frames the log holds are not kept here again: placeholders keep the numbering.
      const buffer = new FrameBuffer();
      for (let i = 0; i < record.lastSeq; i++) buffer.push('');
      const run = new StreamRun(
        {
          id: key,
          meta: record.meta,
          open: resumed.open,
          encoder: skipMessages(resumed.encoder, record.lastSeq),
          disconnect: resumed.disconnect,
          ...(resumed.observers ? { observers: resumed.observers } : {}),
          ...(resumed.beforeEnd ? { beforeEnd: resumed.beforeEnd } : {}),
        },
        { log, buffer, graceMs: this.options.resumeGraceMs, keepAlive: async (id) => this.draining || (await log.isWatched(id)) },
      );
      this.adopted.add(key);
      this.track(run, resumed.handover);
      void run.done.then((outcome: StreamOutcome) => resumed.settle?.(outcome));
      // A run taken back by a draining instance is waited for by `close`.
      if (this.draining) this.trackHandover(run.done.then(() => undefined));
    } catch (err) {
      this.options.logger?.error({ err, streamId: key }, 'a handed-over stream could not be rebuilt; it ends with the restart error');
      await this.endUnresumable(record).catch((e: unknown) => this.options.logger?.error({ err: e, streamId: key }, 'ending a handed-over stream failed'));
    }
  }

  /** The last resort: the log gets the restart's error after its last frame, in the stream's dialect. */
  private async endUnresumable(record: HandoverRecord): Promise<void> {
    await this.log.adopt!(record.key, record.lastSeq);
    const seq = record.lastSeq + 1;
    const message = noticesFor(record.meta.endpoint).error(cutByRestart(), record.key.slice(record.key.lastIndexOf('/') + 1));
    this.log.append(record.key, { seq, text: formatSseMessage({ ...message, id: String(seq) }) });
    await this.log.finish(record.key, 'failed');
  }
}

/** A new stream asked of a draining instance: nothing was started, so any instance may take it. */
function shuttingDown(): ServiceUnavailableError {
  return new ServiceUnavailableError('This server is shutting down and takes no new streams; send the request again (another instance, or this one once restarted, will answer).', {
    code: 'server_shutting_down',
    retryAfter: 1,
  });
}
