/**
 * The default stream log: one instance, nothing to install. Memory is bounded: at most
 * `maxStreams` streams and `maxBytes` of frame text; past either, finished streams are
 * evicted least recently used first (running streams are never evicted). Finished
 * streams expire `retentionMs` after their end.
 */
import { FrameBuffer } from './frame-buffer.js';
import { StreamLostError, type StreamEnd, type StreamFrame, type StreamLog, type StreamMeta } from './stream-log.js';

export interface MemoryStreamLogOptions {
  retentionMs: number;
  maxStreams: number;
  maxBytes: number;
}

interface Entry {
  meta: StreamMeta;
  buffer: FrameBuffer;
  /** Set by `finish` (the run has ended the shared buffer just before). */
  finished: boolean;
  expiresAt: number;
}

export class MemoryStreamLog implements StreamLog {
  /** Map order is recency: a touched entry is moved to the end. */
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** Entries that ended: the only ones eviction may drop. */
  private finished = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly options: MemoryStreamLogOptions) {
    this.sweeper = setInterval(() => this.sweep(), Math.min(60_000, Math.max(1_000, options.retentionMs)));
    this.sweeper.unref();
  }

  /** How many streams and bytes are held (for tests and metrics). */
  get size(): { streams: number; bytes: number } {
    return { streams: this.entries.size, bytes: this.bytes };
  }

  /**
   * Returns the stream's buffer: its run pushes frames there (so each frame is kept once),
   * and `append` then only accounts for them.
   */
  async create(id: string, meta: StreamMeta): Promise<FrameBuffer> {
    if (this.entries.has(id)) throw new Error(`stream ${id} exists`);
    const buffer = new FrameBuffer();
    this.entries.set(id, { meta, buffer, finished: false, expiresAt: Infinity });
    this.evict();
    return buffer;
  }

  /** Adds a frame, or only accounts for it when the run already pushed it to the buffer `create` returned. */
  append(id: string, frame: StreamFrame): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    const { buffer } = entry;
    if (frame.seq === buffer.lastSeq + 1) {
      buffer.push(frame.text);
      buffer.publish();
    } else if (frame.seq !== buffer.lastSeq) {
      throw new Error(`frame ${frame.seq} of ${id} out of order (the stream has ${buffer.lastSeq})`);
    }
    this.bytes += frame.text.length;
    if (this.bytes > this.options.maxBytes) this.evict();
  }

  async finish(id: string, end: StreamEnd): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry) return;
    if (entry.finished) return;
    entry.finished = true;
    this.finished++;
    entry.buffer.finish(end);
    entry.buffer.compact();
    entry.expiresAt = Date.now() + this.options.retentionMs;
  }

  async meta(id: string): Promise<StreamMeta | null> {
    return this.live(id)?.meta ?? null;
  }

  async read(id: string, afterSeq: number): Promise<{ frames: StreamFrame[]; end: StreamEnd | null } | null> {
    const entry = this.live(id);
    if (!entry) return null;
    return { frames: entry.buffer.after(afterSeq), end: entry.buffer.end };
  }

  async *follow(id: string, afterSeq: number, signal: AbortSignal): AsyncGenerator<StreamFrame[]> {
    const entry = this.live(id);
    if (!entry) throw new StreamLostError(`stream ${id} is not in the log`);
    yield* entry.buffer.follow(afterSeq, signal);
  }

  async isWatched(): Promise<boolean> {
    return false;
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    this.entries.clear();
    this.bytes = 0;
    this.finished = 0;
  }

  /** The entry if it has not expired, marked as recently used. */
  private live(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.remove(id, entry);
      return undefined;
    }
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry;
  }

  private remove(id: string, entry: Entry): void {
    this.entries.delete(id);
    this.bytes -= entry.buffer.bytes;
    if (entry.finished) this.finished--;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [id, entry] of this.entries) if (entry.expiresAt <= now) this.remove(id, entry);
  }

  /**
   * Past a limit, drops expired streams, then finished ones, least recently used first.
   * Past the byte limit, bytes go down to 90% of it, so that a log at its limit does not
   * walk its entries on every append.
   */
  private evict(): void {
    const { maxStreams, maxBytes } = this.options;
    const overBytes = this.bytes > maxBytes;
    if ((this.entries.size <= maxStreams && !overBytes) || this.finished === 0) return;
    this.sweep();
    const bytesGoal = overBytes ? Math.floor(maxBytes * 0.9) : maxBytes;
    for (const [id, entry] of this.entries) {
      if (this.entries.size <= maxStreams && this.bytes <= bytesGoal) return;
      if (entry.finished) this.remove(id, entry);
    }
  }
}
