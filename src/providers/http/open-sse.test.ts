/**
 * `openSse`'s reads pulled, then piped: a consumer that pulled the first read and pipes
 * later (a provider's stream is pulled to its first event, then the run pipes it) gets
 * every later read and then the end, also when the body ended while a read waited in
 * the queue (two events and the end in one burst: undici hands them over as separate
 * chunks, then ends the paused body). Real HTTP on loopback (the fake upstream).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pushable } from '../../core/events.js';
import { startFakeUpstream, type FakeUpstream } from '../test-support/fake-upstream.js';
import { openSse } from './open-sse.js';
import type { EventSourceMessage } from './sse-decoder.js';
import { createUpstreamAgent } from './upstream-agent.js';

let up: FakeUpstream;
const agent = createUpstreamAgent({ connectMs: 5000 });
before(async () => {
  up = await startFakeUpstream([{ sse: 'data: one\n\ndata: two\n\n' }]);
});
after(async () => {
  await agent.close();
  await up.close();
});

const open = () =>
  openSse({ url: `${up.url}/x`, headers: {}, body: {}, agent, timeouts: { firstByteMs: 10_000, idleMs: 10_000 }, signal: new AbortController().signal, providerId: 'up', maxEventBytes: 1 << 20 });

describe('openSse reads', () => {
  for (const waitMs of [0, 500]) {
    it(`pulled once, then piped ${waitMs ? 'after the body ended' : 'at once'}: every read, in order, then the end`, async () => {
      const reads = await open();
      const first = await reads.next();
      assert.deepEqual(first.value?.map((m: EventSourceMessage) => m.data), ['one']);
      // With the wait, the body has ended while the second read waited in the queue.
      await sleep(waitMs);
      const pipe = pushable(reads);
      assert.ok(pipe, 'the reads can push');
      const seen: string[] = [];
      await new Promise<void>((resolve, reject) => {
        pipe({ data: (ms) => seen.push(...ms.map((m) => m.data)), end: () => resolve(), fail: reject });
      });
      assert.deepEqual(seen, ['two']);
    });
  }
});
