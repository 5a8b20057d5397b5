import type { StreamEvent } from '../core/events.js';
import type { GatewayError } from '../core/errors.js';
import type { SseMessage } from '../core/sse.js';

/**
 * One SSE event of a dialect, not yet framed. The stream run numbers it (an `id:` line
 * where the stream can be resumed) and `formatSseMessage` frames it: framing happens in
 * that one place.
 */
export type WireMessage = Omit<SseMessage, 'id'>;

/**
 * Turns the normalized stream into one dialect's messages. Each call appends what it has
 * to say to `out` (nothing is fine), so a batch of events fills one array.
 */
export interface StreamEncoder {
  encode(event: StreamEvent, out: WireMessage[]): void;
  /** After the last event of a successful stream (usage chunk, `[DONE]`, …). */
  end(out: WireMessage[]): void;
  /** The final event of a failed or stopped stream, in the dialect's format. */
  error(error: GatewayError, out: WireMessage[]): void;
}

/**
 * What a dialect says to one connection outside its stream: never numbered, never
 * replayed. Each dialect's encoder module owns its notices, so a resume error and an
 * in-run error of one dialect have the same shape.
 */
export interface DialectNotices {
  /** Tells the client to reconnect with `Last-Event-ID` (an SSE `retry:` sets how soon). */
  resume(streamId: string, retryMs: number): WireMessage;
  /** A final error for a client whose stream cannot be followed any further. */
  error(error: GatewayError, streamId: string): WireMessage;
}
