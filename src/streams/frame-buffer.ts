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
 * A follower is either a generator (`follow`: a promise per wait, for resuming clients
 * and the log) or a listener (`listen`: called from `publish` itself, the live client of
 * a run on this instance).
 *
 * A buffer that keeps only what is `untaken` (a stream that cannot be resumed: nobody
 * will ever ask for its old frames) drops every frame its listeners have all taken, so a
 * long answer is not held in memory until it ends.
 */
import type { StreamEnd, StreamFrame } from './stream-log.js';

/** A follower called from `publish()`: no promise, no generator frame per batch. */
export interface FrameListener {
  /** The wire text of every frame since the last call, joined. */
  frames(text: string): void;
  /** The stream ended; its last frames went to `frames` just before. */
  end(end: StreamEnd): void;
}

interface Listening {
  cursor: number;
  listener: FrameListener;
}

export interface FrameBufferOptions {
  /** `all` (default): every frame until the buffer is dropped; `untaken`: only frames some listener has not taken yet. */
  keep?: 'all' | 'untaken';
}

export class FrameBuffer {
  end: StreamEnd | null = null;
  /** UTF-16 units of text held. */
  bytes = 0;
  /** Frames dropped from the front (`untaken` only): `texts[i]` is frame `base + i + 1`. */
  private base = 0;
  private texts: string[] = [];
  /** After `compact()`: every frame's text, joined, and where each frame ends in it. */
  private joined = '';
  private ends: Uint32Array | null = null;
  private waiters: (() => void)[] = [];
  private listeners: Listening[] = [];
  /** Generator followers now (they hold cursors of their own: nothing is dropped while one runs). */
  private generators = 0;
  private readonly untaken: boolean;

  constructor(options: FrameBufferOptions = {}) {
    this.untaken = options.keep === 'untaken';
  }

  get lastSeq(): number {
    return this.ends ? this.ends.length : this.base + this.texts.length;
  }

  /** Appends the next frame's wire text; followers see it at the next `publish()` or `finish()`. */
  push(text: string): void {
    if (this.end !== null) throw new Error('append after the end of a stream');
    this.texts.push(text);
    this.bytes += text.length;
  }

  /** Wakes the followers waiting for frames pushed since the last call. */
  publish(): void {
    const { listeners } = this;
    if (listeners.length > 0) {
      for (const l of listeners) this.deliver(l);
      if (this.untaken) this.dropTaken();
    }
    if (this.waiters.length === 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  finish(end: StreamEnd): void {
    if (this.end !== null) return;
    this.end = end;
    this.publish();
    const listeners = this.listeners;
    this.listeners = [];
    for (const l of listeners) l.listener.end(end);
  }

  /**
   * Calls `listener` with the frames after `afterSeq` now, then at every `publish()`, and
   * its `end` when the stream ends (at once if it has); returns the function that stops it.
   */
  listen(afterSeq: number, listener: FrameListener): () => void {
    const entry: Listening = { cursor: Math.max(this.base, afterSeq), listener };
    this.deliver(entry);
    if (this.end !== null) {
      listener.end(this.end);
      return () => undefined;
    }
    this.listeners.push(entry);
    return () => {
      this.listeners = this.listeners.filter((l) => l !== entry);
    };
  }

  /** Joins a finished stream's frames into one string (for keeping it until it expires). */
  compact(): void {
    if (this.end === null || this.ends || this.base > 0) return;
    const ends = new Uint32Array(this.texts.length);
    let at = 0;
    this.texts.forEach((text, i) => (ends[i] = at += text.length));
    this.joined = this.texts.join('');
    this.ends = ends;
    this.texts = [];
  }

  /** Frames with `seq > afterSeq` (of those still kept). */
  after(afterSeq: number): StreamFrame[] {
    return this.slice(Math.max(this.base, afterSeq), this.lastSeq);
  }

  /** Frames after `afterSeq`, then live ones, until the end or until `signal` aborts. */
  async *follow(afterSeq: number, signal: AbortSignal): AsyncGenerator<StreamFrame[]> {
    let cursor = Math.max(this.base, afterSeq);
    this.generators++;
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
      this.generators--;
      signal.removeEventListener('abort', onAbort);
    }
  }

  /** The listener's frames since its cursor, as one text. */
  private deliver(entry: Listening): void {
    const last = this.lastSeq;
    if (entry.cursor >= last) return;
    let text = '';
    if (this.ends) text = this.joined.slice(entry.cursor === 0 ? 0 : this.ends[entry.cursor - 1], this.ends[last - 1]);
    else for (let i = entry.cursor - this.base; i < this.texts.length; i++) text += this.texts[i];
    entry.cursor = last;
    entry.listener.frames(text);
  }

  /** `untaken`: drops the frames every listener has taken. */
  private dropTaken(): void {
    if (this.generators > 0) return;
    let taken = this.lastSeq;
    for (const l of this.listeners) taken = Math.min(taken, l.cursor);
    const n = taken - this.base;
    if (n <= 0) return;
    if (n === this.texts.length) {
      this.texts = [];
      this.bytes = 0;
    } else {
      for (const text of this.texts.splice(0, n)) this.bytes -= text.length;
    }
    this.base = taken;
  }

  /** Frames at indexes `from` (inclusive) to `to` (exclusive). */
  private slice(from: number, to: number): StreamFrame[] {
    const out: StreamFrame[] = [];
    const { ends } = this;
    for (let i = from; i < to; i++) {
      const text = ends ? this.joined.slice(i === 0 ? 0 : ends[i - 1], ends[i]) : (this.texts[i - this.base] as string);
      out.push({ seq: i + 1, text });
    }
    return out;
  }
}
