/**
 * The runs of this instance and the way back into any resumable stream: a client that
 * reconnects reads from the local run when it is here, else from the (possibly shared)
 * log. Also owns graceful shutdown: stop taking new streams, let runs finish up to a
 * deadline, and end the ones still going with an error that says so.
 */
import { setMaxListeners } from 'node:events';
import { GatewayError, ServiceUnavailableError } from '../core/errors.js';
import { cancelledByClient, cutByRestart } from './stop-reasons.js';
import type { Logger } from '../logger.js';
import type { StreamFrame, StreamLog, StreamMeta } from './stream-log.js';
import { StreamRun, type StreamRunOptions } from './stream-run.js';

export interface StreamHubOptions {
  log: StreamLog;
  resumeGraceMs: number;
  logger?: Logger;
}

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

export class StreamHub {
  readonly log: StreamLog;
  private readonly runs = new Map<string, StreamRun>();
  /** Ids between the duplicate check and the run's creation. */
  private readonly starting = new Set<string>();
  private readonly shutdown = new AbortController();
  private drainingSince: number | null = null;

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
  async start(options: StreamRunOptions): Promise<StreamRun> {
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
    this.runs.set(run.id, run);
    void run.done.then(() => this.runs.delete(run.id));
    return run;
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
    const run = this.runs.get(key);
    if (run && !run.resumable) return null;
    const meta = run?.meta ?? (await this.log.meta(key));
    if (!meta) return null;
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

  /** Ends every run still going, each with the restart's error (the log belongs to the stores and is closed there). */
  async close(): Promise<void> {
    const running = [...this.runs.values()];
    if (running.length > 0) this.options.logger?.warn({ streams: running.length }, 'ending streams cut short by the shutdown');
    for (const run of running) run.stop(cutByRestart());
    await Promise.all(running.map((run) => run.done));
  }
}

/** A new stream asked of a draining instance: nothing was started, so any instance may take it. */
function shuttingDown(): ServiceUnavailableError {
  return new ServiceUnavailableError('This server is shutting down and takes no new streams; send the request again (another instance, or this one once restarted, will answer).', {
    code: 'server_shutting_down',
    retryAfter: 1,
  });
}
