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
  const { res, encoder, signal } = options;
  const writer = new SseWriter(res, { heartbeatMs: options.heartbeatMs, headers: options.headers });
  try {
    const events = await options.open();
    for await (const event of events) {
      options.onEvent?.(event);
      if (!writer.write(encoder.encode(event))) await writer.drained();
      if (event.type === 'error') return { status: 'failed', error: event.error };
      if (writer.isClosed) break;
    }
    if (signal.aborted || writer.isClosed) return { status: 'aborted' };
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
