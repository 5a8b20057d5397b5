/** One contract, two implementations: the in-memory log and the Redis Streams log (real redis-server). */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { closeRedis, connectRedis, type Redis } from '../store/redis/redis-connection.js';
import { RedisStreamLog } from '../store/redis/redis-stream-log.js';
import { installHint, requireBinary, startRedis, type RunningService } from '../test-support/services.js';
import { MemoryStreamLog } from './memory-stream-log.js';
import { StreamLostError, type StreamFrame, type StreamLog } from './stream-log.js';

const meta = { owner: 'sha256:abc', endpoint: 'chat.completions', createdAt: 1 };
const frame = (seq: number): StreamFrame => ({ seq, text: `id: ${seq}\ndata: {"n":${seq}}\n\n` });

async function collect(iterable: AsyncIterable<StreamFrame[]>): Promise<number[]> {
  const seqs: number[] = [];
  for await (const batch of iterable) for (const f of batch) seqs.push(f.seq);
  return seqs;
}

function contract(name: string, make: () => { log: StreamLog; other?: StreamLog } | undefined, skip: () => string | false) {
  describe(`${name} stream log`, () => {
    test('replays frames after an id, then reports the end', async (t) => {
      const reason = skip();
      if (reason) return t.skip(reason);
      const { log } = make()!;
      const id = `s-${Math.random()}`;
      await log.create(id, meta);
      for (let i = 1; i <= 5; i++) log.append(id, frame(i));
      assert.deepEqual(await log.meta(id), meta);
      await log.finish(id, 'completed');
      const read = await log.read(id, 2);
      assert.deepEqual(read?.frames.map((f) => f.seq), [3, 4, 5]);
      assert.equal(read?.frames[0]?.text, frame(3).text);
      assert.equal(read?.end, 'completed');
      assert.deepEqual(await log.read(id, 5), { frames: [], end: 'completed' });
      assert.equal(await log.read('unknown', 0), null);
      assert.equal(await log.meta('unknown'), null);
    });

    test('follow gives the backlog then live frames, possibly written by another instance', async (t) => {
      const reason = skip();
      if (reason) return t.skip(reason);
      const { log, other } = make()!;
      const writer = other ?? log;
      const id = `s-${Math.random()}`;
      await writer.create(id, meta);
      writer.append(id, frame(1));
      writer.append(id, frame(2));
      const seen = collect(log.follow(id, 1, new AbortController().signal));
      await new Promise((r) => setTimeout(r, 30));
      for (let i = 3; i <= 40; i++) writer.append(id, frame(i));
      await new Promise((r) => setTimeout(r, 30));
      writer.append(id, frame(41));
      await writer.finish(id, 'completed');
      assert.deepEqual(await seen, Array.from({ length: 40 }, (_, i) => i + 2));
    });

    test('follow stops when its signal aborts', async (t) => {
      const reason = skip();
      if (reason) return t.skip(reason);
      const { log } = make()!;
      const id = `s-${Math.random()}`;
      await log.create(id, meta);
      log.append(id, frame(1));
      const controller = new AbortController();
      const seqs: number[] = [];
      const done = (async () => {
        for await (const batch of log.follow(id, 0, controller.signal)) seqs.push(...batch.map((f) => f.seq));
      })();
      // Abort once the backlog arrived (a fixed sleep is not enough on a loaded machine), then the follow must end.
      for (let i = 0; i < 1000 && seqs.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
      controller.abort();
      await done;
      assert.deepEqual(seqs, [1]);
      await log.finish(id, 'aborted');
    });
  });
}

const memory = new MemoryStreamLog({ retentionMs: 60_000, maxStreams: 100, maxBytes: 1 << 20 });
after(() => memory.close());
contract('memory', () => ({ log: memory }), () => false);

let service: RunningService | undefined;
let conns: Redis[] = [];
let redisLogs: RedisStreamLog[] = [];
before(async () => {
  const binary = requireBinary('redis-server');
  if (!binary) return;
  service = await startRedis(binary);
  conns = [0, 1].map(() => connectRedis({ url: `redis://127.0.0.1:${service!.port}` }));
  await Promise.all(conns.map((c) => new Promise((r) => c.once('ready', r))));
  redisLogs = conns.map((c) => new RedisStreamLog(c, { retentionMs: 60_000, leaseMs: 600, prefix: 'sgtest:' }));
});
after(async () => {
  for (const log of redisLogs) await log.close();
  for (const c of conns) await closeRedis(c);
  await service?.stop();
});
contract('redis', () => ({ log: redisLogs[0]!, other: redisLogs[1]! }), () => (service ? false : installHint('redis-server')));

describe('memory stream log bounds', () => {
  test('over its byte limit, drops expired streams before finished ones still kept for resuming', async () => {
    const log = new MemoryStreamLog({ retentionMs: 40, maxStreams: 100, maxBytes: 100 });
    await log.create('old-but-live', meta);
    await log.create('expired', meta);
    log.append('old-but-live', { seq: 1, text: 'a'.repeat(40) });
    log.append('expired', { seq: 1, text: 'b'.repeat(40) });
    await log.finish('expired', 'completed');
    await new Promise((r) => setTimeout(r, 60)); // past retention; the sweeper (every 1 s) has not run
    await log.finish('old-but-live', 'completed');
    await log.create('running', meta);
    log.append('running', { seq: 1, text: 'c'.repeat(30) }); // 110 > 100
    assert.notEqual(await log.meta('old-but-live'), null, 'a finished stream within its retention was evicted while an expired one was kept');
    await log.close();
  });

  test('over its stream limit, drops just enough streams, whatever the bytes', async () => {
    const log = new MemoryStreamLog({ retentionMs: 60_000, maxStreams: 3, maxBytes: 100 });
    // 94 bytes in all: under the byte limit, over 90% of it.
    for (const [id, size] of [['a', 2], ['b', 46], ['c', 46]] as const) {
      await log.create(id, meta);
      log.append(id, { seq: 1, text: 'x'.repeat(size) });
      await log.finish(id, 'completed');
    }
    await log.create('d', meta);
    assert.equal(await log.meta('a'), null);
    assert.notEqual(await log.meta('b'), null, 'dropped more streams than the stream limit needed');
    await log.close();
  });

  test('evicts finished streams least recently used first, never running ones', async () => {
    const log = new MemoryStreamLog({ retentionMs: 60_000, maxStreams: 2, maxBytes: 1 << 20 });
    await log.create('a', meta);
    await log.finish('a', 'completed');
    await log.create('b', meta);
    await log.finish('b', 'completed');
    await log.meta('a'); // a is now more recent than b
    await log.create('c', meta); // running
    assert.notEqual(await log.meta('a'), null);
    assert.equal(await log.meta('b'), null);
    await log.create('d', meta); // over the bound, but only a is finished
    assert.equal(await log.meta('a'), null);
    assert.notEqual(await log.meta('c'), null);
    assert.notEqual(await log.meta('d'), null);
    await log.close();
  });

  test('bounds bytes and expires finished streams after the retention time', async () => {
    const log = new MemoryStreamLog({ retentionMs: 50, maxStreams: 100, maxBytes: 100 });
    await log.create('a', meta);
    for (let i = 1; i <= 3; i++) log.append('a', frame(i));
    await log.finish('a', 'completed');
    await log.create('b', meta);
    for (let i = 1; i <= 3; i++) log.append('b', frame(i));
    assert.equal(await log.meta('a'), null, 'a finished stream was evicted for bytes');
    assert.ok(log.size.bytes <= 100);
    await log.finish('b', 'completed');
    await new Promise((r) => setTimeout(r, 80));
    assert.equal(await log.read('b', 0), null);
    await log.close();
  });
});

describe('redis stream log failure handling', () => {
  test('a follower stops with StreamLostError when the running instance vanished', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const [reader, writer] = redisLogs as [RedisStreamLog, RedisStreamLog];
    const id = `lost-${Math.random()}`;
    await writer.create(id, meta);
    writer.append(id, frame(1));
    // Simulate a crash: the writer stops refreshing its lease and never finishes.
    (writer as unknown as { running: Map<string, number> }).running.delete(id);
    const seen: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const batch of reader.follow(id, 0, new AbortController().signal)) seen.push(...batch.map((f) => f.seq));
      })(),
      StreamLostError,
    );
    assert.deepEqual(seen, [1]);
  });

  test('a watcher on another instance is visible to the running one', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const [reader, writer] = redisLogs as [RedisStreamLog, RedisStreamLog];
    const id = `w-${Math.random()}`;
    await writer.create(id, meta);
    assert.equal(await writer.isWatched(id), false);
    const controller = new AbortController();
    const done = collect(reader.follow(id, 0, controller.signal));
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(await writer.isWatched(id), true);
    controller.abort();
    await done;
    await writer.finish(id, 'aborted');
  });
});
