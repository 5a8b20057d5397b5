/**
 * Stored and background responses across two instances sharing a real redis-server: a
 * background response started on one is read, resumed (`starting_after`) and cancelled on
 * the other; and both response stores keep a response for the retention time only.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../../server.js';
import { installHint, requireBinary, startRedis, type RunningService } from '../../test-support/services.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';
import { closeRedis, connectRedis } from '../../store/redis/redis-connection.js';
import { RedisResponseStore } from '../../store/redis/redis-response-store.js';
import { SqliteResponseStore, type ResponseStore, type StoredResponse } from '../../store/response-store.js';

const record = (id: string): StoredResponse => ({ owner: 'alice', response: { id, status: 'completed' }, messages: [{ role: 'user', content: 'hi' }] });

async function keepsForRetention(store: ResponseStore) {
  await store.put(record('resp_a'), 60_000);
  await store.put(record('resp_b'), 30);
  assert.deepEqual(await store.get('resp_a'), record('resp_a'));
  assert.ok(await store.get('resp_b'));
  for (let i = 0; i < 100 && (await store.get('resp_b')); i++) await sleep(20);
  assert.equal(await store.get('resp_b'), null, 'gone after its retention');
  assert.equal(await store.delete('resp_a'), true);
  assert.equal(await store.delete('resp_a'), false);
  assert.equal(await store.get('resp_a'), null);
}

describe('response stores', () => {
  it('SQLite keeps a response for its retention, then forgets it', async () => {
    const data = tempDataDir('sg-resp-store-');
    const store = new SqliteResponseStore(data.dir);
    try {
      await keepsForRetention(store);
    } finally {
      await store.close();
      data.remove();
    }
  });
});

describe('background responses on two instances sharing Redis', () => {
  let service: RunningService | undefined;
  let a: RunningServer;
  let b: RunningServer;
  const dirs = [tempDataDir('sg-shared-a-'), tempDataDir('sg-shared-b-')];

  before(async () => {
    const binary = requireBinary('redis-server');
    if (!binary) return;
    service = await startRedis(binary);
    const config = (dir: string) => ({
      dataDir: dir,
      store: { type: 'redis' as const, url: `redis://127.0.0.1:${service!.port}` },
      auth: { keys: [{ key: 'alice-key-123', name: 'alice' }, { key: 'bob-key-4567', name: 'bob' }] },
      simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
    });
    a = await startServer({ port: 0, host: '127.0.0.1', config: config(dirs[0]!.dir) });
    b = await startServer({ port: 0, host: '127.0.0.1', config: config(dirs[1]!.dir) });
  });
  after(async () => {
    await a?.close();
    await b?.close();
    await service?.stop();
    for (const d of dirs) d.remove();
  });

  it('Redis keeps a response for its retention, then forgets it', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const redis = connectRedis({ url: `redis://127.0.0.1:${service.port}` });
    await new Promise((r) => redis.once('ready', r));
    try {
      await keepsForRetention(new RedisResponseStore(redis, 'sgt-resp:'));
    } finally {
      await closeRedis(redis);
    }
  });

  it('is read and resumed on the other instance, and cancelled from it', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const onA = new OpenAI({ baseURL: `${a.url}/v1`, apiKey: 'alice-key-123', maxRetries: 0 });
    const onB = new OpenAI({ baseURL: `${b.url}/v1`, apiKey: 'alice-key-123', maxRetries: 0 });
    const started = await onA.responses.create({ model: 'sim-chat', input: 'tell me about Beijing', background: true, sim: { tokens_per_second: 100 } } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    assert.equal((await onB.responses.retrieve(started.id)).status, 'in_progress');
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of await onB.responses.retrieve(started.id, { stream: true, starting_after: 2 })) events.push(event);
    assert.equal(events[0]!.sequence_number, 3);
    assert.equal(events.at(-1)!.type, 'response.completed');
    const done = await onB.responses.retrieve(started.id);
    assert.equal(done.status, 'completed');
    assert.ok(done.output_text.length > 0);
    const bob = new OpenAI({ baseURL: `${b.url}/v1`, apiKey: 'bob-key-4567', maxRetries: 0 });
    await assert.rejects(bob.responses.retrieve(started.id), OpenAI.NotFoundError);

    const slow = await onA.responses.create({ model: 'sim-chat', input: 'tell me about Beijing', background: true, sim: { tokens_per_second: 5 } } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    assert.equal((await onB.responses.cancel(slow.id)).status, 'cancelled');
    for (let i = 0; i < 250 && a.context.streams.activeRuns > 0; i++) await sleep(20);
    assert.equal(a.context.streams.activeRuns, 0, 'the run on the other instance stopped');
    assert.equal((await onA.responses.retrieve(slow.id)).status, 'cancelled');
  });
});
