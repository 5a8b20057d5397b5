/**
 * How long a stop takes to reach the upstream: a client aborts its stream and the
 * upstream sees its socket close. The upstream here runs inside the benchmark's own
 * process, so the client's abort and the upstream's close are read off the same clock
 * (`performance.now()`); a busy event loop here can only make a figure larger, never smaller.
 *
 * Two cases, each `count` streams through streamgate (the built server), in each dialect
 * whose streams stop when the client leaves (chat and lm-v2 without `resumable`,
 * `/v1/complete` with `resumable=false`, Responses and Messages streams):
 * - `afterFirstByte`: the upstream sends the role chunk and the first token at once, then a
 *   chunk every 50 ms for a minute; the client aborts at its first token.
 * - `beforeFirstByte`: the upstream holds its status line and headers; the client aborts as
 *   soon as the upstream has the request.
 * - `cancelAfterFirstByte`, for the resumable dialects (leaving does not stop them, by
 *   design): as after the first byte, but at its first token the client asks
 *   `DELETE /v1/streams/<X-Stream-Id>`, the stop button of a resumable stream; timed from
 *   sending that request.
 * The provider keeps its default retries (2), so a stop that a retry followed would show
 * up as a second request for the same question.
 */
import { createServer, request, type Agent, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dialect } from './dialects.js';
import { newAgent, openStream, type Target } from './load.js';
import { summarize, type Summary } from './stats.js';

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type StopCase = 'afterFirstByte' | 'beforeFirstByte' | 'cancelAfterFirstByte';
/** Path prefix of each case at the stop upstream (the provider's `baseURL` is `…/<prefix>/v1`). */
export const STOP_PATHS: Record<StopCase, string> = { afterFirstByte: '/stop-first', beforeFirstByte: '/stop-held', cancelAfterFirstByte: '/stop-cancel' };

/** The cases of a dialect: leaving stops a stream that is not resumable; a resumable one is cancelled. */
export function stopCases(stopsOnLeave: boolean): StopCase[] {
  return stopsOnLeave ? ['afterFirstByte', 'beforeFirstByte'] : ['cancelAfterFirstByte'];
}

/** `DELETE /v1/streams/<id>`: resolves with its status, or the failure's message. */
function cancel(port: number, agent: Agent, id: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, method: 'DELETE', path: `/v1/streams/${encodeURIComponent(id)}`, agent }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', (err) => resolve(err.message));
    req.end();
  });
}

interface Seen {
  requests: number;
  received: Promise<void>;
  /** Resolves with `performance.now()` when the first request's connection closed. */
  closed: Promise<number>;
  markReceived(): void;
  markClosed(at: number): void;
}

export interface StopUpstream {
  port: number;
  /** What the upstream saw of the request whose question is `tag` (registered before it is sent). */
  expect(tag: string): Seen;
  close(): Promise<void>;
}

/** A question's tag: unique per stream, found in whatever body the gateway sends upstream. */
const TAG = /bench-tag-[a-z0-9-]+/;
const HEAD = '{"id":"chatcmpl-stop","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":';
const chunk = (delta: string) => `data: ${HEAD}${delta},"logprobs":null,"finish_reason":null}]}\n\n`;

export async function startStopUpstream(): Promise<StopUpstream> {
  const seen = new Map<string, Seen>();
  const server: Server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (s: string) => (body += s));
    req.on('end', () => {
      // Every dialect's question reaches the upstream as a message of its own shape; the tag is in its text.
      const entry = seen.get(TAG.exec(body)?.[0] ?? '');
      if (!entry) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":{"message":"unknown question"}}');
        return;
      }
      entry.requests += 1;
      let ended = false;
      res.once('close', () => {
        if (!ended) entry.markClosed(performance.now());
      });
      entry.markReceived();
      if (req.url?.startsWith(STOP_PATHS.beforeFirstByte)) return; // holds its headers until the client leaves
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.write(chunk('{"role":"assistant","content":""}') + chunk('{"content":"Once"}'));
      let sent = 0;
      const timer = setInterval(() => {
        sent += 1;
        if (sent >= 1200) {
          clearInterval(timer);
          ended = true;
          res.end('data: [DONE]\n\n');
          return;
        }
        res.write(chunk('{"content":" more"}'));
      }, 50);
      res.once('close', () => clearInterval(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    expect(tag) {
      let markReceived!: () => void;
      let markClosed!: (at: number) => void;
      const entry: Seen = {
        requests: 0,
        received: new Promise<void>((r) => (markReceived = r)),
        closed: new Promise<number>((r) => (markClosed = r)),
        markReceived: () => markReceived(),
        markClosed: (at) => markClosed(at),
      };
      seen.set(tag, entry);
      return entry;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface StopLatency {
  /** From the client's abort to the upstream's socket closing, in ms. */
  latencyMs: Summary;
  streams: number;
  /** Streams whose upstream request was still open 5 s after the client left. */
  notStopped: number;
  /** Streams whose question reached the upstream more than once (a retry after the stop). */
  retried: number;
  /** Streams that never got as far as the point of the stop. */
  errors: number;
  firstError?: string;
}

/**
 * `count` streams, started `spacingMs` apart (so several are open at once), each stopped
 * at its case's point; a few streams first warm the code paths and are not counted.
 */
export async function stopLatency(
  upstream: StopUpstream,
  gatewayPort: number,
  dialect: Dialect,
  model: string,
  which: StopCase,
  count: number,
  spacingMs: number,
): Promise<StopLatency> {
  const agent = newAgent();
  const samples: number[] = [];
  const result: StopLatency = { latencyMs: summarize([]), streams: count, notStopped: 0, retried: 0, errors: 0 };
  const one = async (tag: string, measured: boolean) => {
    const seen = upstream.expect(tag);
    const t: Target = {
      name: `stop-${dialect.id}-${which}`,
      port: gatewayPort,
      path: dialect.path,
      body: JSON.stringify(dialect.body(model, tag)),
      agent,
      wire: dialect.wire,
    };
    const handle = openStream(t);
    const failed = handle.done.then(
      () => 'the stream ended before the stop',
      (err: Error) => err.message,
    );
    const point = which === 'beforeFirstByte' ? seen.received : handle.firstToken;
    const reached = await Promise.race([point.then(() => null), failed, sleep(10_000).then(() => 'timed out')]);
    if (reached !== null) {
      handle.close();
      if (measured) {
        result.errors++;
        result.firstError ??= reached;
      }
      return;
    }
    const id = which === 'cancelAfterFirstByte' ? String((await handle.headers)['x-stream-id'] ?? '') : '';
    const abortedAt = performance.now();
    let cancelled: Promise<number | string> = Promise.resolve(200);
    if (which === 'cancelAfterFirstByte') cancelled = cancel(gatewayPort, agent, id);
    else handle.close();
    const closedAt = await Promise.race([seen.closed, sleep(5000).then(() => Number.NaN)]);
    handle.close();
    const status = await cancelled;
    if (!measured) return;
    if (status !== 200) {
      result.errors++;
      result.firstError ??= `DELETE /v1/streams/${id}: ${status}`;
    }
    if (Number.isNaN(closedAt)) result.notStopped++;
    else samples.push(closedAt - abortedAt);
    // Long enough for a retry (the provider's backoff starts in the hundreds of ms) to arrive.
    await sleep(1500);
    if (seen.requests > 1) result.retried++;
  };
  const run = Math.random().toString(36).slice(2, 8);
  const tag = (kind: string, i: number) => `bench-tag-${kind}-${dialect.id}-${which.toLowerCase()}-${run}-${i}`;
  await Promise.all(Array.from({ length: 20 }, (_, i) => one(tag('warm', i), false)));
  const streams: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    streams.push(one(tag('stop', i), true));
    await sleep(spacingMs);
  }
  await Promise.all(streams);
  agent.destroy();
  result.latencyMs = summarize(samples);
  return result;
}
