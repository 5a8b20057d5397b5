/**
 * The frames of one stream in this process, with waiting for new ones: what a live
 * client reads from and what the in-memory log keeps. Appending is a push onto an array;
 * followers read by index (frame `seq` n is at index n-1).
 */
import type { StreamEnd, StreamFrame } from './stream-log.js';

export class FrameBuffer {
  readonly frames: StreamFrame[] = [];
  end: StreamEnd | null = null;
  bytes = 0;
  private waiters: (() => void)[] = [];

  get lastSeq(): number {
    return this.frames.length;
  }

  push(frame: StreamFrame): void {
    if (this.end !== null) throw new Error('append after the end of a stream');
    if (frame.seq !== this.frames.length + 1) throw new Error(`frame ${frame.seq} out of order (expected ${this.frames.length + 1})`);
    this.frames.push(frame);
    this.bytes += frame.text.length;
    this.wake();
  }

  finish(end: StreamEnd): void {
    if (this.end !== null) return;
    this.end = end;
    this.wake();
  }

  /** Frames with `seq > afterSeq` (a copy). */
  after(afterSeq: number): StreamFrame[] {
    return this.frames.slice(Math.max(0, afterSeq));
  }

  /** Frames after `afterSeq`, then live ones, until the end or until `signal` aborts. */
  async *follow(afterSeq: number, signal: AbortSignal): AsyncGenerator<StreamFrame[]> {
    let cursor = Math.max(0, afterSeq);
    while (!signal.aborted) {
      if (cursor < this.frames.length) {
        const batch = this.frames.slice(cursor);
        cursor = this.frames.length;
        yield batch;
        continue;
      }
      if (this.end !== null) return;
      await this.changed(signal);
    }
  }

  /** Resolves on the next push or finish, or when `signal` aborts. */
  changed(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal.aborted) return resolve();
      const onAbort = () => resolve();
      signal.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }
}
