import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FrameBuffer } from './frame-buffer.js';

async function take(iterable: AsyncIterable<{ seq: number; text: string }[]>): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of iterable) for (const f of batch) out.push(`${f.seq}:${f.text}`);
  return out;
}

describe('FrameBuffer', () => {
  it('numbers frames by position, before and after compact()', () => {
    const buffer = new FrameBuffer();
    for (const t of ['a', 'bb', 'ccc']) buffer.push(t);
    assert.deepEqual(buffer.after(1).map((f) => `${f.seq}:${f.text}`), ['2:bb', '3:ccc']);
    buffer.finish('completed');
    buffer.compact();
    assert.deepEqual(buffer.after(0).map((f) => `${f.seq}:${f.text}`), ['1:a', '2:bb', '3:ccc']);
    assert.deepEqual(buffer.after(2).map((f) => `${f.seq}:${f.text}`), ['3:ccc']);
    assert.deepEqual(buffer.after(9), []);
    assert.equal(buffer.lastSeq, 3);
  });

  it('wakes followers at publish, not at push, and ends them at finish', async () => {
    const buffer = new FrameBuffer();
    const seen = take(buffer.follow(0, new AbortController().signal));
    buffer.push('a');
    buffer.push('b');
    buffer.publish();
    await new Promise((r) => setImmediate(r));
    buffer.push('c');
    buffer.finish('completed');
    assert.deepEqual(await seen, ['1:a', '2:b', '3:c']);
  });

  it('a follower that leaves while waiting takes its waiter along', async () => {
    const buffer = new FrameBuffer();
    for (let i = 0; i < 50; i++) {
      const controller = new AbortController();
      const seen = take(buffer.follow(0, controller.signal));
      await new Promise((r) => setImmediate(r));
      controller.abort();
      assert.deepEqual(await seen, []);
    }
    assert.equal((buffer as unknown as { waiters: unknown[] }).waiters.length, 0);
  });
});
