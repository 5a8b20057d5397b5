import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { mergeDeltas, readFixture, replayChunks, snapshotOf, splitAt } from '../test-support/replay-fixture.js';
import { createAnthropicStreamParser } from './parse-stream.js';
import { mapAnthropicStopReason } from './map-finish-reason.js';

const FIXTURES = ['claude-thinking', 'claude-stop-sequence', 'claude-overloaded-mid-stream', 'claude-tool-use'];
const fixtureUrl = (name: string) => new URL(`./__fixtures__/${name}.sse`, import.meta.url);
const replay = (chunks: Uint8Array[]) => replayChunks(chunks, createAnthropicStreamParser('claude'), 'auto');

describe('Anthropic stream fixtures', () => {
  for (const name of FIXTURES) {
    it(`${name} gives its snapshot of normalized events`, async () => {
      const events = await replay([readFixture(fixtureUrl(name))]);
      assert.deepEqual(events, snapshotOf(fixtureUrl(name), events));
    });

    it(`${name}: random split points give the same events`, async () => {
      const bytes = readFixture(fixtureUrl(name));
      const whole = mergeDeltas(await replay([bytes]));
      await fc.assert(
        fc.asyncProperty(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 80 }), async (offsets) => {
          assert.deepEqual(mergeDeltas(await replay(splitAt(bytes, offsets))), whole);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('maps thinking_delta to reasoning and text_delta to text, with usage from message_start and message_delta', async () => {
    const events = mergeDeltas(await replay([readFixture(fixtureUrl('claude-thinking'))]));
    assert.deepEqual(events.map((e) => e.type), ['reasoning-delta', 'text-delta', 'usage', 'finish']);
    assert.match((events[0] as { text: string }).text, /^The user asks which is larger/);
    assert.equal((events[1] as { text: string }).text, '9.8 is larger than 9.11.\n\n因为 0.8 > 0.11 🙂');
    assert.deepEqual(events[2], { type: 'usage', usage: { promptTokens: 41, completionTokens: 87 } });
    assert.deepEqual(events[3], { type: 'finish', reason: 'end' });
  });

  it('ends with an error event on an error event mid-stream', async () => {
    const events = await replay([readFixture(fixtureUrl('claude-overloaded-mid-stream'))]);
    assert.deepEqual(events[0], { type: 'text-delta', text: 'Once upon a time' });
    assert.equal(events.at(-1)?.type, 'error');
    assert.match((events.at(-1) as { message: string }).message, /overloaded_error.*Overloaded/);
  });

  it('fails a stream that ends before message_stop', async () => {
    const bytes = readFixture(fixtureUrl('claude-stop-sequence'));
    const text = new TextDecoder().decode(bytes);
    const events = await replay([bytes.subarray(0, new TextEncoder().encode(text.slice(0, text.indexOf('event: message_stop'))).length)]);
    assert.equal(events.at(-1)?.type, 'error');
  });

  it('maps every stop_reason to a finish reason', () => {
    assert.equal(mapAnthropicStopReason('end_turn'), 'end');
    assert.equal(mapAnthropicStopReason('max_tokens'), 'length');
    assert.equal(mapAnthropicStopReason('stop_sequence'), 'stop-sequence');
    assert.equal(mapAnthropicStopReason('tool_use'), 'tool-calls');
    assert.equal(mapAnthropicStopReason('refusal'), 'content-filter');
    assert.equal(mapAnthropicStopReason('something_new'), 'end');
  });
});
