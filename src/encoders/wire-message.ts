/**
 * Encoders that return messages (`{event, data}`) rather than wire text, framed once by
 * `formatSseMessage`. `toTextEncoder` adapts one to the string-returning `StreamEncoder`
 * the run takes today.
 */
import type { StreamEvent } from '../core/events.js';
import type { GatewayError } from '../core/errors.js';
import { formatSseMessage } from '../core/sse.js';
import type { StreamEncoder } from './types.js';

/** One SSE message before framing. */
export interface WireMessage {
  data: string;
  event?: string;
}

/** An encoder that appends the messages each call produces to `out`. */
export interface MessageEncoder {
  encode(event: StreamEvent, out: WireMessage[]): void;
  /** After the last event of a successful stream. */
  end(out: WireMessage[]): void;
  /** The final message(s) of a failed stream, in the endpoint's format. */
  error(error: GatewayError, out: WireMessage[]): void;
}

export function frameMessages(messages: readonly WireMessage[]): string {
  let text = '';
  for (const message of messages) text += formatSseMessage(message);
  return text;
}

/** The message encoder as the run's string-returning encoder. */
export function toTextEncoder(encoder: MessageEncoder): StreamEncoder {
  const call = (fn: (out: WireMessage[]) => void) => {
    const out: WireMessage[] = [];
    fn(out);
    return frameMessages(out);
  };
  return {
    encode: (event) => call((out) => encoder.encode(event, out)),
    end: () => call((out) => encoder.end(out)),
    error: (error) => call((out) => encoder.error(error, out)),
  };
}
