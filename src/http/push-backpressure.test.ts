/**
 * Backpressure on the push path: a client that stops reading holds the upstream back
 * (the gateway pauses the upstream body while the client's socket needs drain, so the
 * upstream's own writes block), and once it reads again it gets the whole answer, in
 * order. Real sockets on loopback: an upstream that writes as fast as its socket takes,
 * the gateway, and a plain `node:http` client that pauses its response.
 */
import assert from 'node:assert/strict';
import { createServer, request, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startServer, type RunningServer } from '../server.js';
import { listenOnLoopback } from '../test-support/loopback-server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';

/** Far more than the loopback sockets between the three can buffer (a few MiB). */
const CHUNKS = 60_000;
const PIECE = 'x'.repeat(300);

const data = tempDataDir();
let gateway: RunningServer;
let upstream: { url: string; close(): Promise<void> };
/** Bytes the upstream's socket has taken, and whether it sent everything. */
const sent = { bytes: 0, done: false };

before(async () => {
  const server = createServer((req, res) => {
    req.resume();
    req.once('end', async () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < CHUNKS; i++) {
        const line = `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${i} ${PIECE}"},"finish_reason":null}]}\n\n`;
        sent.bytes += line.length;
        if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
        if (res.destroyed) return;
      }
      // With its usage, so the gateway has no 20 MB of text to count tokens in.
      const usage = `{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":${CHUNKS},"total_tokens":${CHUNKS + 1}}}`;
      res.end(`data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\ndata: ${usage}\n\ndata: [DONE]\n\n`);
      sent.done = true;
    });
  });
  upstream = await listenOnLoopback(server);
  gateway = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: {
      dataDir: data.dir,
      providers: [{ id: 'fast', type: 'openai', baseURL: `${upstream.url}/v1`, apiKey: 'sk-up', maxRetries: 0 }],
      models: [{ name: 'fast', provider: 'fast', reasoning: 'none' }],
    },
  });
});
after(async () => {
  await gateway.close();
  await upstream.close();
  data.remove();
});

describe('push path backpressure', () => {
  it('a client that stops reading stops the upstream; reading again, it gets every chunk in order', async () => {
    const url = new URL(`${gateway.url}/v1/chat/completions`);
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, resolve);
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'go' }] }));
    });
    assert.equal(res.statusCode, 200);
    res.pause();
    // Let the sockets fill, then watch the upstream while the client still reads nothing.
    let last = -1;
    const deadline = Date.now() + 20_000;
    while (sent.bytes !== last && Date.now() < deadline) {
      last = sent.bytes;
      await sleep(1000);
    }
    assert.equal(sent.done, false, 'the upstream sent its whole answer to a client that read nothing');
    assert.equal(sent.bytes, last, 'the upstream kept sending to a client that read nothing');
    assert.ok(sent.bytes < CHUNKS * PIECE.length, `upstream sent ${sent.bytes} bytes`);

    res.setEncoding('utf8');
    let text = '';
    res.on('data', (chunk: string) => (text += chunk));
    res.resume();
    await new Promise((resolve) => res.once('end', resolve));
    assert.equal(sent.done, true);
    let expected = 0;
    for (const match of text.matchAll(/"content":"(\d+) x/g)) {
      assert.equal(Number(match[1]), expected, 'chunks in order, none lost');
      expected++;
    }
    assert.equal(expected, CHUNKS);
    assert.ok(text.trimEnd().endsWith('data: [DONE]'), 'the stream ends as OpenAI ends it');
  });
});

describe('a client that never reads again', () => {
  it('is cut off after limits.stalledClientMs, which stops its run and closes the upstream', async () => {
    let upstreamClosed = false;
    let upstreamFinished = false;
    const server = createServer((req, res) => {
      req.resume();
      req.once('end', async () => {
        res.once('close', () => (upstreamClosed = !upstreamFinished));
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        for (let i = 0; i < CHUNKS; i++) {
          const line = `data: {"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"${i} ${PIECE}"},"finish_reason":null}]}\n\n`;
          if (!res.write(line)) await new Promise((resolve) => res.once('drain', resolve));
          if (res.destroyed) return;
        }
        upstreamFinished = true;
        res.end('data: [DONE]\n\n');
      });
    });
    const up = await listenOnLoopback(server);
    const stallData = tempDataDir();
    const g = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: {
        dataDir: stallData.dir,
        limits: { stalledClientMs: 1000 },
        providers: [{ id: 'fast', type: 'openai', baseURL: `${up.url}/v1`, apiKey: 'sk-up', maxRetries: 0 }],
        models: [{ name: 'fast', provider: 'fast', reasoning: 'none' }],
      },
    });
    try {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        const req = request(new URL(`${g.url}/v1/chat/completions`), { method: 'POST', headers: { 'content-type': 'application/json' } }, resolve);
        req.on('error', reject);
        req.end(JSON.stringify({ model: 'fast', stream: true, messages: [{ role: 'user', content: 'go' }] }));
      });
      assert.equal(res.statusCode, 200);
      res.pause();
      res.on('error', () => undefined);
      // Generous: the cut comes about a second after the sockets filled.
      const deadline = Date.now() + 20_000;
      while (!upstreamClosed && Date.now() < deadline) await sleep(100);
      assert.equal(upstreamClosed, true, 'the upstream was closed before it sent everything');
      // (The paused client reads nothing, so it notices its closed socket only when it reads again.)
      res.destroy();
    } finally {
      await g.close();
      await up.close();
      stallData.remove();
    }
  });
});
