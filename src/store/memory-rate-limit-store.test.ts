import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemoryRateLimitStore } from './memory-rate-limit-store.js';

function clock(start = 1_000_000) {
  const c = { now: start, fn: () => c.now };
  return c;
}

test('hit counts within a window and starts over when it ended', async () => {
  const time = clock();
  const store = new MemoryRateLimitStore({ now: time.fn });
  assert.deepEqual(await store.hit('a', 60_000), { count: 1, resetMs: 60_000 });
  time.now += 15_000;
  assert.deepEqual(await store.hit('a', 60_000), { count: 2, resetMs: 45_000 });
  assert.deepEqual(await store.hit('b', 60_000), { count: 1, resetMs: 60_000 });
  time.now += 45_000;
  assert.deepEqual(await store.hit('a', 60_000), { count: 1, resetMs: 60_000 });
  await store.close();
});

test('acquire holds at most `limit` slots; a release frees one at once and twice is harmless', async () => {
  const store = new MemoryRateLimitStore();
  const first = await store.acquire('k', 2, 60_000);
  const second = await store.acquire('k', 2, 60_000);
  assert.ok(first && second);
  assert.equal(await store.acquire('k', 2, 60_000), null);
  assert.ok(await store.acquire('other', 2, 60_000));
  await first();
  await first();
  const third = await store.acquire('k', 2, 60_000);
  assert.ok(third);
  assert.equal(await store.acquire('k', 2, 60_000), null);
  await store.close();
});

test('a slot whose release never ran expires after its ttl', async () => {
  const time = clock();
  const store = new MemoryRateLimitStore({ now: time.fn });
  assert.ok(await store.acquire('k', 1, 5_000));
  assert.equal(await store.acquire('k', 1, 5_000), null);
  time.now += 5_000;
  assert.ok(await store.acquire('k', 1, 5_000));
  await store.close();
});

test('memory stays bounded: ended windows and released or expired slots are swept', async () => {
  const time = clock();
  const store = new MemoryRateLimitStore({ now: time.fn });
  for (let i = 0; i < 1000; i++) await store.hit(`key-${i}`, 60_000);
  const releases = [];
  for (let i = 0; i < 100; i++) releases.push(await store.acquire(`s-${i}`, 1, 10_000));
  await releases[0]?.();
  assert.deepEqual(store.size, { windows: 1000, slotKeys: 99 });
  time.now += 60_000;
  store.sweep();
  assert.deepEqual(store.size, { windows: 0, slotKeys: 0 });
  await store.close();
});
