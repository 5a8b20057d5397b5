/**
 * An encoder whose calls return wire text, framed as the stream run frames a stream that
 * cannot be resumed (no `id:` lines): for tests that read an encoder's bytes.
 */
import type { StreamEvent } from '../core/events.js';
import type { GatewayError } from '../core/errors.js';
import { formatSseMessage } from '../core/sse.js';
import type { StreamEncoder, WireMessage } from '../encoders/types.js';

export interface FramedEncoder {
  encode(event: StreamEvent): string;
  end(): string;
  error(error: GatewayError): string;
}

export function framed(encoder: StreamEncoder): FramedEncoder {
  const text = (fill: (out: WireMessage[]) => void) => {
    const out: WireMessage[] = [];
    fill(out);
    return out.map(formatSseMessage).join('');
  };
  return {
    encode: (event) => text((out) => encoder.encode(event, out)),
    end: () => text((out) => encoder.end(out)),
    error: (error) => text((out) => encoder.error(error, out)),
  };
}
