/**
 * The one SSE writer every streaming endpoint uses. Headers are sent with the first
 * write or heartbeat, so an error before the model's first event can still be an HTTP
 * status. Honours backpressure (`write()` false → wait for `drain`), sends `: ping`
 * comments while the stream is quiet, and stops its timer when the stream ends.
 *
 * Writes are batched: text written in one turn of the event loop (every event decoded
 * from one upstream read, say) leaves as one `res.write`, so one chunk of HTTP framing
 * and one syscall, flushed on `process.nextTick`, before any I/O, so no added latency.
 */
import { once } from 'node:events';
import type { Response } from 'express';
import { formatSseComment } from '../core/sse.js';

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/event-stream; charset=utf-8',
  'Cache-Control': 'no-cache, no-transform',
  Connection: 'keep-alive',
  'X-Accel-Buffering': 'no',
};

const PING = formatSseComment('ping');
/** Above this many UTF-16 units, a batch is written at once rather than at the end of the turn. */
const FLUSH_AT = 16 * 1024;

export interface SseWriterOptions {
  heartbeatMs: number;
  /** Extra response headers sent with the SSE headers. */
  headers?: Record<string, string>;
}

export class SseWriter {
  private opened = false;
  private closed = false;
  private wroteSinceTick = false;
  private pending = '';
  private flushScheduled = false;
  private readonly timer: NodeJS.Timeout;
  private readonly flushNow = () => this.flush();

  constructor(
    private readonly res: Response,
    private readonly options: SseWriterOptions,
  ) {
    this.timer = setInterval(() => this.tick(), options.heartbeatMs);
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
    this.wroteSinceTick = true;
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
    if (this.wroteSinceTick) {
      this.wroteSinceTick = false;
      return;
    }
    this.write(PING);
    this.wroteSinceTick = false;
  }

  private stop(): void {
    this.closed = true;
    clearInterval(this.timer);
  }
}
