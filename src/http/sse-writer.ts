/**
 * The one SSE writer every streaming endpoint uses. Headers are sent with the first
 * write or heartbeat, so an error before the model's first event can still be an HTTP
 * status. Honours backpressure (`write()` false → wait for `drain`), sends a heartbeat
 * once it has been quiet for `heartbeatMs` since the last byte it wrote, from the
 * process's one timer wheel for that interval (`heartbeat-wheel.ts`: at most one tick,
 * 25 ms for a 1,000 ms interval, late), and leaves the wheel when the stream ends.
 *
 * Writes are batched: text written in one turn of the event loop (every event decoded
 * from one upstream read, say) leaves as one `res.write`, so one chunk of HTTP framing
 * and one syscall, flushed on `process.nextTick`, before any I/O, so no added latency.
 */
import { once } from 'node:events';
import type { Response } from 'express';
import { SSE_HEARTBEAT } from '../core/sse.js';
import { heartbeatWheel, type Beating, type HeartbeatWheel } from './heartbeat-wheel.js';

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

/** Above this many UTF-16 units, a batch is written at once rather than at the end of the turn. */
const FLUSH_AT = 16 * 1024;

export interface SseWriterOptions {
  heartbeatMs: number;
  /**
   * What a quiet stream sends (default: a lone `: ping` comment line, which no decoder
   * turns into an event). Anthropic's Messages API makes its heartbeat an event.
   */
  heartbeat?: string;
  /**
   * A client whose socket stays full this long (it stopped reading) is disconnected, so
   * its run sees it leave; none: it may stall for ever.
   */
  stalledClientMs?: number;
  /** Extra response headers sent with the SSE headers. */
  headers?: Record<string, string>;
}

export class SseWriter implements Beating {
  private opened = false;
  private closed = false;
  private pending = '';
  private flushScheduled = false;
  /** `Date.now()` of the last write to the socket: the heartbeat wheel measures from it. */
  lastWriteAt: number;
  private readonly wheel: HeartbeatWheel;
  private onClosed: (() => void) | undefined;
  private readonly flushNow = () => this.flush();
  private stallTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly res: Response,
    private readonly options: SseWriterOptions,
  ) {
    // A write only records its time; the wheel works out how long the stream was quiet.
    this.lastWriteAt = Date.now();
    this.wheel = heartbeatWheel(options.heartbeatMs);
    this.wheel.add(this);
    res.once('close', () => this.stop());
  }

  /** Calls `fn` once when the writer closes (the client left, or `end`); at once if it has. */
  onClose(fn: () => void): void {
    if (this.closed) fn();
    else this.onClosed = fn;
  }

  /** Calls `fn` once the socket can take more (at once if it can); never if it closes first. */
  onDrain(fn: () => void): void {
    this.flush();
    if (this.closed) return;
    if (!this.res.writableNeedDrain) return fn();
    this.res.once('drain', fn);
  }

  /** True once the status and headers are on the wire. */
  get started(): boolean {
    return this.opened;
  }

  /** UTF-16 units (or bytes) written and not yet taken by the socket, plus this turn's batch. */
  get queued(): number {
    return this.res.writableLength + this.pending.length;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Queues wire text for this turn's write; returns false when the caller should `await drained()`. */
  write(text: string): boolean {
    if (this.closed || text.length === 0) return true;
    if (!this.opened) this.open();
    this.pending += text;
    if (this.pending.length >= FLUSH_AT) return this.flush();
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(this.flushNow);
    }
    return !this.res.writableNeedDrain;
  }

  /** Writes what is queued now; returns false when the socket's buffer is full. */
  private flush(): boolean {
    this.flushScheduled = false;
    if (this.pending.length === 0 || this.closed) return !this.res.writableNeedDrain;
    const text = this.pending;
    this.pending = '';
    this.lastWriteAt = Date.now();
    const more = this.res.write(text);
    if (!more && this.options.stalledClientMs !== undefined && !this.stallTimer) this.watchStall(this.options.stalledClientMs);
    return more;
  }

  /** The socket is full: unless it drains within `ms`, the client is taken to have stopped reading and is cut off. */
  private watchStall(ms: number): void {
    const timer = setTimeout(() => {
      if (this.res.writableNeedDrain) this.res.destroy();
    }, ms);
    timer.unref();
    this.stallTimer = timer;
    this.res.once('drain', () => {
      clearTimeout(timer);
      this.stallTimer = undefined;
    });
  }

  /** Resolves when the socket can take more, or when it closed. */
  async drained(): Promise<void> {
    this.flush();
    if (this.closed || !this.res.writableNeedDrain) return;
    await Promise.race([once(this.res, 'drain'), once(this.res, 'close')]);
  }

  /** Ends the response (if it was started) and stops the heartbeat. */
  end(text = ''): void {
    if (this.closed) return;
    if (this.opened) {
      const rest = this.pending + text;
      this.pending = '';
      this.res.end(rest);
    }
    this.stop();
  }

  private open(): void {
    this.opened = true;
    this.res.status(200);
    this.res.set({ ...SSE_HEADERS, ...this.options.headers });
    // No flushHeaders(): the headers leave with the first batch, in the same packet.
    this.res.socket?.setNoDelay(true);
  }

  /** The wheel found the stream quiet for an interval. */
  beat(): void {
    // Bytes queued for this turn count as written: they leave before any timer runs again.
    if (this.closed || this.pending.length > 0) return;
    this.write(this.options.heartbeat ?? SSE_HEARTBEAT);
    this.flush();
  }

  private stop(): void {
    if (this.closed) return;
    this.closed = true;
    this.wheel.remove(this);
    clearTimeout(this.stallTimer);
    const fn = this.onClosed;
    this.onClosed = undefined;
    fn?.();
  }
}
