/**
 * The frames of one stream in this process, with waiting for new ones: what a live
 * client reads from and what the in-memory log keeps. Appending is a push onto an array;
 * followers read by index (frame `seq` n is at index n-1).
 *
 * Followers are woken by `publish()`, once per batch of frames, not per frame: the
 * producer pushes every frame of one upstream read and then publishes them together.
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

  /** Appends a frame; followers see it at the next `publish()` or `finish()`. */
  push(frame: StreamFrame): void {
    if (this.end !== null) throw new Error('append after the end of a stream');
    if (frame.seq !== this.frames.length + 1) throw new Error(`frame ${frame.seq} out of order (expected ${this.frames.length + 1})`);
    this.frames.push(frame);
    this.bytes += frame.text.length;
  }

  /** Wakes the followers waiting for frames pushed since the last call. */
  publish(): void {
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  finish(end: StreamEnd): void {
    if (this.end !== null) return;
    this.end = end;
    this.publish();
  }

  /** Frames with `seq > afterSeq` (a copy). */
  after(afterSeq: number): StreamFrame[] {
    return this.frames.slice(Math.max(0, afterSeq));
  }

  /** Frames after `afterSeq`, then live ones, until the end or until `signal` aborts. */
  async *follow(afterSeq: number, signal: AbortSignal): AsyncGenerator<StreamFrame[]> {
    let cursor = Math.max(0, afterSeq);
    // One abort listener for the whole follow, not one per wait.
    let wake: (() => void) | undefined;
    const onAbort = () => wake?.();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        if (cursor < this.frames.length) {
          const batch = this.frames.slice(cursor);
          cursor = this.frames.length;
          yield batch;
          continue;
        }
        if (this.end !== null) return;
        await new Promise<void>((resolve) => {
          wake = resolve;
          this.waiters.push(resolve);
        });
        wake = undefined;
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}
