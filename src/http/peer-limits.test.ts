/**
 * Slow and many peers (issue 13): a body dribbled byte by byte is cut at
 * `limits.bodyTimeoutMs` with a 408 in the endpoint's error shape, connections past
 * `limits.maxConnections` are closed, a query that is not UTF-8 is a 400 naming the
 * parameter, and every response carries `nosniff` and refuses framing.
 */
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { invalidUtf8QueryParam } from './verify-query.js';

const data = tempDataDir();
after(() => data.remove());

function start(limits: { bodyTimeoutMs?: number; maxConnections?: number }): Promise<RunningServer> {
  return startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, limits, simulator: { tokensPerSecond: 0, firstTokenMs: 0 } } });
}

interface RawExchange {
  /** Everything the server sent. */
  text: string;
  /** True once the server closed the connection. */
  closed: Promise<void>;
  socket: Socket;
}

function openRaw(url: string): Promise<RawExchange> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const exchange: RawExchange = { text: '', socket, closed: new Promise((r) => socket.once('close', () => r())) };
    socket.on('data', (chunk: Buffer) => (exchange.text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.once('connect', () => resolve(exchange));
    socket.once('error', reject);
  });
}

/** Sends the head of a POST announcing `body`, then one byte of it every 50 ms until the server closes. */
async function dribble(url: string, path: string, body: string): Promise<{ text: string; sentBytes: number; ms: number }> {
  const raw = await openRaw(url);
  raw.socket.write(`POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`);
  let sent = 0;
  const timer = setInterval(() => {
    if (sent < body.length - 1 && !raw.socket.destroyed) raw.socket.write(body[sent++]!);
  }, 50);
  // Without a limit the server would wait as long as the peer likes: give up after 20 s.
  const giveUp = setTimeout(() => raw.socket.destroy(), 20_000);
  const started = Date.now();
  await raw.closed;
  clearInterval(timer);
  clearTimeout(giveUp);
  return { text: raw.text, sentBytes: sent, ms: Date.now() - started };
}

function parseResponse(text: string): { status: number; headers: string; body: string } {
  const split = text.indexOf('\r\n\r\n');
  const head = text.slice(0, split);
  return { status: Number(head.split(' ')[1]), headers: head.toLowerCase(), body: text.slice(split + 4) };
}

describe('limits.bodyTimeoutMs', () => {
  let server: RunningServer;
  before(async () => {
    server = await start({ bodyTimeoutMs: 600 });
  });
  after(() => server.close());

  const body = JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'a question sent very slowly' }] });

  for (const path of ['/v1/chat/completions', '/lm/v2/chat/completions']) {
    test(`${path}: a body dribbled byte by byte gets 408 body_timeout in OpenAI's shape, then the connection closes`, async () => {
      const { text, sentBytes } = await dribble(server.url, path, body);
      const res = parseResponse(text);
      assert.equal(res.status, 408, text);
      assert.match(res.headers, /connection: close/);
      const json = JSON.parse(res.body.slice(res.body.indexOf('{'), res.body.lastIndexOf('}') + 1)) as { error: Record<string, unknown> };
      assert.equal(json.error.code, 'body_timeout');
      assert.equal(json.error.type, 'invalid_request_error');
      assert.match(String(json.error.message), /600 ms \(limits\.bodyTimeoutMs\)/);
      assert.ok(sentBytes < body.length - 1, 'the server cut the body before it was whole');
    });
  }

  test('POST /v1/complete: the 408 is an envelope like every error of that path', async () => {
    const { text } = await dribble(server.url, '/v1/complete', JSON.stringify({ question: 'slow question, slow question' }));
    const res = parseResponse(text);
    assert.equal(res.status, 408, text);
    assert.match(res.body, /body_timeout/);
  });

  test('an unknown path answered at once still loses the connection at the limit', async () => {
    const { text, ms } = await dribble(server.url, '/nowhere', body);
    assert.equal(parseResponse(text).status, 404);
    assert.ok(ms < 20_000, `closed by the server, not by the test giving up (${ms} ms)`);
  });

  // Regression: each request left a 'close' listener on its keep-alive socket.
  test('many requests with bodies on one keep-alive connection leave nothing behind', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    const raw = await openRaw(server.url);
    const small = JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 1 });
    for (let i = 0; i < 30; i++) {
      const seen = raw.text.length;
      raw.socket.write(`POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${small.length}\r\n\r\n${small}`);
      await waitUntil(() => raw.text.slice(seen).includes('"finish_reason"'));
    }
    raw.socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    process.off('warning', onWarning);
    assert.deepEqual(warnings, []);
  });

  test('a body sent at once is not affected, and the server keeps serving', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(res.status, 200, await res.text());
  });
});

describe('limits.maxConnections', () => {
  let server: RunningServer;
  before(async () => {
    server = await start({ maxConnections: 3 });
  });
  after(() => server.close());

  test('connections past the limit are closed at once; freed slots are usable again', async () => {
    const held = await Promise.all([openRaw(server.url), openRaw(server.url), openRaw(server.url)]);
    // The server counts a connection once it accepted it: make sure all three are.
    for (const raw of held) raw.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await waitUntil(() => held.every((raw) => raw.text.includes('"ok"')));

    const extra = await openRaw(server.url);
    extra.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    await extra.closed;
    assert.equal(extra.text, '', 'the connection over the limit got no answer');

    held[0]!.socket.destroy();
    await held[0]!.closed;
    while ((await connectionsOf(server)) >= 3) await new Promise((r) => setTimeout(r, 20));
    const again = await openRaw(server.url);
    again.socket.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    await again.closed;
    assert.match(again.text, /^HTTP\/1\.1 200/);
    for (const raw of held) raw.socket.destroy();
  });
});

function connectionsOf(server: RunningServer): Promise<number> {
  return new Promise((resolve, reject) => server.server.getConnections((err, count) => (err ? reject(err) : resolve(count))));
}

async function waitUntil(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('query strings that are not UTF-8', () => {
  let server: RunningServer;
  before(async () => {
    server = await start({});
  });
  after(() => server.close());

  test('invalidUtf8QueryParam finds the parameter by its raw bytes', () => {
    assert.equal(invalidUtf8QueryParam('/v1/complete?question=%FF'), 'question');
    assert.equal(invalidUtf8QueryParam('/v1/complete?model=sim-chat&question=ok%E4%BD'), 'question');
    assert.equal(invalidUtf8QueryParam('/v1/complete?question=%E4%BD%A0%E5%A5%BD+x&x=%25FF'), null);
    assert.equal(invalidUtf8QueryParam('/v1/complete?%C0%AF=1'), '\uFFFD\uFFFD');
    assert.equal(invalidUtf8QueryParam('/v1/complete'), null);
  });

  test('GET /v1/complete?question=%FF is a 400 invalid_utf8 naming the parameter, and nothing runs', async () => {
    const res = await fetch(`${server.url}/v1/complete?question=%FF&sessionId=s-utf8`);
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.match(text, /invalid_utf8/);
    assert.match(text, /query parameter \\"question\\" is not valid UTF-8/);
    assert.equal((await fetch(`${server.url}/v1/sessions/s-utf8`)).status, 404, 'no turn was saved');
  });

  test('other endpoints answer in OpenAI shape with param', async () => {
    const res = await fetch(`${server.url}/v1/models?x=%FE`);
    assert.equal(res.status, 400);
    const json = (await res.json()) as { error: { code: string; param: string } };
    assert.deepEqual([json.error.code, json.error.param], ['invalid_utf8', 'x']);
  });

  test('a valid UTF-8 question still streams', async () => {
    const res = await fetch(`${server.url}/v1/complete?question=${encodeURIComponent('你好')}&model=sim-chat`);
    assert.equal(res.status, 200);
    await res.text();
  });
});

describe('security headers', () => {
  let server: RunningServer;
  before(async () => {
    server = await start({});
  });
  after(() => server.close());

  test('API responses, errors included, carry nosniff and refuse framing', async () => {
    for (const path of ['/v1/models', '/healthz', '/v1/nothing']) {
      const res = await fetch(server.url + path);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('x-frame-options'), 'DENY', path);
      assert.match(res.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, path);
      await res.arrayBuffer();
    }
  });
});
