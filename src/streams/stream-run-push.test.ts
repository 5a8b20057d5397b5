/**
 * A run over a model stream that pushes: its batches are encoded in the source's own
 * callback and reach a listener at once; a listener's `hold` pauses the source until
 * `release`; a throw while encoding fails the run with its error event, as when pulled.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventBatch, EventStream, Flow, PushableIterator, Sink } from '../core/events.js';
import { createChatChunkEncoder, OPENAI_FINISH_REASONS } from '../encoders/chat-chunk-encoder.js';
import { StreamRun, type StreamObserver } from './stream-run.js';

/** A source the test drives by hand: `send` calls the sink synchronously, as a socket's `data` event would. */
function handSource() {
  let sink: Sink<EventBatch> | undefined;
  const state = { paused: false, returned: false, pulls: 0 };
  const iterator: PushableIterator<EventBatch> = {
    next: async () => {
      state.pulls++;
      return { value: undefined, done: true };
    },
    return: async () => {
      state.returned = true;
      return { value: undefined, done: true };
    },
    pipe(s): Flow {
      sink = s;
      return { pause: () => (state.paused = true), resume: () => (state.paused = false) };
    },
  };
  const stream: EventStream = { [Symbol.asyncIterator]: () => iterator };
  return { stream, state, send: (batch: EventBatch) => sink!.data(batch), end: () => sink!.end(), piped: () => sink !== undefined };
}

const encoder = () => createChatChunkEncoder({ id: 'c', created: 0, model: 'm', reasoningFormat: 'separate', includeUsage: false, finishReasons: OPENAI_FINISH_REASONS });
const run = (stream: EventStream, observers: StreamObserver[] = []) =>
  new StreamRun({ id: 'r', meta: { owner: null, endpoint: '/v1/chat/completions', createdAt: 0 }, open: async () => stream, encoder: encoder(), observers, disconnect: 'stop' }, { log: null, graceMs: 0, keepAlive: async () => false });

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('StreamRun on a pushing source', () => {
  it('frames each pushed batch for the listener in the same call, holds and releases the source, ends on its end', async () => {
    const source = handSource();
    const r = run(source.stream);
    const texts: string[] = [];
    let ended = '';
    const stop = r.listen(0, { frames: (t) => texts.push(t), end: (e) => (ended = e) });
    await r.opened;
    await tick();
    assert.ok(source.piped(), 'the run piped the source instead of pulling it');
    source.send([{ type: 'text-delta', text: 'Hel' }]);
    assert.equal(texts.length, 1, 'the listener got the frame inside the source callback');
    assert.match(texts[0]!, /"content":"Hel"/);
    r.hold();
    assert.equal(source.state.paused, true);
    r.release();
    assert.equal(source.state.paused, false);
    source.send([{ type: 'text-delta', text: 'lo' }, { type: 'finish', reason: 'end' }]);
    source.end();
    assert.deepEqual(await r.done, { status: 'completed' });
    assert.equal(ended, 'completed');
    assert.match(texts.join(''), /"content":"lo".*"finish_reason":"stop".*data: \[DONE\]/s);
    assert.equal(source.state.pulls, 0);
    stop();
  });

  it('an observer that throws in the source callback fails the run with an error event, and stops the source', async () => {
    const source = handSource();
    const boom: StreamObserver = {
      event: (e) => {
        if (e.type === 'text-delta' && e.text === 'bad') throw new Error('observer broke');
      },
    };
    const r = run(source.stream, [boom]);
    const texts: string[] = [];
    r.listen(0, { frames: (t) => texts.push(t), end: () => undefined });
    await r.opened;
    await tick();
    source.send([{ type: 'text-delta', text: 'ok' }]);
    assert.doesNotThrow(() => source.send([{ type: 'text-delta', text: 'bad' }]));
    const outcome = await r.done;
    assert.equal(outcome.status, 'failed');
    assert.equal(source.state.returned, true);
    assert.match(texts.join(''), /"error"/);
  });

  it('a stop while the source is held back ends the run at once and stops the source', async () => {
    const source = handSource();
    const r = run(source.stream);
    r.listen(0, { frames: () => undefined, end: () => undefined });
    await r.opened;
    await tick();
    source.send([{ type: 'text-delta', text: 'x' }]);
    r.hold();
    r.stop(new (await import('../core/errors.js')).GatewayError(499, 'stream_stopped', 'stopped', { code: 'stream_stopped' }));
    const outcome = await r.done;
    assert.equal(outcome.status, 'aborted');
    assert.equal(source.state.returned, true);
  });
});
