/**
 * The one SSE writer every streaming endpoint uses. Headers are sent with the first
 * write or heartbeat, so an error before the model's first event can still be an HTTP
 * status. Honours backpressure (`write()` false → wait for `drain`), sends a heartbeat
 * `heartbeatMs` after the last byte it wrote (a client or proxy with a read timeout just
 * above `heartbeatMs` never sees a longer silence), and stops its timer when the stream ends.
 *
 * Writes are batched: text written in one turn of the event loop (every event decoded
 * from one upstream read, say) leaves as one `res.write`, so one chunk of HTTP framing
 * and one syscall, flushed on `process.nextTick`, before any I/O, so no added latency.
 */
import { once } from 'node:events';
import type { Response } from 'express';
import { SSE_HEARTBEAT } from '../core/sse.js';

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
  /** Extra response headers sent with the SSE headers. */
  headers?: Record<string, string>;
}

export class SseWriter {
  private opened = false;
  private closed = false;
  private pending = '';
  private flushScheduled = false;
  /** `Date.now()` of the last write to the socket: the heartbeat timer measures from it. */
  private lastWriteAt: number;
  private timer: NodeJS.Timeout;
  private readonly flushNow = () => this.flush();
  private readonly onTimer = () => this.tick();

  constructor(
    private readonly res: Response,
    private readonly options: SseWriterOptions,
  ) {
    // One timer per stream that is re-armed only when it fires, not moved on every write:
    // a write costs a clock read, and the timer works out how long the stream was quiet.
    this.lastWriteAt = Date.now();
    this.timer = setTimeout(this.onTimer, options.heartbeatMs);
    this.timer.unref();
    res.once('close', () => this.stop());
  }

  /** True once the status and headers are on the wire. */
  get started(): boolean {
    return this.opened;
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
    return this.res.write(text);
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

  private tick(): void {
    if (this.closed) return;
    const quietMs = Date.now() - this.lastWriteAt;
    const { heartbeatMs } = this.options;
    // Bytes queued for this turn count as written: they leave before any timer runs again.
    if (quietMs >= heartbeatMs && this.pending.length === 0) {
      this.write(this.options.heartbeat ?? SSE_HEARTBEAT);
      this.flush();
    }
    // Re-armed for the rest of the quiet period (all of it after a heartbeat).
    this.timer = setTimeout(this.onTimer, Math.max(1, heartbeatMs - (Date.now() - this.lastWriteAt)));
    this.timer.unref();
  }

  private stop(): void {
    this.closed = true;
    clearTimeout(this.timer);
  }
}
