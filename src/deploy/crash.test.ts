/**
 * An instance killed with SIGKILL says nothing; what it held must go by itself. Two real
 * streamgate processes and a real redis-server: after A is killed mid-answer, a client
 * following A's stream from B gets `stream_lost` promptly, and the key's concurrency slot
 * that A held expires within 15 s, so the key can stream again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readSse } from '../test-support/sse-reader.js';
import { freePort, requireBinary, startRedis, type RunningService } from '../test-support/services.js';
import { startStreamgate, type StreamgateProcess } from '../test-support/streamgate-process.js';

const KEY = 'sk-crash-test-key-0123456789';

describe('an instance killed with SIGKILL (real redis-server, two processes)', { timeout: 120_000 }, () => {
  let redis: RunningService | undefined;
  const instances: StreamgateProcess[] = [];
  let dir = '';

  before(async () => {
    const binary = requireBinary('redis-server');
    if (!binary) return;
    dir = mkdtempSync(join(tmpdir(), 'sg-crash-'));
    redis = await startRedis(binary);
    const config = {
      host: '127.0.0.1',
      store: { type: 'redis', url: `redis://127.0.0.1:${redis.port}` },
      streams: { resumeGraceMs: 60_000 },
      auth: { keys: [{ key: KEY, name: 'crash', rateLimit: { concurrentStreams: 1 } }] },
    };
    for (const name of ['a', 'b']) instances.push(await startStreamgate({ port: await freePort(), config, dir, name }));
  });
  after(async () => {
    for (const instance of instances) instance.kill('SIGKILL');
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('followers get stream_lost, and the dead instance\'s slot frees itself within 15 s', async (t) => {
    if (!redis) return t.skip('redis-server is not installed');
    const [a, b] = instances as [StreamgateProcess, StreamgateProcess];
    const headers = { authorization: `Bearer ${KEY}` };
    const body = { model: 'sim-chat', stream: true, resumable: true, messages: [{ role: 'user', content: 'hi' }], sim: { tokens_per_second: 0, first_token_ms: 0, fault: 'stall' } };
    const first = await readSse(`${a.url}/v1/chat/completions`, { body, headers, dropAfter: 2 });
    const id = first.headers.get('x-stream-id')!;
    // The slot is A's: B refuses a second stream for the key.
    const refused = await fetch(`${b.url}/v1/chat/completions`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify({ ...body, resumable: false }) });
    assert.equal(refused.status, 429);
    await refused.body?.cancel();

    const follower = readSse(`${b.url}/v1/streams/${id}`, { headers: { ...headers, 'Last-Event-ID': first.events.at(-1)!.id! } });
    await new Promise((r) => setTimeout(r, 500));
    const killedAt = Date.now();
    a.kill('SIGKILL');
    const followed = await follower;
    const lostAfter = Date.now() - killedAt;
    const last = JSON.parse(followed.events.at(-1)!.data) as { error: { code: string } };
    assert.equal(last.error.code, 'stream_lost');

    let freedAfter = -1;
    while (Date.now() - killedAt < 30_000) {
      const res = await fetch(`${b.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sim-chat', stream: true, max_tokens: 2, messages: [{ role: 'user', content: 'hi' }] }),
      });
      await res.text();
      if (res.status === 200) {
        freedAfter = Date.now() - killedAt;
        break;
      }
      assert.equal(res.status, 429);
      await new Promise((r) => setTimeout(r, 250));
    }
    console.log(`crash: stream_lost after ${lostAfter} ms, slot free after ${freedAfter} ms`);
    assert.ok(freedAfter >= 0, 'the dead instance\'s slot never expired');
    // 10 s of slot ttl plus a renewal period; the bound is the promise, not a measurement of speed.
    assert.ok(freedAfter < 15_000, `the slot came back after ${freedAfter} ms`);
  });
});
