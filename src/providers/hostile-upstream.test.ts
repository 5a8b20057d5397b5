/**
 * Upstreams that misbehave, over real HTTP on loopback, read with the official `openai`
 * SDK as a user would: one endless SSE line (memory stays bounded, the stream ends as
 * `upstream_malformed`), redirects (never followed, so the key never reaches another
 * host), 304/407/401/403 (a 502 naming what the upstream did, never the client's own
 * status), compressed streams (decoded, or the encoding named), and a 200 that is not an
 * event stream (named). Regressions: a 50 MB line cost ~350 MB of RSS; a 304 reached the
 * client as an empty 304, a 407 as "Connection error", a 401 as "your key is wrong"; gzip
 * and text/plain were "ended the stream before it finished".
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import zlib from 'node:zlib';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { startFakeUpstream, type FakeReply, type FakeUpstream } from './test-support/fake-upstream.js';

/** Each test scripts its own failure: a 4xx/5xx in one must not leave the deployment cooling (or its circuit open) for the next. */
const SCRIPTED_FAILURES = { maxCooldownMs: 1, authCooldownMs: 1, failureThreshold: 1000 };

const KEY = 'sk-hostile-test-key-0123456789';
const chunk = (delta: object, finish: string | null = null) =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const ANSWER = `${chunk({ role: 'assistant', content: '' })}${chunk({ content: 'Héllo ' })}${chunk({ content: 'world' })}${chunk({}, 'stop')}data: [DONE]\n\n`;

/** An upstream that answers each request with one line of `lineBytes` bytes, written with backpressure; counts what it could write. */
interface EndlessUpstream {
  url: string;
  /** Resolves once `n` answers are over, with the bytes of the line each wrote before the gateway closed its connection (or all of them). */
  written(n: number): Promise<number[]>;
  close(): Promise<void>;
}

async function startEndlessLine(lineBytes: number, before = ''): Promise<EndlessUpstream> {
  const done: number[] = [];
  const waiting: Array<{ n: number; resolve: (w: number[]) => void }> = [];
  const report = (sent: number) => {
    done.push(sent);
    for (const w of waiting) if (done.length >= w.n) w.resolve(done.slice(0, w.n));
  };
  const piece = Buffer.alloc(64 * 1024, 'x');
  const server: Server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write(`${before}data: {"choices":[{"index":0,"delta":{"content":"`);
    let sent = 0;
    let closed = false;
    res.once('close', () => {
      closed = true;
      report(sent);
    });
    const pump = () => {
      while (!closed && sent < lineBytes) {
        sent += piece.length;
        if (!res.write(piece)) return void res.once('drain', pump);
      }
      if (!closed) res.end('"}}]}\n\n');
    };
    pump();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    written: (n) => new Promise((resolve) => (done.length >= n ? resolve(done.slice(0, n)) : waiting.push({ n, resolve }))),
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** The SDK's error for a request, or undefined when it succeeded; `content` is what it read. */
async function sdkStream(client: OpenAI, model: string): Promise<{ content: string; err?: InstanceType<typeof OpenAI.APIError> | Error }> {
  let content = '';
  try {
    const stream = await client.chat.completions.create({ model, messages: [{ role: 'user', content: 'q' }], stream: true });
    for await (const c of stream) content += c.choices[0]?.delta.content ?? '';
    return { content };
  } catch (err) {
    return { content, err: err as Error };
  }
}

const data = tempDataDir();
after(() => data.remove());

describe('one endless upstream line', () => {
  const LINE = 50 * 1024 * 1024;

  test('three 50 MB lines at once: each stream ends as upstream_malformed, each upstream is cut early, RSS stays far below one line', async () => {
    const up = await startEndlessLine(LINE, chunk({ content: 'start ' }));
    const gateway = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: { dataDir: data.dir, providers: [{ id: 'up', type: 'openai', baseURL: `${up.url}/v1`, apiKey: KEY, maxRetries: 0 }], models: [{ name: 'm', provider: 'up' }], routing: SCRIPTED_FAILURES },
    });
    try {
      const baseline = process.memoryUsage().rss;
      let peak = baseline;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
      const read = async () => {
        const res = await fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'q' }] }),
        });
        return { status: res.status, wire: await res.text() };
      };
      const answers = await Promise.all([read(), read(), read()]);
      clearInterval(sampler);
      peak = Math.max(peak, process.memoryUsage().rss);
      const written = await up.written(3);
      const grew = (peak - baseline) / 2 ** 20;
      console.log(`three 50 MB lines: the upstream wrote ${written.map((w) => (w / 2 ** 20).toFixed(1)).join(', ')} MiB before the gateway closed each; peak RSS growth ${grew.toFixed(1)} MiB`);

      for (const { status, wire } of answers) {
        assert.equal(status, 200);
        assert.match(wire, /"content":"start "/);
        const last = JSON.parse(wire.trim().split('\n\n').at(-1)!.split('\n').find((l) => l.startsWith('data: '))!.slice(6)) as { error: { code: string; message: string } };
        assert.equal(last.error.code, 'upstream_malformed');
        assert.match(last.error.message, /sent an SSE line or event longer than 1048576 bytes \(limits\.upstreamEventBytes\)/);
      }
      // The gateway stopped reading: only the limit plus what sockets buffer was sent.
      for (const w of written) assert.ok(w < 16 * 2 ** 20, `an upstream answer wrote ${w} bytes`);
      assert.ok(grew < 50, `RSS grew by ${grew.toFixed(1)} MiB for three 50 MiB lines`);
    } finally {
      await gateway.close();
      await up.close();
    }
  });

  test('a line past a smaller limit before any text: the SDK gets a 502 naming the limit', async () => {
    const up = await startEndlessLine(4 * 1024 * 1024);
    const gateway = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: {
        dataDir: data.dir,
        limits: { upstreamEventBytes: 64 * 1024 },
        providers: [{ id: 'up', type: 'openai', baseURL: `${up.url}/v1`, apiKey: KEY, maxRetries: 0 }],
        models: [{ name: 'm', provider: 'up' }],
        routing: SCRIPTED_FAILURES,
      },
    });
    try {
      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'k', maxRetries: 0 });
      const { err } = await sdkStream(client, 'm');
      assert.ok(err instanceof OpenAI.APIError, String(err));
      assert.equal(err.status, 502);
      assert.match(err.message, /longer than 65536 bytes \(limits\.upstreamEventBytes\)/);
      assert.ok((await up.written(1))[0]! < 16 * 2 ** 20);
    } finally {
      await gateway.close();
      await up.close();
    }
  });
});

describe('odd upstream answers', () => {
  let up: FakeUpstream;
  /** Where redirects point: it must never be asked anything. */
  let elsewhere: { url: string; requests: IncomingHttpHeaders[]; server: Server };
  let gateway: RunningServer;
  let client: OpenAI;
  before(async () => {
    up = await startFakeUpstream([]);
    const requests: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      requests.push(req.headers);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(ANSWER);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    elsewhere = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
    gateway = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: { dataDir: data.dir, providers: [{ id: 'up', type: 'openai', baseURL: `${up.url}/v1`, apiKey: KEY, maxRetries: 0 }], models: [{ name: 'm', provider: 'up' }], routing: SCRIPTED_FAILURES },
    });
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
  });
  after(async () => {
    await gateway.close();
    await up.close();
    elsewhere.server.closeAllConnections();
    await new Promise<void>((resolve) => elsewhere.server.close(() => resolve()));
  });

  async function failsWith(reply: FakeReply, code: string, message: RegExp) {
    up.script([reply]);
    for (const stream of [true, false]) {
      const err = await (stream
        ? sdkStream(client, 'm').then((r) => r.err)
        : client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }] }).then(
            () => undefined,
            (e: Error) => e,
          ));
      assert.ok(err instanceof OpenAI.APIError, `${stream ? 'streaming' : 'not streaming'}: ${String(err)}`);
      assert.equal(err.status, 502, err.message);
      assert.equal(err.code, code);
      assert.match(err.message, message);
      assert.doesNotMatch(err.message, new RegExp(KEY.slice(3, 11)));
    }
  }

  for (const status of [301, 302, 307, 308]) {
    test(`a ${status} redirect is a 502 naming its target, and is not followed (the key stays home)`, async () => {
      await failsWith(
        { status, headers: { location: `${elsewhere.url}/v1/chat/completions` }, body: '' },
        'upstream_redirect',
        new RegExp(`^502 Upstream "up" answered ${status} [A-Za-z ]+: a redirect to ${elsewhere.url}/v1/chat/completions, which streamgate does not follow`),
      );
      assert.equal(elsewhere.requests.length, 0, 'the redirect target was never asked');
    });
  }

  test('a 304 with no body is a 502, not an empty 304', async () => {
    await failsWith({ status: 304, body: '' }, 'upstream_redirect', /answered 304 Not Modified: a cache answer to a POST/);
  });

  test('a 407 from a proxy is a 502 saying so, not a connection error', async () => {
    await failsWith({ status: 407, headers: { 'proxy-authenticate': 'Basic realm="corp"' }, body: 'Proxy Authentication Required' }, 'upstream_proxy_auth', /answered 407 Proxy Authentication Required: a proxy between streamgate and the upstream wants credentials; your own key was fine/);
  });

  test("the upstream's 401 and 403 are 502s: its key was refused, the client's was fine", async () => {
    await failsWith({ status: 401, body: { error: { message: `Incorrect API key provided: ${KEY}` } } }, 'upstream_auth_failed', /answered 401 Unauthorized: its API key was refused; your own key was fine.*Incorrect API key provided: \[redacted\]/);
    await failsWith({ status: 403, body: { error: { message: 'This key may not use this model' } } }, 'upstream_auth_failed', /answered 403 Forbidden: it refused streamgate's key or account; your own key was fine/);
  });

  const compressed: Array<[string, string, (b: Buffer) => Buffer]> = [
    ['gzip', 'gzip', (b) => zlib.gzipSync(b)],
    ['deflate', 'zlib-wrapped, as HTTP says', (b) => zlib.deflateSync(b)],
    ['deflate', 'raw, as some servers send it', (b) => zlib.deflateRawSync(b)],
    ['br', 'brotli', (b) => zlib.brotliCompressSync(b)],
  ];
  for (const [encoding, what, compress] of compressed) {
    test(`a ${encoding}-encoded event stream (${what}), cut in 7-byte chunks, is decoded: the whole answer`, async () => {
      up.script([{ sse: compress(Buffer.from(ANSWER)), headers: { 'content-encoding': encoding }, chunkBytes: 7 }]);
      const r = await sdkStream(client, 'm');
      assert.equal(r.err, undefined, String(r.err));
      assert.equal(r.content, 'Héllo world');
    });
  }

  test('gzip flushed event by event reaches the client event by event', { timeout: 30_000 }, async () => {
    // The second event is only sent once the first reached the client: decoding must not wait for the end.
    const gzip = zlib.createGzip();
    const parts: Buffer[] = [];
    gzip.on('data', (b: Buffer) => parts.push(b));
    const flushed = (text: string) =>
      new Promise<Buffer>((resolve) => {
        const from = parts.length;
        gzip.write(text);
        gzip.flush(zlib.constants.Z_SYNC_FLUSH, () => resolve(Buffer.concat(parts.slice(from))));
      });
    const first = await flushed(`${chunk({ role: 'assistant', content: '' })}${chunk({ content: 'first' })}`);
    const rest = await flushed(`${chunk({ content: ' second' })}${chunk({}, 'stop')}data: [DONE]\n\n`);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    const server = createServer((req, res) => {
      req.resume();
      res.writeHead(200, { 'content-type': 'text/event-stream', 'content-encoding': 'gzip' });
      res.write(first);
      void released.then(() => res.end(rest));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const own = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: { dataDir: data.dir, providers: [{ id: 'up', type: 'openai', baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`, maxRetries: 0 }], models: [{ name: 'm', provider: 'up' }], routing: SCRIPTED_FAILURES },
    });
    try {
      const c = new OpenAI({ baseURL: `${own.url}/v1`, apiKey: 'k', maxRetries: 0 });
      const stream = await c.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }], stream: true });
      let content = '';
      for await (const part of stream) {
        content += part.choices[0]?.delta.content ?? '';
        if (content === 'first') release();
      }
      assert.equal(content, 'first second');
    } finally {
      await own.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  test('a gzip bomb (64 MiB of one line in a small body) is read only up to the line limit', async () => {
    const bomb = zlib.gzipSync(Buffer.concat([Buffer.from('data: "'), Buffer.alloc(64 * 2 ** 20, 'x')]));
    assert.ok(bomb.length < 200 * 1024, `${bomb.length} bytes compressed`);
    await failsWith({ sse: bomb, headers: { 'content-encoding': 'gzip' }, chunkBytes: 16 * 1024 }, 'upstream_malformed', /longer than 1048576 bytes \(limits\.upstreamEventBytes\)/);
  });

  test('a body that is not what its Content-Encoding says is named; an error status keeps its meaning', async () => {
    await failsWith({ sse: ANSWER, headers: { 'content-encoding': 'gzip' }, chunkBytes: 64 }, 'upstream_bad_encoding', /sent a body that does not decode as its Content-Encoding says: incorrect header check/);
    await failsWith({ status: 401, headers: { 'content-encoding': 'gzip' }, body: 'not gzip' }, 'upstream_auth_failed', /answered 401 Unauthorized: its API key was refused/);
  });

  test('an encoding streamgate cannot decode is named in a 502', async () => {
    await failsWith({ sse: Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 1, 2, 3]), headers: { 'content-encoding': 'zstd' }, chunkBytes: 64 }, 'upstream_bad_encoding', /answered with Content-Encoding: zstd, which streamgate cannot decode/);
  });

  test('a 200 text/plain answer is named, with what it said', async () => {
    await failsWith({ status: 200, body: 'Service temporarily unavailable, try later' }, 'upstream_not_sse', /answered 200 with text\/plain instead of an event stream \(text\/event-stream\): "Service temporarily unavailable, try later"/);
  });

  test('an event stream sent as text/plain still works (some servers mislabel it)', async () => {
    up.script([{ sse: ANSWER, headers: { 'content-type': 'text/plain; charset=utf-8' } }]);
    const r = await sdkStream(client, 'm');
    assert.equal(r.err, undefined, String(r.err));
    assert.equal(r.content, 'Héllo world');
  });
});
