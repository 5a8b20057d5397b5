/**
 * The load generator against the real server: every dialect the benchmark measures,
 * through streamgate (in this process, on port 0) in front of the benchmark's own fake
 * upstream, read with `openStream` as the benchmark reads it. A whole stream counts every
 * upstream chunk and sees its end marker; a stream the upstream cuts short fails in every
 * dialect; a quiet stream's heartbeats are seen in every dialect; a resumable stream can be
 * cancelled by the id it names.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../src/server.js';
import { tempDataDir } from '../src/test-support/temp-data-dir.js';
import { CHAT_WIRE, DIALECTS } from './dialects.js';
import { createFakeUpstream } from './fake-upstream.js';
import { openStream, target } from './load.js';

const TOKENS = 8;
const data = tempDataDir('streamgate-bench-test-');
let upstream: Server;
let upstreamPort: number;
let gateway: RunningServer;

before(async () => {
  upstream = createFakeUpstream();
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamPort = (upstream.address() as AddressInfo).port;
  const provider = (id: string, path: string) => ({ id, type: 'openai' as const, baseURL: `http://127.0.0.1:${upstreamPort}${path}/v1`, maxRetries: 0 });
  gateway = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: {
      dataDir: data.dir,
      heartbeatMs: 100,
      // Each cut stream is a failure of its deployment: the circuit must not open for the next test.
      routing: { failureThreshold: 1000, openMs: 1, rateLimitCooldownMs: 1, maxCooldownMs: 1 },
      providers: [provider('whole', `/s/${TOKENS}/0`), provider('cut', `/s/${TOKENS}/0/cut`), provider('quiet', '/s/2/1500')],
      models: [
        { name: 'bench-whole', provider: 'whole', model: 'bench' },
        { name: 'bench-cut', provider: 'cut', model: 'bench' },
        { name: 'bench-quiet', provider: 'quiet', model: 'bench' },
      ],
    },
  });
});

after(async () => {
  await gateway.close();
  upstream.closeAllConnections();
  await new Promise<void>((resolve) => upstream.close(() => resolve()));
  data.remove();
});

const through = (d: (typeof DIALECTS)[number], model: string, expect?: number) => target(d.id, gateway.port, d.path, d.body(model, 'Say something.'), d.wire, expect);
const upstreamBody = { model: 'bench', messages: [{ role: 'user', content: 'Say something.' }], stream: true };

describe('every dialect through streamgate, read as the benchmark reads it', () => {
  for (const d of DIALECTS) {
    it(`${d.id}: counts every upstream chunk and sees its end marker`, async () => {
      const r = await openStream(through(d, 'bench-whole', TOKENS)).done;
      assert.equal(r.chunks, TOKENS);
      assert.ok(r.events >= TOKENS + 1, `${r.events} events`);
      assert.ok(r.bytes > 0);
      assert.ok(Number.isFinite(r.ttftMs));
    });

    it(`${d.id}: a stream the upstream cuts short fails with the dialect's error event`, async () => {
      await assert.rejects(openStream(through(d, 'bench-cut', TOKENS)).done, /error event/);
    });
  }

  it("every dialect's heartbeats are seen on a quiet stream", async () => {
    const handles = DIALECTS.map((d) => openStream(through(d, 'bench-quiet', 2)));
    await Promise.all(handles.map((h) => h.done));
    handles.forEach((h, i) => assert.ok(h.pings.length >= 3, `${DIALECTS[i]!.id}: ${h.pings.length} heartbeats in 1.5 s at 100 ms`));
  });

  it('a resumable stream names itself in X-Stream-Id, which DELETE /v1/streams/:id cancels (the stop phase of resumable dialects)', async () => {
    for (const d of DIALECTS.filter((x) => !x.stopsOnLeave)) {
      const h = openStream(through(d, 'bench-quiet', 2));
      await h.firstToken;
      const id = (await h.headers)['x-stream-id'];
      assert.equal(typeof id, 'string', d.id);
      const res = await fetch(`http://127.0.0.1:${gateway.port}/v1/streams/${encodeURIComponent(id as string)}`, { method: 'DELETE' });
      assert.equal(res.status, 200, `${d.id}: ${await res.text()}`);
      // Cancelled, not finished: the stream does not end with the dialect's end marker.
      await assert.rejects(h.done, d.id);
    }
  });

  it('a stream short of the chunks asked for fails', async () => {
    const chat = DIALECTS.find((d) => d.id === 'chat')!;
    await assert.rejects(openStream(through(chat, 'bench-whole', TOKENS + 1)).done, new RegExp(`${TOKENS} of ${TOKENS + 1} chunks`));
  });
});

describe('the upstream read directly', () => {
  it('a whole stream ends with [DONE]', async () => {
    const r = await openStream(target('direct', upstreamPort, `/s/${TOKENS}/0/v1/chat/completions`, upstreamBody, CHAT_WIRE, TOKENS)).done;
    assert.equal(r.chunks, TOKENS);
  });

  it('a cut one fails', async () => {
    await assert.rejects(openStream(target('direct', upstreamPort, `/s/${TOKENS}/0/cut/v1/chat/completions`, upstreamBody, CHAT_WIRE, TOKENS)).done, /without its end marker|closed/);
  });
});
