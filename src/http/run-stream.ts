/**
 * Where every streaming route ends: starts a run (model events → the dialect's encoder →
 * frames, kept in the stream log when the stream is resumable) and serves it to this
 * client. On failure the run writes one final error event in the dialect's format. What
 * this client leaving does is the run's `disconnect` policy (`streams/stream-run.ts`).
 */
import type { Response } from 'express';
import type { EventStream } from '../core/events.js';
import { toGatewayError } from '../core/errors.js';
import { noticesFor } from '../encoders/stream-notices.js';
import type { StreamEncoder } from '../encoders/types.js';
import type { HandoverSource } from '../streams/handover.js';
import type { StreamHub } from '../streams/stream-hub.js';
import type { DisconnectPolicy, StreamObserver, StreamOutcome } from '../streams/stream-run.js';
import { serveRun } from './serve-stream.js';
import { SseWriter } from './sse-writer.js';

export type { DisconnectPolicy, StreamObserver, StreamOutcome };

export interface RunStreamOptions {
  res: Response;
  /** Opens the model stream with the run's signal; may throw before the first event (then the route answers with a status). */
  open: (signal: AbortSignal) => Promise<EventStream>;
  encoder: StreamEncoder;
  heartbeatMs: number;
  /** `limits.stalledClientMs`: see `SseWriterOptions`. */
  stalledClientMs?: number;
  /** What a quiet stream sends instead of the default comment line (see `SseWriterOptions.heartbeat`). */
  heartbeat?: string;
  headers?: Record<string, string>;
  /** See every event and how the run ended (traces, metrics, stores). */
  observers?: readonly StreamObserver[];
  /**
   * Runs after the last event of a successful stream, before `encoder.end()` is written
   * (e.g. saving the turn, so a client that saw the end can rely on it). A throw becomes
   * the stream's error event.
   */
  beforeEnd?: () => Promise<void> | void;
  /** What this client leaving does: `stop` the model now, keep it for a `grace` period to resume, or `finish` it. */
  disconnect: DisconnectPolicy;
  streams: StreamHub;
  /** Lets the run be continued by another instance at a shutdown (a shared log only; `streams/handover.ts`). */
  handover?: HandoverSource;
  /** The stream: an unguessable id (sent as `X-Stream-Id`), the owner who may resume it, the dialect name. */
  stream: { id: string; owner: string | null; endpoint: string; requestHash?: string };
}

/**
 * Resolves with how the run ended, which may be after this client left. Throws only when
 * it failed before anything was written and the client is still there, so the caller can
 * answer with an HTTP error.
 */
export async function runStream(options: RunStreamOptions): Promise<StreamOutcome> {
  const { res, streams, stream } = options;
  const writer = new SseWriter(res, {
    heartbeatMs: options.heartbeatMs,
    ...(options.heartbeat !== undefined ? { heartbeat: options.heartbeat } : {}),
    ...(options.stalledClientMs !== undefined ? { stalledClientMs: options.stalledClientMs } : {}),
    headers: { ...options.headers, 'X-Stream-Id': stream.id },
  });
  let run;
  try {
    run = await streams.start({
      id: stream.id,
      meta: { owner: stream.owner, endpoint: stream.endpoint, createdAt: Date.now(), ...(stream.requestHash ? { requestHash: stream.requestHash } : {}) },
      open: options.open,
      encoder: options.encoder,
      disconnect: options.disconnect,
      ...(options.observers ? { observers: options.observers } : {}),
      ...(options.beforeEnd ? { beforeEnd: options.beforeEnd } : {}),
      ...(options.handover ? { handover: options.handover } : {}),
    });
  } catch (err) {
    writer.end();
    throw toGatewayError(err);
  }
  // This client counts from the start, and its leaving is seen at once, also while the
  // model has not sent its first byte: a stop before the first token stops the upstream
  // request (and every retry and fallback after it) right away.
  const detach = run.attach();
  let left = false;
  const onClose = () => {
    left = true;
    detach();
  };
  if (res.destroyed) onClose();
  else res.once('close', onClose);
  try {
    try {
      await run.opened;
    } catch (err) {
      // Heartbeats may have sent the headers already; then the run's error event is served below.
      if (!writer.started) {
        writer.end();
        if (left) return await run.done;
        throw err;
      }
    }
    await serveRun({
      streamId: stream.id,
      writer,
      run,
      notices: noticesFor(stream.endpoint),
      ...(run.resumable ? { resumeElsewhere: streams.shutdownSignal } : {}),
    });
  } finally {
    detach();
  }
  return run.done;
}
