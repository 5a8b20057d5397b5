/**
 * One model run, decoupled from the HTTP connection that started it: it reads the
 * provider's events, encodes them into the endpoint's SSE events, numbers each event
 * (`id: <seq>`), and keeps them in its buffer and the stream log. Clients are
 * subscribers: when the last one leaves, the run keeps going for a grace period so a
 * reconnecting client gets the rest; if nobody comes back (here or, with a shared log, on
 * another instance), it is aborted through the same AbortSignal the provider sees.
 */
import type { EventStream, StreamEvent } from '../core/events.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import type { StreamEncoder } from '../encoders/types.js';
import { FrameBuffer } from './frame-buffer.js';
import type { StreamEnd, StreamFrame, StreamLog, StreamMeta } from './stream-log.js';

export type StreamOutcome =
  | { status: 'completed' }
  | { status: 'failed'; error: GatewayError }
  | { status: 'aborted' };

export interface StreamRunOptions {
  id: string;
  meta: StreamMeta;
  /** Opens the model stream with the run's signal; may throw before the first event. */
  open: (signal: AbortSignal) => Promise<EventStream>;
  encoder: StreamEncoder;
  /** Sees every event before it is encoded (traces, metrics, stores). */
  onEvent?: (event: StreamEvent) => void;
  /** Told when the run starts, of each event, and once of how it ended (metrics). */
  observer?: StreamObserver;
  /** Runs after the last event of a successful run, before `encoder.end()`; a throw fails the run. */
  beforeEnd?: () => Promise<void> | void;
}

/** Watches one stream from the one place streams end; must be cheap, it sees every event. */
export interface StreamObserver {
  start(): void;
  event(event: StreamEvent): void;
  /** Called exactly once, also when the stream failed before its first byte. */
  end(outcome: StreamOutcome): void;
}


export interface StreamRunEnvironment {
  log: StreamLog;
  /** How long the run continues with no client attached. */
  graceMs: number;
  /** Asked when the grace period ends: true keeps the run going for another period. */
  keepAlive: (id: string) => Promise<boolean>;
}

export class StreamRun {
  readonly id: string;
  readonly meta: StreamMeta;
  /** The in-process log's buffer for this stream when it lends one, else the run's own. */
  readonly buffer: FrameBuffer;
  readonly controller = new AbortController();
  /** Resolves at the first event; rejects with the error if the run failed before it. */
  readonly opened: Promise<void>;
  /** How the run ended (never rejects). */
  readonly done: Promise<StreamOutcome>;
  private subscribers = 0;
  private graceTimer: NodeJS.Timeout | undefined;
  private settleOpened!: (error?: GatewayError) => void;

  constructor(
    private readonly options: StreamRunOptions,
    private readonly env: StreamRunEnvironment,
  ) {
    this.buffer = env.log.localBuffer?.(options.id) ?? new FrameBuffer();
    this.id = options.id;
    this.meta = options.meta;
    this.opened = new Promise<void>((resolve, reject) => {
      this.settleOpened = (error) => (error ? reject(error) : resolve());
    });
    this.opened.catch(() => undefined);
    this.done = this.pump();
  }

  get ended(): boolean {
    return this.buffer.end !== null;
  }

  /** Counts a client as attached (stops the grace timer); call the result when it leaves. */
  attach(): () => void {
    this.subscribers++;
    clearTimeout(this.graceTimer);
    let attached = true;
    return () => {
      if (!attached) return;
      attached = false;
      this.subscribers--;
      if (this.subscribers === 0 && !this.ended) this.startGrace();
    };
  }

  /** Frames after `afterSeq`, then live ones until the end; the caller counts as attached meanwhile. */
  async *follow(afterSeq: number, signal: AbortSignal): AsyncGenerator<StreamFrame[]> {
    const detach = this.attach();
    try {
      yield* this.buffer.follow(afterSeq, signal);
    } finally {
      detach();
    }
  }

  private startGrace(): void {
    if (this.env.graceMs === 0) return this.abandon();
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => {
      if (this.subscribers > 0 || this.ended) return;
      this.env.keepAlive(this.id).then(
        (keep) => (keep ? this.startGrace() : this.subscribers === 0 && this.abandon()),
        () => this.abandon(),
      );
    }, this.env.graceMs);
    this.graceTimer.unref();
  }

  private abandon(): void {
    this.controller.abort(new DOMException('no client came back for the stream', 'AbortError'));
  }

  private async pump(): Promise<StreamOutcome> {
    const { encoder } = this.options;
    const signal = this.controller.signal;
    let started = false;
    this.options.observer?.start();
    try {
      const events = await this.options.open(signal);
      started = true;
      this.settleOpened();
      for await (const batch of events) {
        // Every event of a batch is encoded and numbered before followers are woken once.
        let failed: GatewayError | undefined;
        for (const event of batch) {
          this.options.onEvent?.(event);
          this.options.observer?.event(event);
          this.emit(encoder.encode(event));
          if (event.type === 'error') {
            failed = event.error;
            break;
          }
        }
        this.buffer.publish();
        if (failed) return await this.end({ status: 'failed', error: failed });
        if (signal.aborted) break;
      }
      if (signal.aborted) return await this.endAborted();
      await this.options.beforeEnd?.();
      this.emit(encoder.end());
      return await this.end({ status: 'completed' });
    } catch (err) {
      if (signal.aborted) return await this.endAborted();
      const error = toGatewayError(err);
      if (!started) this.settleOpened(error);
      this.emit(encoder.error(error));
      return await this.end({ status: 'failed', error });
    } finally {
      if (!started) this.settleOpened(new GatewayError(499, 'aborted', 'the stream was aborted before it started', { code: 'aborted' }));
      clearTimeout(this.graceTimer);
    }
  }

  /** An abort with a GatewayError as reason (shutdown deadline) ends with that error; a left client just ends. */
  private async endAborted(): Promise<StreamOutcome> {
    const reason: unknown = this.controller.signal.reason;
    if (reason instanceof GatewayError) {
      this.emit(this.options.encoder.error(reason));
      return this.end({ status: 'failed', error: reason });
    }
    return this.end({ status: 'aborted' });
  }

  private async end(outcome: StreamOutcome): Promise<StreamOutcome> {
    this.options.observer?.end(outcome);
    const end: StreamEnd = outcome.status;
    this.buffer.finish(end);
    await this.env.log.finish(this.id, end).catch(() => undefined);
    return outcome;
  }

  /** Splits encoder output into SSE events and numbers each, so a resume never repeats or skips one. */
  private emit(text: string): void {
    let start = 0;
    while (start < text.length) {
      const cut = text.indexOf('\n\n', start);
      const stop = cut === -1 ? text.length : cut + 2;
      const seq = this.buffer.lastSeq + 1;
      // `id:` goes last in the event, so clients that look for a leading `data: ` still work.
      let body: string;
      if (cut !== -1) body = text.slice(start, cut + 1);
      else {
        const rest = text.slice(start);
        body = rest.endsWith('\n') ? rest : `${rest}\n`;
      }
      const frame: StreamFrame = { seq, text: `${body}id: ${seq}\n\n` };
      this.buffer.push(frame.text);
      this.env.log.append(this.id, frame);
      start = stop;
    }
  }
}
