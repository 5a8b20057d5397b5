/**
 * Test clients of `/v1/complete`, as real users reach it: a browser-style `EventSource`
 * (the `eventsource` package) and `fetch` reading the raw body through
 * `eventsource-parser`. Also a server on port 0 with its own data directory.
 */
import { EventSource } from 'eventsource';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { ConfigInput } from '../../config/schema.js';
import type { Envelope } from '../../encoders/complete-envelope-encoder.js';
import { startServer, type RunningServer } from '../../server.js';
import { tempDataDir as tempDir, type TempDataDir } from '../../test-support/temp-data-dir.js';

/** A fresh directory for a server's `dataDir`, and a function that removes it. */
export function tempDataDir(): TempDataDir {
  return tempDir('streamgate-complete-');
}

/** A server on 127.0.0.1:0 with the simulator at full speed (unless `config` says otherwise). */
export function startTestServer(dataDir: string, config: ConfigInput = {}): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    config: { dataDir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 }, ...config },
  });
}

/** One SSE event as the client saw it. */
export interface ReceivedEvent {
  /** The SSE `event:` field (`message` when absent). */
  type: string;
  /** The SSE `id:` field. */
  id: string | undefined;
  envelope: Envelope;
}

/** Reads a whole `/v1/complete` stream with `fetch`: status, headers, raw text and parsed events. */
export async function fetchStream(url: string, init?: RequestInit): Promise<{ response: Response; raw: string; events: ReceivedEvent[] }> {
  const response = await fetch(url, init);
  const raw = await response.text();
  const events: ReceivedEvent[] = [];
  const parser = createParser({
    onEvent(message: EventSourceMessage) {
      events.push({ type: message.event ?? 'message', id: message.id, envelope: JSON.parse(message.data) as Envelope });
    },
  });
  parser.feed(raw);
  return { response, raw, events };
}

/** POSTs a JSON body to `/v1/complete` and reads the stream. */
export function postComplete(baseUrl: string, body: unknown) {
  return fetchStream(`${baseUrl}/v1/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/**
 * Reads a stream the way a page does: `new EventSource(url)`, `onmessage` until the `end`
 * or `error` envelope, then `close()`. Rejects if the connection fails (`onerror`) first.
 */
export function readWithEventSource(url: string): Promise<ReceivedEvent[]> {
  return new Promise((resolve, reject) => {
    const source = new EventSource(url);
    const events: ReceivedEvent[] = [];
    source.onmessage = (e) => {
      const envelope = JSON.parse(e.data as string) as Envelope;
      events.push({ type: e.type, id: e.lastEventId, envelope });
      if (envelope.event !== 'message') {
        source.close();
        resolve(events);
      }
    };
    source.onerror = (e) => {
      source.close();
      reject(Object.assign(new Error(`EventSource failed: ${e.message ?? 'connection error'}`), { code: e.code, events }));
    };
  });
}

/** Query string for the GET form. */
export function completeUrl(baseUrl: string, params: Record<string, string | number>): string {
  const query = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]));
  return `${baseUrl}/v1/complete?${query}`;
}

/** The `end` envelope's trace step of a type. */
export function step<T = Record<string, unknown>>(end: Envelope, processType: string): T {
  const found = (end.detail as Array<{ processType: string }>).find((s) => s.processType === processType);
  if (!found) throw new Error(`no ${processType} step in the trace`);
  return found as T;
}

/** The value of a named variable of a `start`/`end` step. */
export function variable(end: Envelope, processType: 'start' | 'end', name: string): unknown {
  const s = step<{ variable: Array<{ name: string; value: unknown }> }>(end, processType);
  return s.variable.find((v) => v.name === name)?.value;
}
