/**
 * Upstream SSE bytes to messages: a streaming `TextDecoder` (a UTF-8 character cut between
 * two chunks is kept whole) feeding eventsource-parser (`\r\n`, `\r`, comments, fields cut
 * anywhere). A last event without its closing blank line is still delivered.
 *
 * What the parser holds (an unfinished line plus the data of an unfinished event) is
 * bounded by `maxEventChars`: past it, `push` throws `SseLimitError` and nothing more is
 * kept, so an upstream sending one endless line cannot fill memory.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export type { EventSourceMessage };

export interface SseDecoder {
  /** Feeds raw bytes; returns the messages completed by them. Throws `SseLimitError` past the limit. */
  push(bytes: Uint8Array): EventSourceMessage[];
  /** The body ended: returns the messages that only lacked their final line break. */
  end(): EventSourceMessage[];
}

export interface SseDecoderOptions {
  /** Most characters of one line or one event held at once (decoded text: never more than its UTF-8 bytes). */
  maxEventChars?: number;
}

/** One SSE line or event was longer than the decoder's limit. */
export class SseLimitError extends Error {
  constructor(readonly limit: number) {
    super(`an SSE line or event longer than ${limit} characters`);
    this.name = 'SseLimitError';
  }
}

export function createSseDecoder(options: SseDecoderOptions = {}): SseDecoder {
  const decoder = new TextDecoder('utf-8');
  let ready: EventSourceMessage[] = [];
  let overflow = false;
  const { maxEventChars } = options;
  const parser = createParser({
    onEvent: (message) => {
      // A whole line that came in one chunk is parsed before the parser checks its size.
      if (maxEventChars !== undefined && message.data.length > maxEventChars) overflow = true;
      else ready.push(message);
    },
    onError: (err) => {
      if (err.type === 'max-buffer-size-exceeded') overflow = true;
    },
    ...(maxEventChars === undefined ? {} : { maxBufferSize: maxEventChars }),
  });
  const take = () => {
    if (overflow) {
      ready = [];
      throw new SseLimitError(maxEventChars as number);
    }
    const out = ready;
    ready = [];
    return out;
  };
  return {
    push(bytes) {
      if (!overflow) parser.feed(decoder.decode(bytes, { stream: true }));
      return take();
    },
    end() {
      // A pending `\r` followed by this `\n` is one line break, as the SSE spec says.
      if (!overflow) parser.feed(`${decoder.decode()}\n\n`);
      return take();
    },
  };
}
