/**
 * One `/v1/complete` answer over `EventSource`. Hands each delta, the `end` envelope or
 * one error to the caller, and closes the EventSource on the last event (otherwise the
 * browser would reconnect and ask again). `stop()` closes it at once, which makes the
 * server cancel the model.
 */
import { parseEnvelope, type Envelope } from './envelope.js';

export interface CompleteHandlers {
  onDelta(text: string): void;
  onEnd(end: Envelope): void;
  /** The stream failed; `message` is the server's `msg` when it gave one. */
  onError(message: string | null, status: number | null): void;
}

export interface CompleteStream {
  stop(): void;
}

export function startComplete(url: string, h: CompleteHandlers): CompleteStream {
  const es = new EventSource(url);
  let closed = false;
  let seen = false;
  let requestId: string | undefined;

  const close = (): void => {
    closed = true;
    es.close();
  };

  const handle = (raw: string): void => {
    if (closed) return;
    const env = parseEnvelope(raw);
    if (!env) return;
    seen = true;
    requestId ??= env.data.requestId;
    if (env.event === 'end' && env.code === 200) {
      close();
      h.onEnd(env);
    } else if (env.event === 'error' || env.code !== 200) {
      close();
      h.onError(env.msg || null, env.code);
    } else {
      h.onDelta(env.data.answer);
    }
  };

  es.onmessage = (ev) => handle(String(ev.data));
  // Servers that name their SSE events get the same treatment.
  es.addEventListener('end', (ev) => handle(String((ev as MessageEvent).data)));
  es.onerror = (ev) => {
    if (closed) return;
    if (ev instanceof MessageEvent && typeof ev.data === 'string') {
      handle(ev.data); // an SSE event named "error" carrying an envelope
      if (closed) return;
    }
    close();
    if (seen) {
      h.onError(null, null);
      return;
    }
    // EventSource hides why it failed; ask again with fetch to read the 4xx envelope.
    void explain(url).then(({ message, status }) => h.onError(message, status));
  };

  // The server keeps a run going a while for a client that may reconnect: a stop says it won't.
  const stop = (): void => {
    const wasOpen = !closed;
    close();
    if (wasOpen && requestId) void fetch(`/v1/streams/${encodeURIComponent(requestId)}`, { method: 'DELETE' }).catch(() => undefined);
  };
  return { stop };
}

/** Re-asks a failed GET to read the server's error envelope; aborts at once if it works. */
async function explain(url: string): Promise<{ message: string | null; status: number | null }> {
  const ctrl = new AbortController();
  try {
    const res = await fetch(url, { headers: { accept: 'application/json' }, signal: ctrl.signal });
    if (res.ok) {
      ctrl.abort();
      return { message: null, status: null };
    }
    const text = await res.text();
    const env = parseEnvelope(text);
    let message = env?.msg || null;
    if (!message) {
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? null;
      } catch {
        message = null;
      }
    }
    return { message, status: res.status };
  } catch {
    return { message: null, status: null };
  }
}
