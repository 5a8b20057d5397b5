import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ReasoningMode } from '../../core/split-reasoning.js';
import { mergeDeltas, readFixture, replayChunks, snapshotOf, splitAt } from '../test-support/replay-fixture.js';
import { createOpenAIStreamParser } from './parse-stream.js';

/** Each recorded stream with the `reasoning` mode its model is configured with. */
const FIXTURES: ReadonlyArray<{ name: string; mode: ReasoningMode }> = [
  { name: 'openai-plain', mode: 'auto' },
  { name: 'deepseek-reasoning-content', mode: 'auto' },
  { name: 'dashscope-qwen-plus-crlf', mode: 'auto' },
  { name: 'vllm-reasoning', mode: 'auto' },
  // Constructed in the shape DeepSeek and vLLM send: whitespace `content` before, between and after `reasoning_content`.
  { name: 'whitespace-around-reasoning', mode: 'auto' },
  { name: 'lm-v2-inline-think', mode: 'auto' },
  { name: 'r1-missing-open-tag', mode: 'tags' },
  { name: 'think-never-closed', mode: 'auto' },
  { name: 'inline-think-one-chunk', mode: 'auto' },
  { name: 'openai-error-mid-stream', mode: 'auto' },
  { name: 'openai-parallel-tool-calls', mode: 'auto' },
];

const fixtureUrl = (name: string) => new URL(`./__fixtures__/${name}.sse`, import.meta.url);
const replay = (chunks: Uint8Array[], mode: ReasoningMode) => replayChunks(chunks, createOpenAIStreamParser('up'), mode);
const text = (events: Awaited<ReturnType<typeof replay>>, type: 'text-delta' | 'reasoning-delta') =>
  events.filter((e) => e.type === type).map((e) => (e as { text: string }).text).join('');

describe('OpenAI-compatible stream fixtures', () => {
  for (const { name, mode } of FIXTURES) {
    it(`${name} (reasoning: ${mode}) gives its snapshot of normalized events`, async () => {
      const events = await replay([readFixture(fixtureUrl(name))], mode);
      assert.deepEqual(events, snapshotOf(fixtureUrl(name), events));
    });

    it(`${name}: one byte at a time gives the same events`, async () => {
      const bytes = readFixture(fixtureUrl(name));
      const whole = mergeDeltas(await replay([bytes], mode));
      const offsets = Array.from({ length: bytes.length }, (_, i) => i);
      assert.deepEqual(mergeDeltas(await replay(splitAt(bytes, offsets), mode)), whole);
    });

    it(`${name}: random split points give the same events`, async () => {
      const bytes = readFixture(fixtureUrl(name));
      const whole = mergeDeltas(await replay([bytes], mode));
      await fc.assert(
        fc.asyncProperty(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 60 }), async (offsets) => {
          assert.deepEqual(mergeDeltas(await replay(splitAt(bytes, offsets), mode)), whole);
        }),
        { numRuns: 60 },
      );
    });
  }

  it('splits DeepSeek reasoning_content from the answer', async () => {
    const events = await replay([readFixture(fixtureUrl('deepseek-reasoning-content'))], 'auto');
    assert.equal(text(events, 'reasoning-delta'), '嗯，用户问9.11和9.8哪个大。比较小数部分: 0.11 < 0.8，所以9.8更大。');
    assert.equal(text(events, 'text-delta'), '9.8 更大。\n\n因为 0.8 > 0.11。');
    assert.deepEqual(events.at(-2), { type: 'usage', usage: { promptTokens: 17, completionTokens: 58, reasoningTokens: 44 } });
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'end' });
  });

  it('drops the whitespace content around reasoning_content: the answer starts with its first word', async () => {
    const events = await replay([readFixture(fixtureUrl('whitespace-around-reasoning'))], 'auto');
    assert.equal(text(events, 'reasoning-delta'), 'The user asks which is larger: 9.8 > 9.11.');
    assert.equal(text(events, 'text-delta'), '9.8 is larger.\n\n0.8 > 0.11.');
    assert.equal(events[0]?.type, 'reasoning-delta');
  });

  it('splits the user\'s inline <think> stream, tag glued to text, [DONE] without a final newline', async () => {
    const events = await replay([readFixture(fixtureUrl('lm-v2-inline-think'))], 'auto');
    assert.equal(text(events, 'reasoning-delta'), '\n今天是星期一，我需要确定“后台”是星期几。\n');
    assert.equal(text(events, 'text-delta'), '\n\n今天是星期一，但“后台”并不是一个具体的日期。');
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'end' });
  });

  it('treats text before </think> as thinking in reasoning: tags mode (R1 without <think>)', async () => {
    const events = await replay([readFixture(fixtureUrl('r1-missing-open-tag'))], 'tags');
    assert.equal(text(events, 'reasoning-delta'), "Okay, so I need to add 2 and 3. That's 5.\n");
    assert.equal(text(events, 'text-delta'), '\n\n2 + 3 = **5**.');
  });

  it('ends with an empty answer and the finish reason kept when </think> never comes', async () => {
    const events = await replay([readFixture(fixtureUrl('think-never-closed'))], 'auto');
    assert.equal(text(events, 'text-delta'), '');
    assert.equal(text(events, 'reasoning-delta'), '\nLet me think about this carefully. The question asks');
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'length' });
  });

  it('ends with an error event, not a finish, on an error chunk mid-stream', async () => {
    const events = await replay([readFixture(fixtureUrl('openai-error-mid-stream'))], 'auto');
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    assert.match((last as { message: string }).message, /server had an error/);
    assert.ok(!events.some((e) => e.type === 'finish'));
  });

  it('fails a stream cut before its finish reason instead of ending it cleanly', async () => {
    const bytes = readFixture(fixtureUrl('openai-plain'));
    const events = await replay([bytes.subarray(0, Math.floor(bytes.length / 2))], 'auto');
    assert.equal(events.at(-1)?.type, 'error');
  });

  it('fails on malformed JSON', async () => {
    const events = await replay([new TextEncoder().encode('data: {"choices":[{"delta":{"content":"a"}}]}\n\ndata: {oops\n\n')], 'auto');
    assert.deepEqual(events[0], { type: 'text-delta', text: 'a' });
    assert.equal(events.at(-1)?.type, 'error');
    assert.match((events.at(-1) as { message: string }).message, /malformed/);
  });

  it('reads vLLM stop_reason as a stop sequence', async () => {
    const data = 'data: {"choices":[{"index":0,"delta":{"content":"1, 2"},"finish_reason":"stop","stop_reason":", 3"}]}\n\ndata: [DONE]\n\n';
    const events = await replay([new TextEncoder().encode(data)], 'auto');
    assert.deepEqual(events.at(-1), { type: 'finish', reason: 'stop-sequence' });
  });

  it('takes one of reasoning_content and reasoning when a server sends both', async () => {
    const data = 'data: {"choices":[{"delta":{"reasoning_content":"x","reasoning":"x"},"finish_reason":"stop"}]}\n\n';
    const events = await replay([new TextEncoder().encode(data)], 'auto');
    assert.deepEqual(events, [{ type: 'reasoning-delta', text: 'x' }, { type: 'finish', reason: 'end' }]);
  });
});
