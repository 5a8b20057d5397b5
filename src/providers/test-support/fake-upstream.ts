/**
 * A fake upstream for tests: a real `node:http` server on 127.0.0.1, port 0, that answers
 * each request with the next scripted reply (the last one repeats). It speaks the real
 * wire: it replays `.sse` fixtures chunk by chunk with delays, answers errors with a
 * status and JSON body, cuts the connection mid-stream, or stalls. It records every
 * request (parsed JSON body, headers) and when its connection closed before the reply
 * ended, measured with `performance.now()` (same clock as the test).
 *
 *   const up = await startFakeUpstream([{ sse: fixture, chunkDelayMs: 5 }]);
 *   // … point a provider at `${up.url}/v1` …
 *   up.requests[0].body.model; await up.requests[0].disconnected;
 *   await up.close();
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { listenOnLoopback } from '../../test-support/loopback-server.js';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FakeReply {
  /** HTTP status, 200 by default. */
  status?: number;
  headers?: Record<string, string>;
  /** A non-streaming body (objects are sent as JSON). */
  body?: unknown;
  /** SSE text to replay, e.g. a fixture file's contents. Sent as one chunk per event unless `chunkBytes` is set. */
  sse?: string | Uint8Array;
  /** Send the SSE in chunks of this many bytes instead (cuts inside lines and characters). */
  chunkBytes?: number;
  /** Wait before sending the status line and headers. */
  headersDelayMs?: number;
  /** Wait between headers and the first chunk. */
  firstByteDelayMs?: number;
  /** Wait between chunks. */
  chunkDelayMs?: number;
  /** Destroy the socket after this many chunks: a connection cut mid-stream. */
  cutAfterChunks?: number;
  /** Send nothing more after this many chunks, keeping the connection open. */
  stallAfterChunks?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body, parsed (the raw text when it is not JSON). */
  body: any;
  /** `performance.now()` when the request arrived. */
  receivedAt: number;
  /** `performance.now()` when the connection closed before the reply ended, if it did. */
  disconnectedAt?: number;
  /** Resolves with `disconnectedAt` when the client goes away before the reply ended. */
  disconnected: Promise<number>;
}

export interface FakeUpstream {
  /** `http://127.0.0.1:PORT`, without a trailing slash. */
  url: string;
  requests: RecordedRequest[];
  /** Replaces the scripted replies. */
  script(replies: FakeReply[]): void;
  close(): Promise<void>;
}

export async function startFakeUpstream(replies: FakeReply[]): Promise<FakeUpstream> {
  let script = replies;
  const requests: RecordedRequest[] = [];
  const server: Server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    let resolveDisconnected!: (t: number) => void;
    const record: RecordedRequest = {
      method: req.method ?? '',
      path: req.url ?? '',
      headers: req.headers,
      body: parseJson(text),
      receivedAt: performance.now(),
      disconnected: new Promise((resolve) => (resolveDisconnected = resolve)),
    };
    const reply = script[Math.min(requests.length, script.length - 1)] ?? { status: 500, body: { error: { message: 'no reply scripted' } } };
    requests.push(record);
    res.once('close', () => {
      if (res.writableFinished) return;
      record.disconnectedAt = performance.now();
      resolveDisconnected(record.disconnectedAt);
    });
    await answer(reply, res).catch(() => undefined);
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    requests,
    script(next) {
      script = next;
    },
    close,
  };
}

async function answer(reply: FakeReply, res: import('node:http').ServerResponse): Promise<void> {
  if (reply.headersDelayMs) await sleep(reply.headersDelayMs);
  const status = reply.status ?? 200;
  if (reply.sse === undefined) {
    const body = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body ?? {});
    res.writeHead(status, { 'content-type': typeof reply.body === 'string' ? 'text/plain' : 'application/json', ...reply.headers });
    res.end(body);
    return;
  }
  res.writeHead(status, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
  res.flushHeaders();
  const chunks = chunk(typeof reply.sse === 'string' ? Buffer.from(reply.sse) : Buffer.from(reply.sse), reply.chunkBytes);
  if (reply.firstByteDelayMs) await sleep(reply.firstByteDelayMs);
  for (const [i, piece] of chunks.entries()) {
    if (res.destroyed) return;
    if (i === reply.cutAfterChunks) {
      await cut(res);
      return;
    }
    if (i === reply.stallAfterChunks) return;
    if (i > 0 && reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    res.write(piece);
  }
  if (reply.cutAfterChunks !== undefined && reply.cutAfterChunks >= chunks.length) await cut(res);
  else if (reply.stallAfterChunks === undefined || reply.stallAfterChunks > chunks.length) res.end();
}

/** Drops the connection without ending the response, after what was written reached the socket. */
async function cut(res: import('node:http').ServerResponse): Promise<void> {
  await new Promise<void>((resolve) => res.write('', () => resolve()));
  res.socket?.destroy();
}

/** One chunk per SSE event (ending at a blank line), or fixed-size byte chunks. */
function chunk(bytes: Buffer, size?: number): Buffer[] {
  const out: Buffer[] = [];
  if (size) {
    for (let i = 0; i < bytes.length; i += size) out.push(bytes.subarray(i, i + size));
    return out;
  }
  const text = bytes.toString('utf8');
  const re = /\r\n\r\n|\n\n|\r\r/g;
  let from = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    out.push(Buffer.from(text.slice(from, m.index + m[0].length)));
    from = m.index + m[0].length;
  }
  if (from < text.length) out.push(Buffer.from(text.slice(from)));
  return out;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
