/**
 * The Redis stream log is bounded (issue 13): per stream (bytes, frames) and in total
 * (one byte budget shared by every instance), and a write Redis refuses at its own
 * `maxmemory` is reported (a log line, `problem()`, `/healthz` degraded), not dropped
 * silently. Real redis-server on loopback.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer } from '../../server.js';
import { installHint, requireBinary, startRedis, type RunningService } from '../../test-support/services.js';
import { capturingLogger } from '../../test-support/capturing-logger.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';
import { closeRedis, connectRedis, type Redis } from './redis-connection.js';
import { RedisStreamLog } from './redis-stream-log.js';

const meta = { owner: null, endpoint: 'chat', createdAt: 1 };
const frame = (seq: number, bytes: number) => ({ seq, text: `id: ${seq}\ndata: ${'x'.repeat(Math.max(0, bytes - 20))}\n\n`.padEnd(bytes, 'y') });


async function settle(log: RedisStreamLog, id: string): Promise<void> {
  // append() batches per event-loop turn; finish() flushes what is pending first.
  await new Promise((r) => setImmediate(r));
  await log.finish(id, 'completed');
}

describe('redis stream log bounds (real redis-server)', () => {
  let service: RunningService | undefined;
  let redis: Redis;
  let prefixes = 0;
  const prefix = () => `sgb${++prefixes}:`;

  before(async () => {
    const binary = requireBinary('redis-server');
    if (!binary) return;
    service = await startRedis(binary);
    redis = connectRedis({ url: `redis://127.0.0.1:${service.port}` });
    await new Promise((r) => redis.once('ready', r));
  });
  after(async () => {
    if (redis) await closeRedis(redis);
    await service?.stop();
  });

  test('one stream stops being written at its own byte cap, and is dropped whole at its end', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const { logger, lines } = capturingLogger();
    const log = new RedisStreamLog(redis, { retentionMs: 60_000, prefix: prefix(), logger, limits: { maxStreamBytes: 1000, maxBytes: 1_000_000 } });
    await log.create('big', meta);
    for (let seq = 1; seq <= 20; seq++) {
      log.append('big', frame(seq, 100));
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 50));
    // Appends are written in batches, all or nothing: what was kept is a prefix within the cap.
    const kept = (await log.read('big', 0))!.frames.map((f) => f.seq);
    assert.deepEqual(kept, Array.from({ length: kept.length }, (_, i) => i + 1));
    assert.ok(kept.length >= 1 && kept.length <= 10, `kept ${kept.length} frames of 100 bytes under a 1000-byte cap`);
    assert.ok(await log.usedBytes() <= 1000);
    assert.ok(lines.some((l) => l.streamId === 'big' && /no longer be resumed/.test(String(l.msg))), 'a log line names the stream');
    await settle(log, 'big');
    assert.equal(await log.read('big', 0), null, 'a half-written stream is not kept for replay');
    assert.equal(await log.usedBytes(), 0, 'its bytes were given back');
    assert.equal(log.problem(), null, "one stream's own cap does not make the log degraded");
    await log.close();
  });

  // Regression: frames queued while a refused batch was in flight were written after it, leaving a gap (1, 13, 14).
  test('nothing is written after a refused batch, even frames queued while it was in flight', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const log = new RedisStreamLog(redis, { retentionMs: 60_000, prefix: prefix(), limits: { maxStreamBytes: 1000 } });
    await log.create('gap', meta);
    for (let seq = 1; seq <= 11; seq++) log.append('gap', frame(seq, 100));
    await new Promise((r) => setImmediate(r));
    // The refused batch (1100 bytes) is on its way to Redis; this frame alone would fit.
    log.append('gap', frame(12, 100));
    await new Promise((r) => setTimeout(r, 100));
    assert.deepEqual((await log.read('gap', 0))!.frames.map((f) => f.seq), []);
    await log.close();
  });

  test('the frame cap works the same way', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const log = new RedisStreamLog(redis, { retentionMs: 60_000, prefix: prefix(), limits: { maxStreamFrames: 3 } });
    await log.create('many', meta);
    for (let seq = 1; seq <= 5; seq++) {
      log.append('many', frame(seq, 30));
      await new Promise((r) => setImmediate(r));
    }
    await new Promise((r) => setTimeout(r, 50));
    const kept = (await log.read('many', 0))!.frames.length;
    assert.ok(kept >= 1 && kept <= 3, `kept ${kept} frames under a cap of 3`);
    await log.close();
  });

  test('the total budget is shared by instances: past it streams are not written, the log reports degraded, expired streams give bytes back', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const p = prefix();
    const { logger, lines } = capturingLogger();
    // Two instances (two logs on one prefix); retention short so the budget comes back.
    const a = new RedisStreamLog(redis, { retentionMs: 300, prefix: p, logger, limits: { maxBytes: 2000 } });
    const b = new RedisStreamLog(redis, { retentionMs: 300, prefix: p, logger, limits: { maxBytes: 2000 } });
    await a.create('s1', meta);
    for (let seq = 1; seq <= 15; seq++) a.append('s1', frame(seq, 100));
    await settle(a, 's1');
    assert.equal(await a.usedBytes(), 1500);
    assert.equal(a.problem(), null);

    await b.create('s2', meta);
    for (let seq = 1; seq <= 10; seq++) b.append('s2', frame(seq, 100));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await b.usedBytes(), 1500, 'the budget was not overrun');
    assert.equal((await b.read('s2', 0))?.frames.length, 0);
    assert.equal(b.problem()?.status, 'stream_log_degraded');
    assert.match(b.problem()!.message, /stream log is full \(streams\.maxBytes\)/);
    assert.ok(lines.some((l) => l.level === 50 && /stream log degraded/.test(String(l.msg))), 'an error line says so');
    await settle(b, 's2');

    // s1's retention (300 ms) ends: the next append sweeps it and the budget is free again.
    await new Promise((r) => setTimeout(r, 500));
    await b.create('s3', meta);
    b.append('s3', frame(1, 100));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal((await b.read('s3', 0))?.frames.length, 1);
    assert.equal(await b.usedBytes(), 100);
    assert.equal(b.problem(), null, 'a write that succeeds clears the report');
    await a.close();
    await b.close();
  });
});

describe('a Redis at its maxmemory (real redis-server)', () => {
  let service: RunningService | undefined;
  const data = tempDataDir();

  before(async () => {
    const binary = requireBinary('redis-server');
    if (!binary) return;
    service = await startRedis(binary, undefined, ['--maxmemory-policy', 'noeviction']);
  });
  after(async () => {
    await service?.stop();
    data.remove();
  });

  test('a refused write is a log line and /healthz degraded, while the stream is still served to its client', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const { logger, lines } = capturingLogger();
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      logger,
      config: {
        dataDir: data.dir,
        store: { type: 'redis', url: `redis://127.0.0.1:${service.port}` },
        streams: { maxBytes: 1024 * 1024 * 1024, maxStreamBytes: 1024 * 1024 * 1024 },
      },
    });
    try {
      assert.deepEqual(await (await fetch(`${server.url}/healthz`)).json(), { status: 'ok' });
      // Redis may hold 100 KB more than it holds now; one answer's frames are about twice that.
      const admin = connectRedis({ url: `redis://127.0.0.1:${service.port}` });
      await new Promise((r) => admin.once('ready', r));
      const used = Number(/used_memory:(\d+)/.exec(await admin.info('memory'))![1]);
      await admin.config('SET', 'maxmemory', String(used + 100_000));
      await closeRedis(admin);
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'sim-chat',
          stream: true,
          resumable: true,
          max_completion_tokens: 20_000,
          messages: [{ role: 'user', content: 'Write a long essay.' }],
          sim: { tokens_per_second: 0, first_token_ms: 0 },
        }),
      });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /data: \[DONE\]/, 'the live client got its whole answer');
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      const body = (await health.json()) as { status: string; problems: Array<{ status: string; message: string }> };
      assert.equal(body.status, 'degraded');
      assert.equal(body.problems[0]?.status, 'stream_log_degraded');
      assert.match(body.problems[0]!.message, /OOM|maxmemory/i);
      assert.ok(lines.some((l) => /stream log degraded: Redis refused a write/.test(String(l.msg))), 'an error line says Redis refused');
    } finally {
      await server.close();
    }
  });
});
