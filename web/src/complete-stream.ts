/**
 * One `/v1/complete` answer over `fetch` (`POST`, the key only in the `Authorization`
 * header, never in a URL), its SSE body read with eventsource-parser. A dropped
 * connection is resumed, quietly: the same POST again (same `requestId`, same body) with
 * `Last-Event-ID` = the last event id seen; a server without POST resume answers 409 (the
 * id is taken), and then `GET /v1/streams/:id` with the same header resumes it. 204 means
 * the stream has nothing left (the caller reads the saved turn); 404, or no success within
 * the retry budget, means resume is impossible. `stop()` cancels the answer on the server;
 * `detach()` only leaves (the answer goes on and is saved). A page coming back to an
 * answer that is still streaming attaches with `GET /v1/streams/:id` from event 0.
 */
import { createParser } from 'eventsource-parser';
import { authHeaders } from './key-store.js';
import { parseEnvelope, type Envelope } from './envelope.js';

export type ConnectionState = 'live' | 'reconnecting' | 'stalled';

export interface CompleteHandlers {
  /** The first envelope: the server's ids are known. */
  onStart?(env: Envelope): void;
  onDelta(text: string): void;
  onEnd(end: Envelope): void;
  /** The stream failed; `message` is the server's words when it gave some. */
  onError(message: string | null, status: number | null, kind: 'failed' | 'resume-impossible'): void;
  /** The server wants a (different) key. */
  onAuth(message: string | null): void;
  /** Resumed, but the stream had already ended: the saved turn has the answer. */
  onGone(): void;
  onState(state: ConnectionState): void;
}

export interface CompleteStream {
  readonly requestId: string;
  stop(): void;
  detach(): void;
}

export interface CompleteOptions {
  /** The request body; its `requestId` names the stream. */
  body: Record<string, unknown> & { requestId: string };
  /** Attach to a stream already running (a reload, a return): `GET /v1/streams/:id` from its first event. */
  attach?: boolean;
  /** No event for this long shows as stalled. */
  stallMs?: number;
  /** How long to keep trying to resume a dropped connection. */
  resumeBudgetMs?: number;
}

const RETRY_DELAYS = [250, 500, 1000, 2000, 3000];

class NotAResume extends Error {}

export function startComplete(opts: CompleteOptions, h: CompleteHandlers): CompleteStream {
  const { body } = opts;
  const requestId = body.requestId;
  const stallMs = opts.stallMs ?? 10_000;
  const budgetMs = opts.resumeBudgetMs ?? 30_000;
  let lastId: string | null = opts.attach ? '0' : null;
  let done = false;
  let started = false;
  let ctrl = new AbortController();
  let stallTimer = 0;
  let state: ConnectionState = 'live';

  const setState = (s: ConnectionState): void => {
    if (s === state) return;
    state = s;
    h.onState(s);
  };
  const finish = (): void => {
    done = true;
    clearTimeout(stallTimer);
    ctrl.abort();
  };
  const armStall = (): void => {
    clearTimeout(stallTimer);
    stallTimer = window.setTimeout(() => !done && setState('stalled'), stallMs);
  };

  const handle = (raw: string): void => {
    const env = parseEnvelope(raw);
    if (!env || done) return;
    if (!started) {
      started = true;
      h.onStart?.(env);
    }
    if (env.event === 'end' && env.code === 200) {
      finish();
      h.onEnd(env);
    } else if (env.event === 'error' || env.code !== 200) {
      finish();
      h.onError(env.msg || null, env.code, 'failed');
    } else if (env.data.answer) {
      h.onDelta(env.data.answer);
    }
  };

  async function open(resume: boolean): Promise<Response> {
    const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders() };
    if (resume) headers['last-event-id'] = lastId ?? '0';
    if (opts.attach) return fetch(`/v1/streams/${encodeURIComponent(requestId)}`, { headers, signal: ctrl.signal });
    const post = await fetch('/v1/complete', {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: ctrl.signal,
    });
    if (!resume || post.status !== 409) return post;
    void post.body?.cancel();
    return fetch(`/v1/streams/${encodeURIComponent(requestId)}`, { headers, signal: ctrl.signal });
  }

  /**
   * Reads one response to its end; true when the stream reached its last event. A resumed
   * response must go on after the id sent: one that starts again from the beginning is a
   * new run of the question (a server that did not know the stream), not this answer.
   */
  async function read(res: Response, after: string | null): Promise<boolean> {
    let first = true;
    const parser = createParser({
      onEvent: (ev) => {
        if (first && after !== null && after !== '0' && ev.id !== undefined && Number(ev.id) <= Number(after)) throw new NotAResume();
        first = false;
        if (ev.id !== undefined) lastId = ev.id;
        setState('live');
        armStall();
        handle(ev.data);
      },
    });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    armStall();
    for (;;) {
      const { value, done: end } = await reader.read();
      if (end || done) break;
      parser.feed(value);
    }
    return done;
  }

  async function errorOf(res: Response): Promise<string | null> {
    const text = await res.text().catch(() => '');
    const env = parseEnvelope(text);
    if (env?.msg) return env.msg;
    try {
      return (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? null;
    } catch {
      return null;
    }
  }

  async function run(): Promise<void> {
    let resume = opts.attach === true;
    let since = 0;
    let attempt = 0;
    while (!done) {
      try {
        const res = await open(resume);
        // Read the server's words before anything aborts the request.
        if (res.status === 401 || res.status === 403) {
          const message = await errorOf(res);
          finish();
          return h.onAuth(message);
        }
        if (res.status === 204) {
          finish();
          return h.onGone();
        }
        if (resume && res.status === 404) {
          const message = await errorOf(res);
          finish();
          return h.onError(message, 404, 'resume-impossible');
        }
        if (!res.ok || !res.body) {
          const message = await errorOf(res);
          finish();
          return h.onError(message, res.status, 'failed');
        }
        attempt = 0;
        since = 0;
        if (await read(res, resume ? (lastId ?? '0') : null)) return;
      } catch (err) {
        if (done) return; // stopped or detached
        if (err instanceof NotAResume) {
          finish();
          void fetch(`/v1/streams/${encodeURIComponent(requestId)}`, { method: 'DELETE', headers: authHeaders() }).catch(() => undefined);
          return h.onError(null, null, 'resume-impossible');
        }
      }
      // Dropped before the last event: resume, quietly, for a while.
      resume = true;
      clearTimeout(stallTimer);
      setState('reconnecting');
      if (!since) since = Date.now();
      if (Date.now() - since > budgetMs) {
        finish();
        return h.onError(null, null, 'resume-impossible');
      }
      await new Promise((r) => setTimeout(r, RETRY_DELAYS[Math.min(attempt++, RETRY_DELAYS.length - 1)]));
      ctrl = new AbortController();
    }
  }

  void run();
  return {
    requestId,
    stop(): void {
      if (done) return;
      finish();
      void fetch(`/v1/streams/${encodeURIComponent(requestId)}`, { method: 'DELETE', headers: authHeaders() }).catch(() => undefined);
    },
    detach(): void {
      finish();
    },
  };
}
