import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ServiceUnavailableError } from '../../core/errors.js';
import { installHint, requireBinary, startRedis, type RunningService } from '../../test-support/services.js';
import type { SessionTurn } from '../types.js';
import { closeRedis, connectRedis, type Redis } from './redis-connection.js';
import { RedisRateLimitStore } from './redis-rate-limit-store.js';
import { RedisSessionStore } from './redis-session-store.js';
import { checkTurnUpdatesAndSettings } from '../test-support/session-store-contract.js';

function turn(requestId: string, question: string, createdAt: number): SessionTurn {
  return {
    requestId,
    question,
    answer: `<think>hm</think>answer to ${question}`,
    model: 'sim-reasoner',
    createdAt,
    timings: { firstTokenMs: 5, totalMs: 20, promptTokens: 3, completionTokens: 7 },
  };
}

describe('Redis session and rate-limit stores (real redis-server)', () => {
  let service: RunningService | undefined;
  let redis: Redis;

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

  test('sessions: turns in order, last N, summaries per user, delete', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const store = new RedisSessionStore(redis, 'sgt1:');
    await store.appendTurn(null, 's1', 'alice', turn('r1', '  What is   SSE? ', 1000));
    await store.appendTurn(null, 's1', 'alice', turn('r2', 'And EventSource?', 2000));
    await store.appendTurn(null, 's2', null, turn('r3', 'anonymous question', 3000));
    assert.deepEqual((await store.getTurns(null, 's1')).map((x) => x.requestId), ['r1', 'r2']);
    assert.deepEqual((await store.getTurns(null, 's1', 1)).map((x) => x.requestId), ['r2']);
    assert.deepEqual(await store.getTurns(null, 's1', 0), []);
    assert.deepEqual(await store.getTurns(null, 'nope'), []);
    assert.deepEqual(await store.listSessions({ scope: { owner: null }, userId: 'alice' }), [
      { id: 's1', owner: null, userId: 'alice', title: 'What is SSE?', turns: 2, createdAt: 1000, updatedAt: 2000, system: null, model: null, temperature: null },
    ]);
    assert.deepEqual((await store.listSessions({ scope: { owner: null } })).map((s) => s.id), ['s2', 's1']);
    assert.deepEqual((await store.listSessions({ scope: { owner: null }, limit: 1 })).map((s) => s.id), ['s2']);
    assert.equal(await store.deleteSession(null, 's1'), true);
    assert.equal(await store.deleteSession(null, 's1'), false);
    assert.deepEqual(await store.getTurns(null, 's1'), []);
    assert.deepEqual(await store.listSessions({ scope: { owner: null }, userId: 'alice' }), []);
  });

  test('sessions are namespaced by owner; owner null keeps the keys sessions had before owners; admins list all', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const store = new RedisSessionStore(redis, 'sgt4:');
    await store.appendTurn('alice-key', 's1', 'u1', turn('r1', 'alice asks', 1000));
    await store.appendTurn('bob:key', 's1', 'u1', turn('r2', 'bob asks', 2000));
    await store.appendTurn(null, 's2', 'u1', turn('r3', 'nobody asks', 3000));
    assert.deepEqual((await store.getTurns('alice-key', 's1')).map((x) => x.requestId), ['r1']);
    assert.deepEqual((await store.getTurns('bob:key', 's1')).map((x) => x.requestId), ['r2']);
    assert.deepEqual(await store.getTurns('alice-key', 's2'), []);
    assert.equal(await store.getSession('alice-key', 's2'), null);
    assert.ok(await redis.exists('sgt4:sess:s2'), 'owner null at the key of a session from before owners');
    assert.deepEqual((await store.listSessions({ scope: { owner: 'alice-key' } })).map((x) => [x.owner, x.id]), [['alice-key', 's1']]);
    assert.deepEqual((await store.listSessions({ scope: { owner: 'bob:key' }, userId: 'u1' })).map((x) => [x.owner, x.id]), [['bob:key', 's1']]);
    assert.deepEqual((await store.listSessions({ scope: { allOwners: true } })).map((x) => [x.owner, x.id]), [[null, 's2'], ['bob:key', 's1'], ['alice-key', 's1']]);
    assert.deepEqual((await store.listSessions({ scope: { allOwners: true }, userId: 'u1', limit: 2 })).map((x) => x.owner), [null, 'bob:key']);
    assert.equal(await store.deleteSession('alice-key', 's2'), false);
    assert.equal(await store.deleteSession('bob:key', 's1'), true);
    assert.deepEqual((await store.listSessions({ scope: { allOwners: true } })).map((x) => [x.owner, x.id]), [[null, 's2'], ['alice-key', 's1']]);
    assert.equal((await store.getTurns('alice-key', 's1')).length, 1);
  });

  test('sessions: streaming turns updated in place, branches, settings', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    await checkTurnUpdatesAndSettings(new RedisSessionStore(redis, 'sgt2:'));
  });

  test('rate limit: counts per window, then resets', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const store = new RedisRateLimitStore(redis, 'sgt2:');
    const a = await store.hit('k', 300);
    const b = await store.hit('k', 300);
    assert.equal(a.count, 1);
    assert.equal(b.count, 2);
    assert.ok(b.resetMs > 0 && b.resetMs <= 300);
    assert.equal((await store.hit('other', 300)).count, 1);
    await new Promise((r) => setTimeout(r, b.resetMs + 20));
    assert.equal((await store.hit('k', 300)).count, 1);
  });

  test('rate limit: concurrency slots up to the limit, released and expiring', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const store = new RedisRateLimitStore(redis, 'sgt3:');
    const one = await store.acquire('k', 2, 10_000);
    const two = await store.acquire('k', 2, 10_000);
    assert.ok(one && two);
    assert.equal(await store.acquire('k', 2, 10_000), null);
    await one();
    await one(); // releasing twice frees one slot only
    const three = await store.acquire('k', 2, 10_000);
    assert.ok(three);
    assert.equal(await store.acquire('k', 2, 10_000), null);
    // A live holder's slot is renewed past its ttl; a crashed holder's (it stopped renewing) frees itself after it.
    const held = await store.acquire('s', 1, 300);
    assert.ok(held);
    await new Promise((r) => setTimeout(r, 900));
    assert.equal(await store.acquire('s', 1, 300), null, 'a slot whose holder is alive was lost');
    await store.close(); // as a SIGKILL does: no more renewals, no release
    await new Promise((r) => setTimeout(r, 400));
    const other = new RedisRateLimitStore(redis, 'sgt3:');
    assert.ok(await other.acquire('s', 1, 300), 'the dead holder\'s slot expired');
    await other.close();
  });

  test('while Redis is unreachable calls fail fast with 503 store_unavailable', async (t) => {
    if (!service) return t.skip(installHint('redis-server'));
    const dead = connectRedis({ url: 'redis://127.0.0.1:1' });
    try {
      const started = Date.now();
      await assert.rejects(new RedisRateLimitStore(dead).hit('k', 1000), (err: unknown) => {
        assert.ok(err instanceof ServiceUnavailableError);
        assert.equal(err.status, 503);
        assert.equal(err.code, 'store_unavailable');
        return true;
      });
      await assert.rejects(new RedisSessionStore(dead).getTurns(null, 's'), ServiceUnavailableError);
      assert.ok(Date.now() - started < 2000, 'fails fast instead of queueing');
    } finally {
      await closeRedis(dead);
    }
  });
});
