import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStream } from '../core/events.js';
import { GatewayError } from '../core/errors.js';
import { createChatChunkEncoder, OPENAI_FINISH_REASONS } from '../encoders/chat-chunk-encoder.js';
import { MemoryStreamLog } from './memory-stream-log.js';
import { StreamHub } from './stream-hub.js';

/** A memory log whose lookups take a while, as a shared store's round trips do. */
class SlowLog extends MemoryStreamLog {
  override async meta(id: string) {
    const found = await super.meta(id);
    await sleep(10); // the answer's way back
    return found;
  }
}

async function* answer(): EventStream {
  yield [{ type: 'text-delta', text: 'hi' }, { type: 'finish', reason: 'end' }];
}

describe('StreamHub', () => {
  it('two starts with the same id at once: one run and one 409, whatever the store round trips', async () => {
    const log = new SlowLog({ retentionMs: 60_000, maxStreams: 100, maxBytes: 1 << 20 });
    const hub = new StreamHub({ log, resumeGraceMs: 0 });
    const start = () =>
      hub.start({
        id: 'same',
        meta: { owner: null, endpoint: '/v1/complete', createdAt: 0 },
        open: async () => answer(),
        encoder: createChatChunkEncoder({ id: 'x', created: 0, model: 'm', reasoningFormat: 'separate', includeUsage: false, finishReasons: OPENAI_FINISH_REASONS }),
        disconnect: 'grace',
      });
    const results = await Promise.allSettled([start(), start()]);
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    assert.ok(failed?.reason instanceof GatewayError);
    assert.equal(failed.reason.status, 409);
    await hub.close();
    await log.close();
  });

  it('with the in-process log, a run keeps its frames once: in the log\'s buffer, which resumes read after the run', async () => {
    const log = new MemoryStreamLog({ retentionMs: 60_000, maxStreams: 100, maxBytes: 1 << 20 });
    const hub = new StreamHub({ log, resumeGraceMs: 0 });
    const run = await hub.start({
      id: 'once',
      meta: { owner: null, endpoint: '/v1/chat/completions', createdAt: 0 },
      open: async () => answer(),
      encoder: createChatChunkEncoder({ id: 'x', created: 0, model: 'm', reasoningFormat: 'separate', includeUsage: false, finishReasons: OPENAI_FINISH_REASONS }),
      disconnect: 'grace',
    });
    const kept = await log.follow('once', 0, new AbortController().signal)[Symbol.asyncIterator]().next();
    assert.equal(kept.value?.[0]?.text, run.buffer.after(0)[0]?.text);
    assert.deepEqual(await run.done, { status: 'completed' });
    const read = await log.read('once', 0);
    assert.equal(read?.end, 'completed');
    assert.deepEqual(read?.frames.map((f) => f.seq), [1, 2, 3, 4]);
    assert.equal(log.size.bytes, read?.frames.reduce((n, f) => n + f.text.length, 0));
    await hub.close();
    await log.close();
  });
});
