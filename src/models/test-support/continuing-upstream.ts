/**
 * An OpenAI-compatible upstream for routing tests: a real `node:http` server on 127.0.0.1
 * that always writes the same answer, in pieces of a few characters, one SSE chunk each,
 * and continues a trailing assistant message the way a model continues a prefill: when the
 * request's last message is an assistant message whose content starts the answer, it
 * streams only the rest. Like a real upstream it applies the request's `stop` to what it
 * generates (not to the prefix) and honours `max_tokens` (one piece = one token). It can
 * also cut the connection after some chunks, answer with an error status, or stall before
 * its first byte; it records every request body.
 */
import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from '../../test-support/loopback-server.js';
import { setTimeout as sleep } from 'node:timers/promises';

export interface ContinuingBehaviour {
  /** Destroy the socket after this many content chunks. */
  cutAfterChunks?: number;
  /** Answer with this status and an OpenAI error body instead. */
  status?: number;
  headers?: Record<string, string>;
  /** Wait this long before the headers. */
  delayMs?: number;
}

export interface ContinuingUpstream {
  url: string;
  /** Every request body, parsed. */
  requests: any[];
  /** The behaviour of each next request (the last one repeats); `[]` = answer normally. */
  script(behaviours: ContinuingBehaviour[]): void;
  close(): Promise<void>;
}

/** The answer cut into pieces of `size` characters (code points). */
export function pieces(answer: string, size = 3): string[] {
  const chars = [...answer];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}

export async function startContinuingUpstream(answer: string): Promise<ContinuingUpstream> {
  let script: ContinuingBehaviour[] = [];
  const requests: any[] = [];
  const server: Server = createServer(async (req, res) => {
    let text = '';
    for await (const chunk of req) text += chunk;
    const body = JSON.parse(text);
    const behaviour = script[Math.min(requests.length, script.length - 1)] ?? {};
    requests.push(body);
    if (behaviour.delayMs) await sleep(behaviour.delayMs);
    if (behaviour.status) {
      res.writeHead(behaviour.status, { 'content-type': 'application/json', ...behaviour.headers });
      res.end(JSON.stringify({ error: { message: `scripted ${behaviour.status}`, type: 'error' } }));
      return;
    }
    const last = body.messages[body.messages.length - 1];
    const prefix: string = last?.role === 'assistant' ? String(last.content) : '';
    if (!answer.startsWith(prefix)) {
      res.writeHead(400, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'the prefix is not the start of my answer' } }));
      return;
    }
    const rest = pieces(answer.slice(prefix.length));
    const stops: string[] = body.stop ?? [];
    const limit = typeof body.max_tokens === 'number' ? body.max_tokens : Infinity;
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const chunk = (delta: object, finishReason: string | null = null, usage: object | null = null) =>
      `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: body.model, choices: usage ? [] : [{ index: 0, delta, finish_reason: finishReason }], usage })}\n\n`;
    res.write(chunk({ role: 'assistant', content: '' }));
    let finish = 'stop';
    let generated = '';
    let sent = 0;
    for (const [i, piece] of rest.entries()) {
      if (i === behaviour.cutAfterChunks) {
        await new Promise<void>((resolve) => res.write('', () => resolve()));
        res.socket?.destroy();
        return;
      }
      if (sent === limit) {
        finish = 'length';
        break;
      }
      // Stop sequences are matched on what this call generated, as it goes (the prefix is not searched).
      const at = Math.min(...stops.map((stop) => (generated + piece).indexOf(stop)).filter((k) => k >= 0));
      const text = Number.isFinite(at) ? (generated + piece).slice(generated.length, at) : piece;
      if (text) res.write(chunk({ content: text }));
      generated += piece;
      sent++;
      if (Number.isFinite(at)) break;
      // One chunk per read on the gateway's side, so a cut lands between pieces.
      await sleep(1);
    }
    res.write(chunk({}, finish));
    res.write(chunk({}, null, { prompt_tokens: 10, completion_tokens: sent, total_tokens: 10 + sent }));
    res.end('data: [DONE]\n\n');
  });
  const { url, close } = await listenOnLoopback(server);
  return {
    url,
    requests,
    script(next) {
      script = next;
      requests.length = 0;
    },
    close,
  };
}
