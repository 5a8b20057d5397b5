/**
 * What may wait on the request path waits: the upstream request leaves before the
 * "stream started" log line is written (a log write is a syscall on the way to the first
 * token), and the lines still come in order, also for a stream that fails before the
 * upstream answered. Order is read from one in-process sequence: undici's `sendHeaders`
 * diagnostics channel (the request's head handed to the socket) and the logger's sink.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { startFakeUpstream, type FakeUpstream } from '../providers/test-support/fake-upstream.js';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';

const OPENAI_PLAIN = readFileSync(new URL('../providers/openai/__fixtures__/openai-plain.sse', import.meta.url), 'utf8');

function post(url: string, body: unknown, requestId: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': requestId } }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (s: string) => (text += s));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('the order of work on the request path', () => {
  const data = tempDataDir();
  let upstream: FakeUpstream;
  let server: RunningServer;
  /** `created <path>` when a request was handed to undici, `sent <path>` when its head went to the socket, `log <msg> <requestId>` per log line. */
  const order: string[] = [];
  const onSend = (message: unknown) => {
    order.push(`sent ${(message as { request: { path: string } }).request.path}`);
  };
  const onCreate = (message: unknown) => {
    order.push(`created ${(message as { request: { path: string } }).request.path}`);
  };

  before(async () => {
    upstream = await startFakeUpstream([{ sse: OPENAI_PLAIN }]);
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString().split('\n')) {
          if (!line) continue;
          const { msg, requestId } = JSON.parse(line) as { msg: string; requestId?: string };
          order.push(`log ${msg} ${requestId ?? ''}`);
        }
        done();
      },
    });
    diagnostics.subscribe('undici:client:sendHeaders', onSend);
    diagnostics.subscribe('undici:request:create', onCreate);
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      logger: pino({ level: 'info' }, sink),
      config: {
        dataDir: data.dir,
        providers: [
          { id: 'up', type: 'openai', baseURL: `${upstream.url}/v1`, maxRetries: 0 },
          // Nothing listens on port 9 of loopback: refused before any byte is sent.
          { id: 'down', type: 'openai', baseURL: 'http://127.0.0.1:9/v1', maxRetries: 0 },
        ],
        models: [
          { name: 'gpt', provider: 'up' },
          { name: 'gone', provider: 'down' },
        ],
      },
    });
  });
  after(async () => {
    diagnostics.unsubscribe('undici:client:sendHeaders', onSend);
    diagnostics.unsubscribe('undici:request:create', onCreate);
    await server.close();
    await upstream.close();
    data.remove();
  });

  it('hands the upstream request to undici before it writes the "stream started" line, and sends it first on a pooled connection', async () => {
    // The first request opens the upstream connection: the line may be written while it connects.
    for (const id of ['order-1', 'order-1b']) {
      order.length = 0;
      const res = await post(`${server.url}/v1/chat/completions`, { model: 'gpt', stream: true, messages: [{ role: 'user', content: 'hi' }] }, id);
      assert.equal(res.status, 200);
      assert.match(res.text, /data: \[DONE\]\n\n$/);
      const created = order.indexOf('created /v1/chat/completions');
      const sent = order.indexOf('sent /v1/chat/completions');
      const started = order.indexOf(`log stream started ${id}`);
      const ended = order.indexOf(`log stream ended ${id}`);
      assert.ok(created >= 0 && sent >= 0 && started >= 0 && ended >= 0, `all happened: ${JSON.stringify(order)}`);
      assert.ok(created < started, `the upstream request first: ${JSON.stringify(order)}`);
      if (id === 'order-1b') assert.ok(sent < started, `on the pooled connection it is sent first: ${JSON.stringify(order)}`);
      assert.ok(started < ended, `then the start line, then the end line: ${JSON.stringify(order)}`);
    }
  });

  it('writes the start line before the end line of a stream that failed at once', async () => {
    const res = await post(`${server.url}/v1/chat/completions`, { model: 'gone', stream: true, messages: [{ role: 'user', content: 'hi' }] }, 'order-2');
    assert.equal(res.status, 502, res.text);
    const started = order.indexOf('log stream started order-2');
    const ended = order.indexOf('log stream ended order-2');
    assert.ok(started >= 0 && started < ended, `start line, then end line: ${JSON.stringify(order)}`);
    assert.equal(order.filter((l) => l === 'log stream started order-2').length, 1, 'one start line');
  });
});
