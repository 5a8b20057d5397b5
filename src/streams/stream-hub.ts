/**
 * The runs of this instance and the way back into any stream: a client that reconnects
 * reads from the local run when it is here, else from the (possibly shared) log. Also
 * owns graceful shutdown: stop taking new streams, tell clients to resume, let runs
 * finish up to a deadline.
 */
import { setMaxListeners } from 'node:events';
import { GatewayError, ServiceUnavailableError } from '../core/errors.js';
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
  /** True once the stream has ended (it is only kept for resuming). */
  ended(): Promise<boolean>;
}

export interface DrainOptions {
  /** How long running streams may go on before they are ended. */
  graceMs: number;
  /**
   * Tell clients to resume right away instead of at the deadline. Right with a shared
   * log: another instance serves the rest live while this one finishes the runs.
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

  /** Aborted when clients should leave with a "resume elsewhere" notice. */
  get shutdownSignal(): AbortSignal {
    return this.shutdown.signal;
  }

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  get activeRuns(): number {
    return this.runs.size;
  }

  /** Registers the stream (`options.id` of `options.meta.owner`) in the log (503 if the store is down) and starts its run. */
  async start(options: StreamRunOptions): Promise<StreamRun> {
    if (this.draining) throw shuttingDown();
    const key = streamKey(options.meta.owner, options.id);
    const inUse = () =>
      new GatewayError(409, 'invalid_request_error', `A stream with id "${options.id}" already exists: use a new request id.`, { code: 'stream_id_in_use', param: 'requestId' });
    // Taken before the first await, so two requests with the same id at once get one run and one 409.
    if (this.runs.has(key) || this.starting.has(key)) throw inUse();
    this.starting.add(key);
    try {
      if (await this.log.meta(key)) throw inUse();
      await this.log.create(key, options.meta);
    } finally {
      this.starting.delete(key);
    }
    // The run and the log know the stream by its key; clients keep seeing the id they sent.
    const run = new StreamRun({ ...options, id: key }, {
      log: this.log,
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
    if (!run) return false;
    run.controller.abort(new DOMException('cancelled by the client', 'AbortError'));
    return true;
  }

  /**
   * The stream `id` of `owner` (a key name, null without auth), or null: a stream of
   * another key is not even looked at.
   */
  async find(id: string, owner: string | null): Promise<StreamSource | null> {
    const key = streamKey(owner, id);
    const run = this.runs.get(key);
    const meta = run?.meta ?? (await this.log.meta(key));
    if (!meta) return null;
    return {
      meta,
      run,
      frames: (afterSeq, signal) => (run ? run.follow(afterSeq, signal) : this.log.follow(key, afterSeq, signal)),
      ended: async () => (run ? run.ended : (await this.log.read(key, 0))?.end != null),
    };
  }

  /**
   * Graceful shutdown: refuse new streams, let runs go on up to `graceMs`, then tell the
   * remaining clients to resume and end the runs still going with an error event.
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
    this.shutdown.abort();
    for (const run of this.runs.values()) run.controller.abort(shuttingDown());
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }

  /** Ends every run still going (the log belongs to the stores and is closed there). */
  async close(): Promise<void> {
    for (const run of this.runs.values()) run.controller.abort(shuttingDown());
    await Promise.all([...this.runs.values()].map((run) => run.done));
  }
}

function shuttingDown(): ServiceUnavailableError {
  return new ServiceUnavailableError('This server is shutting down; reconnect to resume the stream.', {
    code: 'server_shutting_down',
    retryAfter: 1,
  });
}
