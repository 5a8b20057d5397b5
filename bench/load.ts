/**
 * The load generator: streaming POSTs over keep-alive sockets, every response read with a
 * real SSE parser (`eventsource-parser`) and each event classified by its dialect
 * (`dialects.ts`). It times the first chunk with text (`performance.now()`), counts chunks
 * with text, all events and the bytes received, and settles a stream as done only when
 * the dialect's end marker came, no error event did, and (when the target says how many)
 * every upstream chunk arrived.
 */
import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import { createParser } from 'eventsource-parser';
import { isHeartbeat, type Wire } from './dialects.js';

/** Where a stream is asked for: the same scenario for every side of a comparison. */
export interface Target {
  name: string;
  port: number;
  path: string;
  body: string;
  agent: Agent;
  wire: Wire;
  /** Chunks with text a complete stream carries (the upstream's token count); unchecked when absent. */
  expectChunks?: number;
}

export function newAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 30_000 });
}

export function target(name: string, port: number, path: string, body: Record<string, unknown>, wire: Wire, expectChunks?: number): Target {
  return { name, port, path, body: JSON.stringify(body), agent: newAgent(), wire, ...(expectChunks !== undefined ? { expectChunks } : {}) };
}

/** What every stream received so far (read at a phase's start and end). */
export const counters = { chunks: 0, events: 0, bytes: 0 };

export interface StreamResult {
  /** From sending the request to the first chunk with text, in ms (NaN if none came). */
  ttftMs: number;
  chunks: number;
  events: number;
  bytes: number;
}

export interface StreamHandle {
  done: Promise<StreamResult>;
  /** Resolves at the first chunk with text. */
  firstToken: Promise<void>;
  /** The response's headers (`X-Stream-Id` names the stream to cancel), once they came. */
  headers: Promise<IncomingHttpHeaders>;
  /** Times (performance.now()) of each heartbeat (`: ping`, or Anthropic's `event: ping`). */
  pings: number[];
  close(): void;
}

/**
 * Starts one stream. `done` rejects on a non-200 status, a broken connection, an error
 * event, a stream that ends without its end marker, or one short of `expectChunks`.
 */
export function openStream(t: Target): StreamHandle {
  const started = performance.now();
  const result: StreamResult = { ttftMs: Number.NaN, chunks: 0, events: 0, bytes: 0 };
  let ended = false;
  let failure: string | undefined;
  const pings: number[] = [];
  let markFirst!: () => void;
  const firstToken = new Promise<void>((resolve) => (markFirst = resolve));
  let markHeaders!: (h: IncomingHttpHeaders) => void;
  const headers = new Promise<IncomingHttpHeaders>((resolve) => (markHeaders = resolve));
  const parser = createParser({
    onEvent(e) {
      result.events++;
      counters.events++;
      if (isHeartbeat(e)) {
        pings.push(performance.now());
        return;
      }
      switch (t.wire.classify(e)) {
        case 'text':
          if (result.chunks === 0) {
            result.ttftMs = performance.now() - started;
            markFirst();
          }
          result.chunks++;
          counters.chunks++;
          return;
        case 'end':
          ended = true;
          return;
        case 'error':
          failure ??= `${t.name}: error event ${e.event ?? ''} ${e.data.slice(0, 200)}`;
          return;
        default:
          return;
      }
    },
    onComment(comment) {
      if (isHeartbeat({ comment })) pings.push(performance.now());
    },
    onError(err) {
      failure ??= `${t.name}: unreadable SSE: ${err.message}`;
    },
  });
  const req = request({
    host: '127.0.0.1',
    port: t.port,
    path: t.path,
    method: 'POST',
    agent: t.agent,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(t.body) },
  });
  const done = new Promise<StreamResult>((resolve, reject) => {
    req.on('error', reject);
    // Settles whatever happened (a promise settles once): a closed stream never hangs a phase.
    req.on('close', () => reject(new Error(`${t.name}: connection closed`)));
    req.on('response', (res) => {
      markHeaders(res.headers);
      if (res.statusCode !== 200) {
        let text = '';
        res.setEncoding('utf8').on('data', (s: string) => (text += s));
        res.on('end', () => reject(new Error(`${t.name}: HTTP ${res.statusCode} ${text.slice(0, 300)}`)));
        return;
      }
      const decoder = new StringDecoder('utf8');
      res.on('data', (buf: Buffer) => {
        result.bytes += buf.length;
        counters.bytes += buf.length;
        parser.feed(decoder.write(buf));
      });
      res.on('end', () => {
        parser.feed(decoder.end());
        if (failure) reject(new Error(failure));
        else if (!ended) reject(new Error(`${t.name}: the stream ended without its end marker (${t.wire.endMarker})`));
        else if (t.expectChunks !== undefined && result.chunks !== t.expectChunks) reject(new Error(`${t.name}: ${result.chunks} of ${t.expectChunks} chunks arrived`));
        else resolve(result);
      });
      res.on('error', reject);
      res.on('close', () => reject(new Error(`${t.name}: response closed before its end`)));
    });
    req.end(t.body);
  });
  return { done, firstToken, headers, pings, close: () => req.destroy() };
}

export interface LoopResult {
  ttftMs: number[];
  streams: number;
  errors: number;
  firstError?: string;
}

/**
 * `concurrency` clients each asking for one stream after another until `durationMs`
 * has passed (streams that are running then are let finish, not counted for TTFT).
 */
export async function closedLoop(t: Target, concurrency: number, durationMs: number): Promise<LoopResult> {
  const deadline = performance.now() + durationMs;
  const result: LoopResult = { ttftMs: [], streams: 0, errors: 0 };
  const worker = async () => {
    while (performance.now() < deadline) {
      try {
        const r = await openStream(t).done;
        result.streams++;
        if (!Number.isNaN(r.ttftMs)) result.ttftMs.push(r.ttftMs);
      } catch (err) {
        result.errors++;
        result.firstError ??= (err as Error).message;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return result;
}
