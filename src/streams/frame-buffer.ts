/**
 * The frames of one stream in this process, with waiting for new ones: what a live
 * client reads from and what the in-memory log keeps. Frame `seq` n is the n-th text.
 *
 * It holds wire text only (no object per frame), and `compact()` joins a finished
 * stream into one string with an offset table: a stream kept for resuming is then two
 * objects instead of hundreds, which is what the garbage collector pays for.
 *
 * Followers are woken by `publish()`, once per batch of frames, not per frame: the
 * producer pushes every frame of one upstream read and then publishes them together.
 */
import type { StreamEnd, StreamFrame } from './stream-log.js';

export class FrameBuffer {
  end: StreamEnd | null = null;
  /** UTF-16 units of text held. */
  bytes = 0;
  private texts: string[] = [];
  /** After `compact()`: every frame's text, joined, and where each frame ends in it. */
  private joined = '';
  private ends: Uint32Array | null = null;
  private waiters: (() => void)[] = [];

  get lastSeq(): number {
    return this.ends ? this.ends.length : this.texts.length;
  }

  /** Appends the next frame's wire text; followers see it at the next `publish()` or `finish()`. */
  push(text: string): void {
    if (this.end !== null) throw new Error('append after the end of a stream');
    this.texts.push(text);
    this.bytes += text.length;
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

  /** Joins a finished stream's frames into one string (for keeping it until it expires). */
  compact(): void {
    if (this.end === null || this.ends) return;
    const ends = new Uint32Array(this.texts.length);
    let at = 0;
    this.texts.forEach((text, i) => (ends[i] = at += text.length));
    this.joined = this.texts.join('');
    this.ends = ends;
    this.texts = [];
  }

  /** Frames with `seq > afterSeq`. */
  after(afterSeq: number): StreamFrame[] {
    return this.slice(Math.max(0, afterSeq), this.lastSeq);
  }

  /** Frames after `afterSeq`, then live ones, until the end or until `signal` aborts. */
  async *follow(afterSeq: number, signal: AbortSignal): AsyncGenerator<StreamFrame[]> {
    let cursor = Math.max(0, afterSeq);
    // One abort listener for the whole follow, not one per wait.
    let wake: (() => void) | undefined;
    const onAbort = () => {
      if (!wake) return;
      // A follower that leaves takes its waiter along, so reconnect storms on a quiet stream do not pile them up.
      this.waiters = this.waiters.filter((w) => w !== wake);
      wake();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      while (!signal.aborted) {
        const last = this.lastSeq;
        if (cursor < last) {
          const batch = this.slice(cursor, last);
          cursor = last;
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

  /** Frames at indexes `from` (inclusive) to `to` (exclusive). */
  private slice(from: number, to: number): StreamFrame[] {
    const out: StreamFrame[] = [];
    const { ends } = this;
    for (let i = from; i < to; i++) {
      const text = ends ? this.joined.slice(i === 0 ? 0 : ends[i - 1], ends[i]) : (this.texts[i] as string);
      out.push({ seq: i + 1, text });
    }
    return out;
  }
}
