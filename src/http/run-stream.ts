/**
 * Where every streaming route ends: pipes the normalized events through an encoder into
 * the SSE writer, and on failure writes one final error event in the endpoint's format.
 * A client that left is a normal end, not an error.
 */
import type { Response } from 'express';
import type { StreamEvent } from '../core/events.js';
import { toGatewayError, type GatewayError } from '../core/errors.js';
import type { StreamEncoder } from '../encoders/types.js';
import { SseWriter } from './sse-writer.js';

export interface RunStreamOptions {
  res: Response;
  /** Opens the model stream; may throw before the first event (then the route answers with a status). */
  open: () => Promise<AsyncIterable<StreamEvent>>;
  encoder: StreamEncoder;
  signal: AbortSignal;
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
}

/** Watches one stream from the one place streams end; must be cheap, it sees every event. */
export interface StreamObserver {
  start(): void;
  event(event: StreamEvent): void;
  /** Called exactly once, also when the stream failed before its first byte. */
  end(outcome: StreamOutcome): void;
}

export type StreamOutcome =
  | { status: 'completed' }
  | { status: 'failed'; error: GatewayError }
  | { status: 'aborted' };

/**
 * Resolves with how the stream ended. Throws only when it failed before anything was
 * written, so the caller can answer with an HTTP error instead.
 */
export async function runStream(options: RunStreamOptions): Promise<StreamOutcome> {
  const { observer } = options;
  if (!observer) return pump(options);
  observer.start();
  try {
    const outcome = await pump(options);
    observer.end(outcome);
    return outcome;
  } catch (err) {
    observer.end({ status: 'failed', error: toGatewayError(err) });
    throw err;
  }
}

async function pump(options: RunStreamOptions): Promise<StreamOutcome> {
  const { res, encoder, signal, observer } = options;
  const writer = new SseWriter(res, { heartbeatMs: options.heartbeatMs, headers: options.headers });
  try {
    const events = await options.open();
    for await (const event of events) {
      options.onEvent?.(event);
      observer?.event(event);
      if (!writer.write(encoder.encode(event))) await writer.drained();
      if (event.type === 'error') return { status: 'failed', error: event.error };
      if (writer.isClosed) break;
    }
    if (signal.aborted || writer.isClosed) return { status: 'aborted' };
    await options.beforeEnd?.();
    writer.write(encoder.end());
    return { status: 'completed' };
  } catch (err) {
    if (signal.aborted) return { status: 'aborted' };
    const error = toGatewayError(err);
    if (!writer.started) throw error;
    writer.write(encoder.error(error));
    return { status: 'failed', error };
  } finally {
    writer.end();
  }
}
