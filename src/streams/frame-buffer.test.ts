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

  it('a listener gets each publish as one text, then the end; `untaken` drops what it took, `all` keeps it', () => {
    for (const keep of ['untaken', 'all'] as const) {
      const buffer = new FrameBuffer({ keep });
      buffer.push('a');
      const got: string[] = [];
      const stop = buffer.listen(0, { frames: (text) => got.push(text), end: (end) => got.push(`end:${end}`) });
      // What was there before it listened comes at once.
      assert.deepEqual(got, ['a']);
      buffer.push('b');
      buffer.push('c');
      assert.deepEqual(got, ['a'], 'nothing before publish');
      buffer.publish();
      buffer.push('d');
      buffer.finish('completed');
      assert.deepEqual(got, ['a', 'bc', 'd', 'end:completed']);
      assert.equal(buffer.lastSeq, 4);
      if (keep === 'untaken') {
        assert.equal(buffer.bytes, 0);
        assert.deepEqual(buffer.after(0), []);
      } else {
        assert.equal(buffer.bytes, 4);
        assert.deepEqual(buffer.after(0).map((f) => f.text), ['a', 'b', 'c', 'd']);
      }
      stop();
    }
  });

  it('`untaken` keeps frames until a listener took them, and none while a generator follows', async () => {
    const buffer = new FrameBuffer({ keep: 'untaken' });
    for (const t of ['a', 'b']) buffer.push(t);
    buffer.publish();
    assert.equal(buffer.bytes, 2, 'no listener yet: kept');
    const controller = new AbortController();
    const followed = take(buffer.follow(0, controller.signal));
    const got: string[] = [];
    buffer.listen(0, { frames: (text) => got.push(text), end: () => undefined });
    buffer.push('c');
    buffer.publish();
    assert.equal(buffer.bytes, 3, 'a generator follower keeps them');
    controller.abort();
    assert.deepEqual(await followed, ['1:a', '2:b']);
    buffer.push('d');
    buffer.publish();
    assert.deepEqual(got, ['ab', 'c', 'd']);
    assert.equal(buffer.bytes, 0);
    assert.equal(buffer.lastSeq, 4);
  });
});
