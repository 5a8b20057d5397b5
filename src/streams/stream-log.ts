/**
 * Where a stream's numbered SSE frames are kept so a client that lost its connection can
 * get exactly the frames after the last one it saw (`Last-Event-ID`), from this instance
 * or, with a shared log, from any other. Two implementations: in memory (one instance)
 * and Redis Streams (many instances).
 */

import type { StoreProblem } from '../store/types.js';
import type { FrameBuffer } from './frame-buffer.js';

/** Who started a stream and what it is. */
export interface StreamMeta {
  /** The name of the API key that started it; null without auth. */
  owner: string | null;
  /** The endpoint whose wire format the frames are in (picks the shutdown notice). */
  endpoint: string;
  /** Unix ms. */
  createdAt: number;
  /**
   * A hash of the request that started it, where a client may resume by sending the same
   * request again (`/v1/complete`): the same id with another request is a conflict.
   */
  requestHash?: string;
}

/** One SSE event as wire text, its `id: <seq>` line included. */
export interface StreamFrame {
  seq: number;
  text: string;
}

export type StreamEnd = 'completed' | 'failed' | 'aborted';

/** Raised by `follow` when the stream can no longer be followed (its run is gone). */
export class StreamLostError extends Error {
  override name = 'StreamLostError';
}

export interface StreamLog {
  /**
   * Registers a new stream; rejects (503 `store_unavailable`) when the store is down. A log
   * that keeps frames in this process returns the buffer it keeps them in: the run pushes
   * its frames there and `append` only accounts for them, so each frame is kept once.
   */
  create(id: string, meta: StreamMeta): Promise<FrameBuffer | void>;
  /** Adds the next frame. Cheap and synchronous: a shared log may batch writes. */
  append(id: string, frame: StreamFrame): void;
  /** Marks the end; frames stay readable for the retention time. Resolves when written. */
  finish(id: string, end: StreamEnd): Promise<void>;
  /** The stream's metadata, or null if unknown or expired. */
  meta(id: string): Promise<StreamMeta | null>;
  /** Frames after `afterSeq` that exist now, and whether the stream has ended; null if unknown. */
  read(id: string, afterSeq: number): Promise<{ frames: StreamFrame[]; end: StreamEnd | null } | null>;
  /**
   * Frames after `afterSeq`, then live ones as they are appended (possibly by another
   * instance), until the stream ends or `signal` aborts. Throws `StreamLostError` when the
   * stream stops making progress and its run no longer exists.
   */
  follow(id: string, afterSeq: number, signal: AbortSignal): AsyncIterable<StreamFrame[]>;
  /** True if a client is following this stream on another instance (keeps its run alive). */
  isWatched(id: string): Promise<boolean>;
  /**
   * Shared logs only, for a handover (`handover.ts`): every frame written, this instance
   * stops running the stream without ending it, and followers wait `holdMs` for another
   * instance to `adopt` it.
   */
  handOff?(id: string, holdMs: number): Promise<void>;
  /** Shared logs only: this instance goes on writing a stream another one handed off, after frame `lastSeq`. */
  adopt?(id: string, lastSeq: number): Promise<void>;
  close(): Promise<void>;
  /** What keeps the log from keeping every stream resumable, or null (absent: it never reports). */
  problem?(): StoreProblem | null;
}
