/**
 * Where every streaming route ends: starts a resumable run (model events → the endpoint's
 * encoder → numbered SSE events in the stream log) and serves it to this client. On
 * failure the run writes one final error event in the endpoint's format. A client that
 * left is a normal end: the run goes on for the resume grace period.
 */
import type { Response } from 'express';
import { CLIENT_LEFT } from '../core/abort.js';
import type { EventStream, StreamEvent } from '../core/events.js';
import { toGatewayError } from '../core/errors.js';
import { noticesFor } from '../encoders/stream-notices.js';
import type { StreamEncoder } from '../encoders/types.js';
import type { StreamHub } from '../streams/stream-hub.js';
import type { StreamObserver, StreamOutcome } from '../streams/stream-run.js';
import { serveStream } from './serve-stream.js';
import { SseWriter } from './sse-writer.js';

export type { StreamObserver, StreamOutcome };

export interface RunStreamOptions {
  res: Response;
  /** Opens the model stream with the run's signal; may throw before the first event (then the route answers with a status). */
  open: (signal: AbortSignal) => Promise<EventStream>;
  encoder: StreamEncoder;
  heartbeatMs: number;
  headers?: Record<string, string>;
  /** Sees every event before it is encoded (traces, metrics, stores). */
  onEvent?: (event: StreamEvent) => void;
  /** Told when the stream starts, of each event, and once of how it ended (metrics). */
  observer?: StreamObserver;
  /**
   * Runs after the last event of a successful stream, before `encoder.end()` is written
   * (e.g. saving the turn, so a client that saw the end can rely on it). A throw becomes
   * the stream's error event.
   */
  beforeEnd?: () => Promise<void> | void;
  streams: StreamHub;
  /** The stream: an unguessable id (sent as `X-Stream-Id`), the key fingerprint that may resume it, the endpoint name. */
  stream: { id: string; owner: string | null; endpoint: string };
}

/**
 * Resolves with how the run ended, which may be after this client left. Throws only when
 * it failed before anything was written, so the caller can answer with an HTTP error.
 */
export async function runStream(options: RunStreamOptions): Promise<StreamOutcome> {
  const { res, streams, stream } = options;
  const clientLeft = new AbortController();
  res.once('close', () => clientLeft.abort(CLIENT_LEFT));
  const writer = new SseWriter(res, { heartbeatMs: options.heartbeatMs, headers: { ...options.headers, 'X-Stream-Id': stream.id } });
  let run;
  try {
    run = await streams.start({
      id: stream.id,
      meta: { owner: stream.owner, endpoint: stream.endpoint, createdAt: Date.now() },
      open: options.open,
      encoder: options.encoder,
      ...(options.onEvent ? { onEvent: options.onEvent } : {}),
      ...(options.observer ? { observer: options.observer } : {}),
      ...(options.beforeEnd ? { beforeEnd: options.beforeEnd } : {}),
    });
  } catch (err) {
    writer.end();
    throw toGatewayError(err);
  }
  // Counts this client from the start, so a client leaving before the first event also
  // starts the grace period rather than nothing.
  const detach = run.attach();
  try {
    try {
      await run.opened;
    } catch (err) {
      // Heartbeats may have sent the headers already; then the run's error event is served below.
      if (!writer.started) {
        writer.end();
        throw err;
      }
    }
    await serveStream({
      streamId: stream.id,
      writer,
      frames: (signal) => run.follow(0, signal),
      notices: noticesFor(stream.endpoint),
      clientSignal: clientLeft.signal,
      shutdownSignal: streams.shutdownSignal,
    });
  } finally {
    detach();
  }
  return run.done;
}
