import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageTally } from './usage-tally.js';

const never = () => {
  throw new Error('the prompt must not be estimated when the provider reported it');
};

test('cumulative usage repeated on every chunk: the last total, not the sum', () => {
  const tally = new UsageTally();
  for (let i = 1; i <= 10; i++) {
    tally.observe({ type: 'text-delta', text: ' word' });
    tally.observe({ type: 'usage', usage: { promptTokens: 7, completionTokens: i } });
  }
  tally.observe({ type: 'finish', reason: 'end' });
  assert.deepEqual(tally.measure(never), { promptTokens: 7, completionTokens: 10, totalTokens: 17, source: 'provider' });
  assert.equal(tally.finishReason, 'end');
});

test("a provider's explicit 0 stays 0", () => {
  const tally = new UsageTally();
  tally.observe({ type: 'text-delta', text: 'some text' });
  tally.observe({ type: 'usage', usage: { promptTokens: 0, completionTokens: 0 } });
  assert.deepEqual(tally.measure(never), { promptTokens: 0, completionTokens: 0, totalTokens: 0, source: 'provider' });
});

test('no report: what was streamed is counted and marked estimated', () => {
  const tally = new UsageTally();
  tally.observe({ type: 'reasoning-delta', text: 'Think' });
  tally.observe({ type: 'text-delta', text: 'Hello world' });
  const u = tally.measure(() => 12);
  assert.deepEqual(u, { promptTokens: 12, completionTokens: 3, totalTokens: 15, source: 'estimated' });
});

test('text after the last report (a stream stopped mid-way) is added to it as an estimate', () => {
  const tally = new UsageTally();
  tally.observe({ type: 'text-delta', text: 'Hello' });
  tally.observe({ type: 'usage', usage: { promptTokens: 5, completionTokens: 1 } });
  tally.observe({ type: 'text-delta', text: ' world' });
  assert.deepEqual(tally.measure(never), { promptTokens: 5, completionTokens: 2, totalTokens: 7, source: 'estimated' });
});
