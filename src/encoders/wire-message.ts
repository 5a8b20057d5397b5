/**
 * Encoders that return messages (`{event, data}`) rather than wire text, framed once by
 * `formatSseMessage`. `toTextEncoder` adapts one to the string-returning `StreamEncoder`
 * the run takes today.
 */
import type { EventStream, StreamEvent } from '../core/events.js';
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

/**
 * Feeds a whole stream through an encoder whose messages nobody reads: a non-streaming
 * answer is what the encoder built (its response or message object). The stream's error
 * event is thrown, so the route answers with an HTTP error.
 */
export async function encodeWhole(encoder: MessageEncoder, events: EventStream): Promise<void> {
  const discard: WireMessage[] = [];
  for await (const batch of events) {
    for (const event of batch) {
      if (event.type === 'error') throw event.error;
      encoder.encode(event, discard);
      discard.length = 0;
    }
  }
}
