/**
 * One model run, decoupled from the HTTP connection that started it. It numbers what its
 * dialect's encoder makes of the model's events, keeps the frames (in its buffer, and in
 * the stream log when the stream can be resumed) and replays them to its followers.
 *
 * What a client leaving does is the run's `disconnect` policy, decided in one place
 * (`detach`): `stop` aborts the model at once (the stop button of every chat UI); `grace`
 * keeps it going for a grace period so a reconnecting client gets the rest; `finish` runs
 * it to its end (an answer in a session is saved even when nobody listens). Every abort
 * carries a reason (`stop-reasons.ts`) that becomes the stream's final event.
 */
import { pushable, type EventBatch, type EventStream, type Flow, type Sink, type StreamEvent } from '../core/events.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import { formatSseFrame, formatSseMessage } from '../core/sse.js';
import type { StreamEncoder, WireMessage } from '../encoders/types.js';
import { FrameBuffer, type FrameListener } from './frame-buffer.js';
import { abandoned, CLIENT_DISCONNECTED, isHandedOver, isStop } from './stop-reasons.js';
import type { StreamEnd, StreamFrame, StreamLog, StreamMeta } from './stream-log.js';

export type StreamOutcome =
  | { status: 'completed' }
  | { status: 'failed'; error: GatewayError }
  /** Stopped by a client's choice (disconnect, `DELETE`, nobody came back); `reason` says which. */
  | { status: 'aborted'; reason: GatewayError };

/** What a run does when its last client leaves before the end: see the module comment. */
export type DisconnectPolicy = 'stop' | 'grace' | 'finish';

export interface StreamRunOptions {
  id: string;
  meta: StreamMeta;
  /** Opens the model stream with the run's signal; may throw before the first event. */
  open: (signal: AbortSignal) => Promise<EventStream>;
  encoder: StreamEncoder;
  /** See every event and how the run ended (metrics, traces, stores), in this order. */
  observers?: readonly StreamObserver[];
  /** Runs after the last event of a successful run, before `encoder.end()`; a throw fails the run. */
  beforeEnd?: () => Promise<void> | void;
  disconnect: DisconnectPolicy;
}

/** Watches one stream from the one place streams end; must be cheap, it sees every event. */
export interface StreamObserver {
  start?(): void;
  event?(event: StreamEvent): void;
  /** Called exactly once, also when the stream failed before its first byte. */
  end?(outcome: StreamOutcome): void;
  /** Instead of `end`: the run was handed over to another instance, which reports its end. */
  handedOver?(): void;
}

export interface StreamRunEnvironment {
  /** Where a resumable stream's frames are kept; none for a stream that cannot be resumed. */
  log: StreamLog | null;
  /** The buffer an in-process log keeps this stream in (its `create` returned it), so each frame is kept once. */
  buffer?: FrameBuffer;
  /** How long a `grace` run continues with no client attached. */
  graceMs: number;
  /** Asked when the grace period ends: true keeps the run going for another period. */
  keepAlive: (id: string) => Promise<boolean>;
}

export class StreamRun {
  readonly id: string;
  readonly meta: StreamMeta;
  /** Whether frames carry `id:` lines and are kept in the log for `Last-Event-ID`. */
  readonly resumable: boolean;
  readonly buffer: FrameBuffer;
  readonly controller = new AbortController();
  /** Resolves at the first event; rejects with the error if the run failed or was stopped before it. */
  readonly opened: Promise<void>;
  /** How the run ended (never rejects). */
  readonly done: Promise<StreamOutcome>;
  private subscribers = 0;
  private graceTimer: NodeJS.Timeout | undefined;
  private settleOpened!: (error?: GatewayError) => void;
  private readonly observers: readonly StreamObserver[];
  private readonly messages: WireMessage[] = [];
  /** The model stream's brake, while it pushes (see `hold`). */
  private flow: Flow | undefined;
  private holds = 0;

  constructor(
    private readonly options: StreamRunOptions,
    private readonly env: StreamRunEnvironment,
  ) {
    this.id = options.id;
    this.meta = options.meta;
    this.resumable = env.log !== null;
    this.observers = options.observers ?? [];
    // A stream nobody can resume keeps only the frames its client has not taken yet.
    this.buffer = env.buffer ?? new FrameBuffer({ keep: this.resumable ? 'all' : 'untaken' });
    this.opened = new Promise<void>((resolve, reject) => {
      this.settleOpened = (error) => (error ? reject(error) : resolve());
    });
    this.opened.catch(() => undefined);
    this.done = this.pump();
  }

  get ended(): boolean {
    return this.buffer.end !== null;
  }

  /** Stops the run now; `reason` is its final event. A no-op once it ended. */
  stop(reason: GatewayError): void {
    if (!this.ended) this.controller.abort(reason);
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
      if (this.subscribers === 0) this.lastClientLeft();
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

  /**
   * Frames after `afterSeq`, then live ones, to `listener`, called as they are published
   * (the live client on this instance: no promise per batch); the caller counts as
   * attached until it calls the result.
   */
  listen(afterSeq: number, listener: FrameListener): () => void {
    const detach = this.attach();
    const unlisten = this.buffer.listen(afterSeq, listener);
    return () => {
      unlisten();
      detach();
    };
  }

  /**
   * Backpressure: a follower whose socket is full holds the model back (its upstream body
   * is paused) until it calls `release`. Only a model stream that pushes can be held; one
   * that is pulled runs on and its frames wait in the buffer.
   */
  hold(): void {
    if (this.holds++ === 0) this.flow?.pause();
  }

  release(): void {
    if (this.holds === 0) return;
    if (--this.holds === 0) this.flow?.resume();
  }

  /** The disconnect policy, in one place. */
  private lastClientLeft(): void {
    if (this.ended) return;
    if (this.options.disconnect === 'stop') this.stop(CLIENT_DISCONNECTED);
    else if (this.options.disconnect === 'grace') this.startGrace();
  }

  private startGrace(): void {
    const { graceMs } = this.env;
    if (graceMs === 0) return this.stop(abandoned(0));
    clearTimeout(this.graceTimer);
    this.graceTimer = setTimeout(() => {
      if (this.subscribers > 0 || this.ended) return;
      this.env.keepAlive(this.id).then(
        (keep) => (keep ? this.startGrace() : this.subscribers === 0 && this.stop(abandoned(graceMs))),
        () => this.stop(abandoned(graceMs)),
      );
    }, graceMs);
    this.graceTimer.unref();
  }

  private async pump(): Promise<StreamOutcome> {
    const { encoder } = this.options;
    const { observers, messages } = this;
    const signal = this.controller.signal;
    let started = false;
    for (const o of observers) o.start?.();
    try {
      const events = await this.options.open(signal);
      started = true;
      this.settleOpened();
      const iterator = events[Symbol.asyncIterator]();
      const pipe = pushable(iterator);
      const failed = pipe ? await this.pushed(iterator, pipe) : await this.pulled(iterator);
      if (failed) return await this.end({ status: 'failed', error: failed });
      if (signal.aborted) return await this.endStopped();
      await this.options.beforeEnd?.();
      encoder.end(messages);
      this.emit();
      return await this.end({ status: 'completed' });
    } catch (err) {
      if (signal.aborted) return await this.endStopped();
      const error = toGatewayError(err);
      if (!started) this.settleOpened(error);
      encoder.error(error, messages);
      this.emit();
      return await this.end({ status: 'failed', error });
    } finally {
      clearTimeout(this.graceTimer);
    }
  }

  /** Pulls the model's batches; resolves with the error event that ended it, if one did. */
  private async pulled(iterator: AsyncIterator<EventBatch>): Promise<GatewayError | undefined> {
    const signal = this.controller.signal;
    for await (const batch of { [Symbol.asyncIterator]: () => iterator }) {
      const failed = this.take(batch);
      if (failed) return failed;
      if (signal.aborted) break;
    }
    return undefined;
  }

  /**
   * The push path: every batch comes from the upstream socket's own callback, straight
   * through encoding and framing to the listeners' writes. One promise per stream, not per read.
   */
  private pushed(iterator: AsyncIterator<EventBatch>, pipe: (sink: Sink<EventBatch>) => Flow): Promise<GatewayError | undefined> {
    const signal = this.controller.signal;
    return new Promise((resolve, reject) => {
      let over = false;
      const settle = () => {
        over = true;
        this.flow = undefined;
        signal.removeEventListener('abort', onAbort);
      };
      // The model is stopped (its body destroyed) as soon as the run is, even while it is held back.
      const stop = (failed?: GatewayError) => {
        if (over) return;
        settle();
        void iterator.return?.().catch(() => undefined);
        resolve(failed);
      };
      const onAbort = () => stop();
      signal.addEventListener('abort', onAbort, { once: true });
      const flow = pipe({
        data: (batch) => {
          if (over) return;
          let failed: GatewayError | undefined;
          try {
            failed = this.take(batch);
          } catch (err) {
            // An encoder or observer that throws fails the run, as it does when pulled.
            settle();
            void iterator.return?.().catch(() => undefined);
            return reject(err);
          }
          if (failed || signal.aborted) stop(failed);
        },
        end: () => {
          if (over) return;
          settle();
          resolve(undefined);
        },
        fail: (err) => {
          if (over) return;
          settle();
          reject(err);
        },
      });
      if (over) return;
      this.flow = flow;
      // A follower that filled its socket during the first (synchronous) batches.
      if (this.holds > 0) flow.pause();
    });
  }

  /** Encodes and numbers a batch, then wakes the followers once; returns the error event that ends the stream, if any. */
  private take(batch: EventBatch): GatewayError | undefined {
    const { encoder } = this.options;
    const { observers, messages } = this;
    let failed: GatewayError | undefined;
    for (const event of batch) {
      for (const o of observers) o.event?.(event);
      encoder.encode(event, messages);
      if (event.type === 'error') {
        failed = event.error;
        break;
      }
    }
    this.emit();
    return failed;
  }

  /** The signal's reason is the final event: a client's stop ends `aborted`, a restart's cut `failed`. */
  private async endStopped(): Promise<StreamOutcome> {
    const raw: unknown = this.controller.signal.reason;
    const reason = raw instanceof GatewayError ? raw : new GatewayError(499, 'stream_stopped', 'The answer was stopped.', { code: 'stream_stopped' });
    this.settleOpened(reason);
    if (isHandedOver(reason)) return this.handedOver(reason);
    this.options.encoder.error(reason, this.messages);
    this.emit();
    return this.end(isStop(reason) ? { status: 'aborted', reason } : { status: 'failed', error: reason });
  }

  /**
   * Continued by another instance (`handover.ts`): no final event, the log is left open
   * and the observers hear `handedOver` rather than an end (the run's end is counted
   * where it goes on).
   */
  private handedOver(reason: GatewayError): StreamOutcome {
    for (const o of this.observers) o.handedOver?.();
    this.emit();
    this.buffer.finish('aborted');
    return { status: 'aborted', reason };
  }

  private async end(outcome: StreamOutcome): Promise<StreamOutcome> {
    for (const o of this.observers) o.end?.(outcome);
    const end: StreamEnd = outcome.status;
    this.buffer.finish(end);
    await this.env.log?.finish(this.id, end).catch(() => undefined);
    return outcome;
  }

  /**
   * Frames and numbers the messages the encoder made, and wakes followers once. Only a
   * resumable stream's frames carry `id:` lines: one that cannot be resumed looks like
   * OpenAI's own stream.
   */
  private emit(): void {
    const { messages, buffer } = this;
    if (messages.length === 0) return;
    const log = this.env.log;
    for (const message of messages) {
      const seq = buffer.lastSeq + 1;
      const text = log ? formatSseFrame(message, String(seq)) : formatSseMessage(message);
      buffer.push(text);
      log?.append(this.id, { seq, text });
    }
    messages.length = 0;
    buffer.publish();
  }
}
