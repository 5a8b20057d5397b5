import type { StreamEvent } from '../core/events.js';
import type { GatewayError } from '../core/errors.js';

/**
 * Turns the normalized stream into one endpoint's SSE wire text. Each call returns the
 * text to write ('' for nothing), so a route writes it as it is.
 */
export interface StreamEncoder {
  encode(event: StreamEvent): string;
  /** After the last event of a successful stream (usage chunk, `[DONE]`, …). */
  end(): string;
  /** The final event of a failed stream, in the endpoint's format. */
  error(error: GatewayError): string;
}
