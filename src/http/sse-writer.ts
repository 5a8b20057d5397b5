/**
 * The one SSE writer every streaming endpoint uses. Headers are sent with the first
 * write or heartbeat, so an error before the model's first event can still be an HTTP
 * status. Honours backpressure (`write()` false → wait for `drain`), sends `: ping`
 * comments while the stream is quiet, and stops its timer when the stream ends.
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

export interface SseWriterOptions {
  heartbeatMs: number;
  /** Extra response headers sent with the SSE headers. */
  headers?: Record<string, string>;
}

export class SseWriter {
  private opened = false;
  private closed = false;
  private wroteSinceTick = false;
  private readonly timer: NodeJS.Timeout;

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

  /** Writes wire text; returns false when the caller should `await drained()`. */
  write(text: string): boolean {
    if (this.closed || text.length === 0) return true;
    if (!this.opened) this.open();
    this.wroteSinceTick = true;
    return this.res.write(text);
  }

  /** Resolves when the socket can take more, or when it closed. */
  async drained(): Promise<void> {
    if (this.closed || !this.res.writableNeedDrain) return;
    await Promise.race([once(this.res, 'drain'), once(this.res, 'close')]);
  }

  /** Ends the response (if it was started) and stops the heartbeat. */
  end(text = ''): void {
    if (this.closed) return;
    if (this.opened) this.res.end(text);
    this.stop();
  }

  private open(): void {
    this.opened = true;
    this.res.status(200);
    this.res.set({ ...SSE_HEADERS, ...this.options.headers });
    this.res.flushHeaders();
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
