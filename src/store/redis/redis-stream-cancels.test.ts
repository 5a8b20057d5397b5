/**
 * `DELETE /v1/streams/:id` on an instance that does not run the stream: two streamgate
 * servers sharing one real redis-server; the cancel goes over Redis pub/sub to the run.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../../server.js';
import { streamKey } from '../../streams/stream-hub.js';
import { installHint, requireBinary, startRedis, type RunningService } from '../../test-support/services.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';

const ALICE = 'key-alice-cancel-1';
const BOB = 'key-bob-cancel-2';

describe('cancelling a stream that runs on another instance (real redis-server)', () => {
  let redis: RunningService | undefined;
  const servers: RunningServer[] = [];
  const data = tempDataDir();

  before(async () => {
    const binary = requireBinary('redis-server');
    if (!binary) return;
    redis = await startRedis(binary);
    for (let i = 0; i < 2; i++) {
      servers.push(
        await startServer({
          port: 0,
          host: '127.0.0.1',
          config: {
            dataDir: data.dir,
            store: { type: 'redis', url: `redis://127.0.0.1:${redis.port}` },
            // Long: a run that ends during the test was cancelled, not abandoned.
            streams: { resumeGraceMs: 60_000 },
            auth: { keys: [{ key: ALICE, name: 'alice' }, { key: BOB, name: 'bob' }] },
          },
        }),
      );
    }
  });
  after(async () => {
    for (const server of servers) await server.close();
    await redis?.stop();
    data.remove();
  });

  /** A slow stream on `server`, read up to its first bytes. */
  async function openSlow(server: RunningServer, key: string) {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      // Resumable: only a stream in the shared log is known to the other instances.
      body: JSON.stringify({ model: 'sim-chat', stream: true, resumable: true, messages: [{ role: 'user', content: 'hi' }], sim: { tokens_per_second: 2, first_token_ms: 0 } }),
    });
    assert.equal(res.status, 200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    return { id: res.headers.get('x-stream-id')!, reader };
  }

  const cancel = (server: RunningServer, id: string, key: string) =>
    fetch(`${server.url}/v1/streams/${id}`, { method: 'DELETE', headers: { authorization: `Bearer ${key}` } });

  async function readToEnd(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<string> {
    const decoder = new TextDecoder();
    let text = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return text;
      text += decoder.decode(value, { stream: true });
    }
  }

  test('DELETE on the other instance is forwarded (202) and the instance running the stream aborts it', async (t) => {
    if (!redis) return t.skip(installHint('redis-server'));
    const [a, b] = servers as [RunningServer, RunningServer];
    const stream = await openSlow(a, ALICE);
    assert.equal(a.context.streams.activeRuns, 1);
    const res = await cancel(b, stream.id, ALICE);
    assert.equal(res.status, 202);
    assert.deepEqual(await res.json(), { id: stream.id, object: 'stream', cancelled: false, forwarded: true });
    // The client on A sees its stream end (the run was aborted), long before the grace period or the answer's end.
    await readToEnd(stream.reader);
    for (let i = 0; i < 100 && a.context.streams.activeRuns > 0; i++) await sleep(20);
    assert.equal(a.context.streams.activeRuns, 0, 'the run on A is gone');
    assert.equal((await b.context.streams.log.read(streamKey('alice', stream.id), 0))?.end, 'aborted');
  });

  test('DELETE on the instance running the stream still cancels it there (200)', async (t) => {
    if (!redis) return t.skip(installHint('redis-server'));
    const [a] = servers as [RunningServer, RunningServer];
    const stream = await openSlow(a, ALICE);
    const res = await cancel(a, stream.id, ALICE);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { id: stream.id, object: 'stream', cancelled: true });
    await readToEnd(stream.reader);
  });

  test('a stream that already ended is a 404 on every instance, not a forwarded cancel', async (t) => {
    if (!redis) return t.skip(installHint('redis-server'));
    const [a, b] = servers as [RunningServer, RunningServer];
    const stream = await openSlow(a, ALICE);
    assert.equal((await cancel(a, stream.id, ALICE)).status, 200);
    await readToEnd(stream.reader);
    for (let i = 0; i < 100 && (await b.context.streams.log.read(streamKey('alice', stream.id), 0))?.end == null; i++) await sleep(20);
    for (const server of [a, b]) assert.equal((await cancel(server, stream.id, ALICE)).status, 404);
  });

  test("another key's stream or an unknown id is a 404 on every instance, and the run goes on", async (t) => {
    if (!redis) return t.skip(installHint('redis-server'));
    const [a, b] = servers as [RunningServer, RunningServer];
    const stream = await openSlow(a, ALICE);
    for (const server of [a, b]) {
      const res = await cancel(server, stream.id, BOB);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'stream_not_found');
    }
    assert.equal((await cancel(b, 'chatcmpl-nosuchstream0001', ALICE)).status, 404);
    await sleep(100);
    assert.equal(a.context.streams.activeRuns, 1, 'nobody else stopped the run');
    assert.equal((await cancel(b, stream.id, ALICE)).status, 202);
    await readToEnd(stream.reader);
  });
});
