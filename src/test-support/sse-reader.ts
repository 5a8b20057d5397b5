/**
 * A small SSE client for tests over real HTTP (fetch + eventsource-parser): reads events,
 * can drop the connection after N events like a phone losing its network, and joins the
 * text of OpenAI chat chunks.
 */
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseRead {
  status: number;
  headers: Headers;
  events: EventSourceMessage[];
  /** Every `retry:` field seen. */
  retries: number[];
  /** True if the read stopped because `dropAfter` was reached. */
  dropped: boolean;
  /** The raw body text read. */
  raw: string;
  /** True if `acceptHeaders` refused the response. */
  rejected: boolean;
}

export interface SseRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  /** Abort the connection after this many events (the client "loses its network"). */
  dropAfter?: number;
  /** Looked at before the body is read: false aborts the request at once (`rejected`). */
  acceptHeaders?: (headers: Headers) => boolean;
  /** Abort the connection as soon as an event matches. */
  dropWhen?: (event: EventSourceMessage, count: number) => boolean;
}

export async function readSse(url: string, request: SseRequest = {}): Promise<SseRead> {
  const controller = new AbortController();
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: request.method ?? (request.body !== undefined ? 'POST' : 'GET'),
    headers,
    ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
    signal: controller.signal,
  });
  const out: SseRead = { status: response.status, headers: response.headers, events: [], retries: [], dropped: false, raw: '', rejected: false };
  if (request.acceptHeaders && !request.acceptHeaders(response.headers)) {
    out.rejected = true;
    controller.abort();
    return out;
  }
  if (!response.body) return out;
  const parser = createParser({
    onEvent: (event) => {
      if (out.dropped) return;
      out.events.push(event);
      const n = out.events.length;
      if ((request.dropAfter !== undefined && n >= request.dropAfter) || request.dropWhen?.(event, n)) {
        out.dropped = true;
        controller.abort();
      }
    },
    onRetry: (ms) => out.retries.push(ms),
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      const text = decoder.decode(chunk, { stream: true });
      out.raw += text;
      parser.feed(text);
      if (out.dropped) break;
    }
  } catch (err) {
    if (!out.dropped) throw err;
  }
  return out;
}

/** The content and reasoning text of OpenAI chat chunks, joined in order. */
export function chatText(events: EventSourceMessage[]): string {
  let text = '';
  for (const e of events) {
    if (e.data === '[DONE]') continue;
    const chunk = JSON.parse(e.data) as { choices?: { delta?: { content?: string; reasoning_content?: string } }[] };
    const delta = chunk.choices?.[0]?.delta;
    text += (delta?.reasoning_content ?? '') + (delta?.content ?? '');
  }
  return text;
}

/** The event ids, as numbers (NaN for events without one). */
export function eventIds(events: EventSourceMessage[]): number[] {
  return events.map((e) => (e.id === undefined ? NaN : Number(e.id)));
}
