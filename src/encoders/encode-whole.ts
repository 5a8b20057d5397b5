/**
 * A whole stream through a dialect's encoder whose messages nobody reads: a non-streaming
 * answer is what the encoder built (the Responses object, the Anthropic message).
 */
import type { EventStream } from '../core/events.js';
import type { StreamEncoder, WireMessage } from './types.js';

/** Throws the stream's error event, so the route answers with an HTTP error. */
export async function encodeWhole(encoder: StreamEncoder, events: EventStream): Promise<void> {
  const discard: WireMessage[] = [];
  for await (const batch of events) {
    for (const event of batch) {
      if (event.type === 'error') throw event.error;
      encoder.encode(event, discard);
      discard.length = 0;
    }
  }
}
