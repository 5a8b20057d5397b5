/**
 * Test helpers that read an SSE response the way a client does: the raw bytes, and the
 * events parsed with eventsource-parser (the well-kept parser, not our own).
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface RawStream {
  status: number;
  headers: Headers;
  /** Everything received, as text. */
  body: string;
}

export async function postRaw(url: string, body: unknown, headers: Record<string, string> = {}): Promise<RawStream> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: await res.text() };
}

export function parseSse(text: string): EventSourceMessage[] {
  const events: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => events.push(e) });
  parser.feed(text);
  return events;
}

/** The `data:` payloads of an SSE body, parsed as JSON where they are JSON. */
export function dataOf(text: string): unknown[] {
  return parseSse(text).map((e) => (e.data === '[DONE]' ? '[DONE]' : JSON.parse(e.data)));
}
