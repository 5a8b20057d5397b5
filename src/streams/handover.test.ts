import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { EventBatch } from '../core/events.js';
import { createChatChunkEncoder, OPENAI_FINISH_REASONS } from '../encoders/chat-chunk-encoder.js';
import { createCompleteEnvelopeEncoder } from '../encoders/complete-envelope-encoder.js';
import type { StreamEncoder, WireMessage } from '../encoders/types.js';
import { skipMessages, StreamTape } from './handover.js';

/** A model's events as the simulator batches them: thinking in tags, then the answer, usage and finish. */
const BATCHES: EventBatch[] = [
  [{ type: 'text-delta', text: '<think>' }, { type: 'text-delta', text: 'Let me' }],
  [{ type: 'text-delta', text: ' think' }],
  [{ type: 'reasoning-delta', text: 'a field' }, { type: 'text-delta', text: '</think>' }, { type: 'text-delta', text: '' }],
  [{ type: 'text-delta', text: 'The answer' }, { type: 'tool-call-delta', index: 0, id: 'c1', name: 'f', argumentsDelta: '{"a":1}' }],
  [{ type: 'text-delta', text: ' is 42 ✓.' }],
  [{ type: 'usage', usage: { promptTokens: 3, completionTokens: 9 } }, { type: 'finish', reason: 'end' }],
];

const encoders: Record<string, () => StreamEncoder> = {
  chat: () => createChatChunkEncoder({ id: 'chatcmpl-1', created: 1, model: 'm', reasoningFormat: 'inline', includeUsage: true, finishReasons: OPENAI_FINISH_REASONS }),
  complete: () => createCompleteEnvelopeEncoder({ question: 'q', requestId: 'r', sessionId: 's', reasoningFormat: 'separate', trace: () => [], now: () => 7 }),
};

function encodeAll(encoder: StreamEncoder, batches: Iterable<EventBatch>): WireMessage[] {
  const out: WireMessage[] = [];
  for (const batch of batches) for (const event of batch) encoder.encode(event, out);
  return out;
}

describe('StreamTape', () => {
  test('gives back the batches it recorded, through JSON, event for event', () => {
    const tape = new StreamTape();
    for (const batch of BATCHES) tape.record(batch);
    const copy = StreamTape.from(JSON.parse(JSON.stringify(tape)));
    assert.deepEqual([...copy.batches()], BATCHES);
    assert.equal(copy.hasToolCalls, true);
  });

  test('keeps the text of its deltas in one string, one number per delta', () => {
    const tape = new StreamTape();
    tape.record([{ type: 'text-delta', text: 'ab' }, { type: 'text-delta', text: 'c' }]);
    assert.deepEqual(tape.toJSON(), { text: 'abc', reasoning: '', ops: [2, 1, -1], others: [] });
    assert.equal(tape.hasToolCalls, false);
  });
});

describe('replaying a tape into a fresh encoder', () => {
  for (const [name, make] of Object.entries(encoders)) {
    test(`${name}: after the messages already sent are skipped, the rest is what the first encoder would have sent`, () => {
      const cutAfter = 4;
      // The first instance: the first batches, then its frames are in the log.
      const first = make();
      const sent = encodeAll(first, BATCHES.slice(0, cutAfter));
      const tape = new StreamTape();
      for (const batch of BATCHES.slice(0, cutAfter)) tape.record(batch);
      // The uncut run, for reference.
      const uncut = make();
      const whole = encodeAll(uncut, BATCHES);
      uncut.end(whole);

      // The second instance: replay, skip what the log has, go on.
      const rebuilt = skipMessages(make(), sent.length);
      const rest = encodeAll(rebuilt, [...StreamTape.from(tape.toJSON()).batches(), ...BATCHES.slice(cutAfter)]);
      rebuilt.end(rest);
      assert.ok(sent.length > 0 && rest.length > 0);
      assert.deepEqual([...sent, ...rest], whole);
    });
  }

  test('without the skip the replay would repeat what was sent (the test can fail)', () => {
    const sent = encodeAll(encoders.chat!(), BATCHES.slice(0, 2));
    const again = encodeAll(encoders.chat!(), BATCHES.slice(0, 2));
    assert.deepEqual(again, sent);
    assert.deepEqual(encodeAll(skipMessages(encoders.chat!(), sent.length), BATCHES.slice(0, 2)), []);
  });
});
