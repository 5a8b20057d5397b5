/**
 * `continueHandedOver`, the model side of a handover: the events a first instance got
 * (its tape) are replayed and the answer is continued by the same mechanism as a
 * mid-stream cut. The joined stream is the uncut one for the seeded simulator; where the
 * answer cannot be continued, it ends with the restart's honest error after the replay.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { parseConfig } from '../config/load-config.js';
import type { EventStream, StreamEvent } from '../core/events.js';
import { StreamTape } from '../streams/handover.js';
import { cutByRestart } from '../streams/stop-reasons.js';
import { continueHandedOver, openStream, type HandedOverStreamOptions } from './open-stream.js';
import { buildRegistry } from './registry.js';
import { startContinuingUpstream } from './test-support/continuing-upstream.js';

const request = { messages: [{ role: 'user' as const, content: 'Explain server-sent events in a few sentences.' }], seed: 5, sim: { tokensPerSecond: 2000, firstTokenMs: 0 } };

async function collect(events: EventStream): Promise<StreamEvent[]> {
  const out: StreamEvent[] = [];
  for await (const batch of events) out.push(...batch);
  return out;
}
const text = (events: StreamEvent[]) => events.map((e) => (e.type === 'text-delta' || e.type === 'reasoning-delta' ? `${e.type[0]}:${e.text}` : '')).join('');

/** The first `batches` batches of a run, as the first instance's tape holds them when it is stopped. */
async function firstPart(registry: ReturnType<typeof buildRegistry>, model: string, batches: number): Promise<{ tape: StreamTape; legs: HandedOverStreamOptions['legs']; deployment: string; seen: StreamEvent[] }> {
  const tape = new StreamTape();
  const controller = new AbortController();
  const opened = await openStream({ registry, model, request, signal: controller.signal, tape });
  const iterator = opened.events[Symbol.asyncIterator]();
  const seen: StreamEvent[] = [];
  for (let i = 0; i < batches; i++) {
    const step = await iterator.next();
    assert.equal(step.done, false);
    seen.push(...(step.value as StreamEvent[]));
  }
  controller.abort();
  assert.equal([...tape.batches()].flat().some((e) => e.type === 'finish'), false, 'stopped before the end');
  await iterator.return?.();
  const legs = opened.legs.map((leg) => ({ ...leg, deployment: leg.deployment.id }));
  return { tape, legs, deployment: legs.at(-1)!.deployment, seen };
}

describe('continueHandedOver', () => {
  const registry = buildRegistry(parseConfig({}));

  for (const model of ['sim-reasoner', 'sim-chat']) {
    test(`${model}: the replayed part and the continuation are the uncut answer, with one finish`, async () => {
      const uncut = await collect((await openStream({ registry, model, request, signal: new AbortController().signal })).events);
      const { tape, legs, deployment } = await firstPart(registry, model, 3);
      assert.ok([...tape.batches()].length >= 3);
      const opened = continueHandedOver({ registry, model, request, signal: new AbortController().signal, served: model, deployment, replay: StreamTape.from(tape.toJSON()).batches(), legs, mode: { continue: true } });
      const joined = await collect(opened.events);
      assert.equal(text(joined), text(uncut));
      assert.deepEqual(joined.filter((e) => e.type === 'finish'), [{ type: 'finish', reason: 'end' }]);
      assert.equal(joined.some((e) => e.type === 'error'), false);
      assert.equal(opened.legs.length, 2, 'the continuation is a second model step');
      assert.ok(opened.legs[1]!.prefix.length > 0);
    });
  }

  test('taken back (nobody claimed it): the replay, then the restart error', async () => {
    const { tape, legs, deployment, seen } = await firstPart(registry, 'sim-reasoner', 2);
    const events = await collect(continueHandedOver({ registry, model: 'sim-reasoner', request, signal: new AbortController().signal, served: 'sim-reasoner', deployment, replay: tape.batches(), legs, mode: { continue: false, error: cutByRestart() } }).events);
    assert.equal(events.at(-1)?.type, 'error');
    assert.equal((events.at(-1) as Extract<StreamEvent, { type: 'error' }>).error.code, 'server_restarted');
    assert.deepEqual(events.slice(0, -1), seen, 'the replay comes out as the first instance gave it');
  });

  test('a tool call half streamed is not continued: the restart error after the replay', async () => {
    const tape = new StreamTape();
    tape.record([{ type: 'tool-call-delta', index: 0, id: 'call_1', name: 'lookup', argumentsDelta: '{"q":' }]);
    const events = await collect(continueHandedOver({ registry, model: 'sim-chat', request, signal: new AbortController().signal, served: 'sim-chat', deployment: 'sim/sim-chat', replay: tape.batches(), legs: [{ deployment: 'sim/sim-chat', startedAt: null, firstEventAt: null, prefix: '', spentBefore: 0 }], mode: { continue: true } }).events);
    const last = events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
    assert.equal(last.type, 'error');
    assert.equal(last.error.code, 'server_restarted');
  });

  describe('an upstream whose provider has no continuation', () => {
    const answer = 'Server-sent events are a one-way stream of text events over HTTP.';
    let upstream: Awaited<ReturnType<typeof startContinuingUpstream>> | undefined;
    after(() => upstream?.close());

    test('is not asked to continue: the stream ends with the restart error', async () => {
      upstream = await startContinuingUpstream(answer);
      const config = parseConfig({
        providers: [{ id: 'up', type: 'openai', baseURL: `${upstream.url}/v1`, apiKey: 'sk-test', maxRetries: 0, continuation: 'none' }],
        models: [{ name: 'plain', provider: 'up', model: 'up-model' }],
      });
      const upRegistry = buildRegistry(config);
      const { tape, legs, deployment } = await firstPart(upRegistry, 'plain', 2);
      const asked = upstream.requests.length;
      const events = await collect(continueHandedOver({ registry: upRegistry, model: 'plain', request, signal: new AbortController().signal, served: 'plain', deployment, replay: tape.batches(), legs, mode: { continue: true } }).events);
      const last = events.at(-1) as Extract<StreamEvent, { type: 'error' }>;
      assert.equal(last.error.code, 'server_restarted');
      assert.equal(upstream.requests.length, asked, 'no continuation request was sent');
    });
  });
});
