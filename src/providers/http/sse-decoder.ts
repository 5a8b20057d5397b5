/**
 * Upstream SSE bytes to messages: a streaming `TextDecoder` (a UTF-8 character cut between
 * two chunks is kept whole) feeding eventsource-parser (`\r\n`, `\r`, comments, fields cut
 * anywhere). A last event without its closing blank line is still delivered.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type { EventSourceMessage };

export interface SseDecoder {
  /** Feeds raw bytes; returns the messages completed by them. */
  push(bytes: Uint8Array): EventSourceMessage[];
  /** The body ended: returns the messages that only lacked their final line break. */
  end(): EventSourceMessage[];
}

export function createSseDecoder(): SseDecoder {
  const decoder = new TextDecoder('utf-8');
  let ready: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (message) => ready.push(message) });
  const take = () => {
    const out = ready;
    ready = [];
    return out;
  };
  return {
    push(bytes) {
      parser.feed(decoder.decode(bytes, { stream: true }));
      return take();
    },
    end() {
      // A pending `\r` followed by this `\n` is one line break, as the SSE spec says.
      parser.feed(`${decoder.decode()}\n\n`);
      return take();
    },
  };
}
