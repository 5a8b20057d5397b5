/**
 * What the client tests share (`src/http/sse-clients.test.ts`, `web/e2e/sse-clients.test.ts`):
 * a streamgate whose heartbeat is short and whose simulator is slow, so every stream has a
 * quiet stretch of several heartbeats after its first event; the streams every client reads
 * (chat with and without `resumable`, on both chat dialects, and `/v1/complete`, which always
 * carries `id:` lines); and the checks on what the server sent, parsed by a WHATWG-conformant
 * parser (`eventsource-parser`) from the bytes a recording proxy saw.
 */
import assert from 'node:assert/strict';
import { createParser } from 'eventsource-parser';
import type { Exchange, RecordingProxy } from './recording-proxy.js';

/** Short, so a quiet stretch (1.5 to 3.5 s: the simulator jitters its pace by ±40%) holds several. */
export const MATRIX_HEARTBEAT_MS = 200;

/** 0.4 tokens/s: the role chunk and first token at once, then about 2.5 s of silence per token. */
export const SLOW_SIM = { tokens_per_second: 0.4, first_token_ms: 0 } as const;

export interface ChatStream {
  name: string;
  /** The dialect's base URL path: `/v1` or `/lm/v2` (the SDKs add `/chat/completions`). */
  base: '/v1' | '/lm/v2';
  resumable: boolean;
}

export const CHAT_STREAMS: readonly ChatStream[] = [
  { name: 'v1-plain', base: '/v1', resumable: false },
  { name: 'v1-resumable', base: '/v1', resumable: true },
  { name: 'lm-v2-plain', base: '/lm/v2', resumable: false },
  { name: 'lm-v2-resumable', base: '/lm/v2', resumable: true },
];

/** A chat request body tagged so the proxy's exchange can be found again. */
export function chatBody(stream: ChatStream, tag: string): Record<string, unknown> {
  return {
    model: 'sim-chat',
    stream: true,
    // Two tokens: the first at once, the second after the quiet stretch.
    [stream.base === '/v1' ? 'max_tokens' : 'max_completion_tokens']: 2,
    messages: [{ role: 'user', content: `hi [${tag}]` }],
    sim: SLOW_SIM,
    ...(stream.resumable ? { resumable: true } : {}),
  };
}

/** `GET /v1/complete` query parameters for a tagged question (resumable by default: `id:` lines). */
export function completeParams(tag: string): Record<string, string> {
  return { question: `hi [${tag}]`, model: 'sim-chat', max_tokens: '2', sim_tokens_per_second: String(SLOW_SIM.tokens_per_second), sim_first_token_ms: '0' };
}

export function completeQuery(tag: string): string {
  return new URLSearchParams(completeParams(tag)).toString();
}

/** The `POST /v1/complete` body for a tagged question. */
export function completeBody(tag: string): Record<string, unknown> {
  return { question: `hi [${tag}]`, model: 'sim-chat', max_tokens: 2, sim: SLOW_SIM };
}

export interface WireEvent {
  data: string;
  id?: string;
  event?: string;
}

/** The events in an SSE body as a conformant parser dispatches them. */
export function parseEvents(body: string): WireEvent[] {
  const events: WireEvent[] = [];
  const parser = createParser({
    onEvent: (e) => events.push({ data: e.data, ...(e.id !== undefined ? { id: e.id } : {}), ...(e.event !== undefined ? { event: e.event } : {}) }),
    onError: (err) => {
      throw err;
    },
  });
  parser.feed(body);
  return events;
}

/** The one exchange whose request carries `tag`: a client that re-sent its request fails here. */
export function exchangeFor(proxy: RecordingProxy, tag: string): Exchange {
  const marker = `[${tag}]`;
  const encoded = encodeURIComponent(marker);
  const found = proxy.exchanges.filter((e) => e.requestBody.includes(marker) || e.path.includes(encoded));
  assert.equal(found.length, 1, `one request for ${tag}, got ${found.length}: ${found.map((e) => `${e.method} ${e.path} last-event-id=${e.requestHeaders['last-event-id'] ?? '-'}`).join('; ')}`);
  return found[0] as Exchange;
}

/**
 * Checks what the server sent on one exchange: 200, an event stream, a quiet stretch of at
 * least three heartbeats after the first event, `id:` lines exactly when `withIds`, and a
 * normal end (`[DONE]` for chat, the `end` envelope for `/v1/complete`). Returns the events.
 */
export function assertServedStream(exchange: Exchange, options: { withIds: boolean; kind: 'chat' | 'complete' }): WireEvent[] {
  const where = `${exchange.method} ${exchange.path}`;
  assert.equal(exchange.status, 200, `${where}: ${exchange.body.slice(0, 300)}`);
  assert.match(String(exchange.responseHeaders?.['content-type']), /^text\/event-stream/);
  const body = exchange.body;
  // The longest run of heartbeats between two events, after the first event.
  const runs = body.slice(body.indexOf('data: ')).match(/(?:: ping\n)+(?=data: )/g) ?? [];
  const quiet = Math.max(0, ...runs.map((run) => run.length / ': ping\n'.length));
  assert.ok(quiet >= 3, `${where}: a quiet stretch of several heartbeats after the first event, got ${quiet} in ${JSON.stringify(body.slice(0, 600))}`);
  assert.ok(!body.includes(': ping\n\n'), `${where}: a heartbeat is a lone comment line`);
  const events = parseEvents(body);
  assert.ok(events.length >= 3, `${where}: ${events.length} events`);
  for (const e of events) {
    assert.notEqual(e.data, '', `${where}: no event with empty data`);
    assert.equal(e.id !== undefined, options.withIds, `${where}: ${options.withIds ? 'every event has' : 'no event has'} an id: ${JSON.stringify(e)}`);
  }
  const last = events.at(-1) as WireEvent;
  if (options.kind === 'chat') assert.equal(last.data, '[DONE]', `${where} ends with [DONE]`);
  else assert.equal((JSON.parse(last.data) as { event?: string }).event, 'end', `${where} ends with the end event`);
  return events;
}

/** The JSON payloads of a chat stream's events, `[DONE]` left out (what an SDK yields). */
export function chatPayloads(events: WireEvent[]): unknown[] {
  return events.filter((e) => e.data !== '[DONE]').map((e) => JSON.parse(e.data) as unknown);
}
