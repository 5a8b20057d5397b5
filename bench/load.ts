/**
 * The load generator: streaming POSTs over keep-alive sockets, timing the first token
 * with `performance.now()` and counting content chunks as they arrive. Counting is a
 * string search per socket read, so the client stays cheap next to what it measures.
 */
import { Agent, request } from 'node:http';

/** Where a stream is asked for: the same scenario for every side of a comparison. */
export interface Target {
  name: string;
  port: number;
  path: string;
  body: string;
  agent: Agent;
}

export function newAgent(): Agent {
  return new Agent({ keepAlive: true, maxSockets: Infinity, keepAliveMsecs: 30_000 });
}

export function target(name: string, port: number, path: string, body: Record<string, unknown>): Target {
  return { name, port, path, body: JSON.stringify(body), agent: newAgent() };
}

/** A chunk that carries text: `"content":"` followed by anything but the closing quote. */
const CONTENT = '"content":"';
const PING = ': ping';

/** Content chunks received by every stream so far (read at a phase's start and end). */
export const counters = { chunks: 0 };

export interface StreamResult {
  /** From sending the request to the first chunk with text, in ms (NaN if none came). */
  ttftMs: number;
  chunks: number;
}

export interface StreamHandle {
  done: Promise<StreamResult>;
  /** Resolves at the first chunk with text. */
  firstToken: Promise<void>;
  /** Times (performance.now()) of each `: ping` heartbeat comment. */
  pings: number[];
  close(): void;
}

/** Starts one stream. `done` rejects on a non-200 status or a broken connection. */
export function openStream(t: Target): StreamHandle {
  const started = performance.now();
  let ttftMs = Number.NaN;
  let chunks = 0;
  let tail = '';
  const pings: number[] = [];
  let markFirst!: () => void;
  const firstToken = new Promise<void>((resolve) => (markFirst = resolve));
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
      if (res.statusCode !== 200) {
        let text = '';
        res.setEncoding('utf8').on('data', (s: string) => (text += s));
        res.on('end', () => reject(new Error(`${t.name}: HTTP ${res.statusCode} ${text.slice(0, 300)}`)));
        return;
      }
      res.setEncoding('latin1');
      res.on('data', (s: string) => {
        // The tail of the last read is searched again, so a marker split across reads is
        // still found; it is shorter than a whole match, so none is counted twice.
        const text = tail + s;
        let at = text.indexOf(CONTENT);
        while (at !== -1) {
          const next = text.charCodeAt(at + CONTENT.length);
          if (Number.isNaN(next)) break;
          if (next !== 34) {
            if (chunks === 0) {
              ttftMs = performance.now() - started;
              markFirst();
            }
            chunks++;
            counters.chunks++;
          }
          at = text.indexOf(CONTENT, at + CONTENT.length);
        }
        if (text.includes(PING)) pings.push(performance.now());
        tail = text.slice(-CONTENT.length);
      });
      res.on('end', () => resolve({ ttftMs, chunks }));
      res.on('error', reject);
      res.on('close', () => reject(new Error(`${t.name}: response closed before its end`)));
    });
    req.end(t.body);
  });
  return { done, firstToken, pings, close: () => req.destroy() };
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
