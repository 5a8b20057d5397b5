import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import type { EventBatch, EventStream, StreamEvent } from './events.js';
import { ReasoningSplitter, splitReasoning } from './split-reasoning.js';

/** Each event in a batch of its own, as when every chunk arrives in its own read. */
async function* from(events: StreamEvent[], onReturn?: () => void): AsyncGenerator<EventBatch> {
  try {
    for (const event of events) yield [event];
  } finally {
    onReturn?.();
  }
}

/** The events in the given batches, as when several chunks arrive in one read. */
async function* batched(...batches: StreamEvent[][]): AsyncGenerator<EventBatch> {
  yield* batches;
}

const text = (t: string): StreamEvent => ({ type: 'text-delta', text: t });
const reasoning = (t: string): StreamEvent => ({ type: 'reasoning-delta', text: t });
const finish: StreamEvent = { type: 'finish', reason: 'end' };

async function collect(events: EventStream): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of events) {
    assert.ok(batch.length > 0, 'a batch is never empty');
    for (const e of batch) out.push(e.type === 'text-delta' ? `T:${e.text}` : e.type === 'reasoning-delta' ? `R:${e.text}` : e.type);
  }
  return out;
}

describe('splitReasoning', () => {
  it('auto: a <think> block cut across chunks becomes reasoning, the rest passes as it came', async () => {
    const out = await collect(splitReasoning(from([text('<thi'), text('nk>hm'), text('m</th'), text('ink>Hi'), text(' there'), finish]), 'auto'));
    assert.deepEqual(out, ['R:hm', 'R:m', 'T:Hi', 'T: there', 'finish']);
  });

  it('a usage total that comes while text is held back goes out after that text, which it covers', async () => {
    const usage: StreamEvent = { type: 'usage', usage: { promptTokens: 3, completionTokens: 2 } };
    // Held for a possible `</think>`, then for a possible `<think>` at the start.
    let out = await collect(splitReasoning(from([text('<think>hm</th'), usage, text('ink>Hi'), finish]), 'auto'));
    assert.deepEqual(out, ['R:hm', 'T:Hi', 'usage', 'finish']);
    out = await collect(splitReasoning(from([text('<thi'), usage, finish]), 'auto'));
    assert.deepEqual(out, ['T:<thi', 'usage', 'finish']);
    out = await collect(splitReasoning(batched([text('\n'), usage]), 'auto'));
    assert.deepEqual(out, ['T:\n', 'usage']);
    // Nothing held: usage passes where it came.
    out = await collect(splitReasoning(from([text('Hi'), usage, text(' there'), finish]), 'auto'));
    assert.deepEqual(out, ['T:Hi', 'usage', 'T: there', 'finish']);
  });

  it('auto: reasoning sent in a field turns tag splitting off', async () => {
    const out = await collect(splitReasoning(from([{ type: 'reasoning-delta', text: 'x' }, text('<think>y</think>'), finish]), 'auto'));
    assert.deepEqual(out, ['R:x', 'T:<think>y</think>', 'finish']);
  });

  it('tags: text before </think> is thinking without an opening tag', async () => {
    const out = await collect(splitReasoning(from([text('a</think>b'), { type: 'usage', usage: { promptTokens: 1, completionTokens: 2 } }, finish]), 'tags'));
    assert.deepEqual(out, ['R:a', 'T:b', 'usage', 'finish']);
  });

  it('splits the same inside batches: the answer part of a batch passes, the thinking part is split', async () => {
    const out = await collect(
      splitReasoning(batched([text('<think>a'), text('b</thi')], [text('nk>c'), text('d')], [text('e'), text('f'), finish]), 'auto'),
    );
    assert.deepEqual(out, ['R:a', 'R:b', 'T:c', 'T:d', 'T:e', 'T:f', 'finish']);
  });

  it('text held back for a possible <think> goes out before a tool call, not after it', async () => {
    const call: StreamEvent = { type: 'tool-call-delta', index: 0, id: 'call_1', name: 'f', argumentsDelta: '{}' };
    const out = await collect(splitReasoning(from([text('<'), call, { type: 'finish', reason: 'tool-calls' }]), 'auto'));
    assert.deepEqual(out, ['T:<', 'tool-call-delta', 'finish']);
  });

  it('holds back a possible tag until the stream ends, then lets it out', async () => {
    assert.deepEqual(await collect(splitReasoning(from([text('<thi')]), 'auto')), ['T:<thi']);
  });

  it('none and field: the stream itself, untouched', () => {
    const source = from([text('<think>a</think>')]);
    assert.equal(splitReasoning(source, 'none'), source);
    assert.equal(splitReasoning(source, 'field'), source);
  });

  it('a consumer that stops early closes the source', async () => {
    let closed = false;
    for await (const _ of splitReasoning(from([text('a'), text('b'), finish], () => (closed = true)), 'auto')) break;
    assert.equal(closed, true);
  });
});

describe('splitReasoning, auto: whitespace around reasoning sent in a field (DeepSeek, vLLM)', () => {
  it('drops whitespace-only content before, between and after the reasoning chunks', async () => {
    // Regression: the "\n\n" before the first reasoning chunk came out as answer text, and
    // the inline format then dropped the whole thinking because the answer had "begun".
    const out = await collect(splitReasoning(from([text('\n\n'), reasoning('a'), text('\n'), reasoning('b'), text(' \n\n'), text('\t'), text('Hi'), text(' there'), finish]), 'auto'));
    assert.deepEqual(out, ['R:a', 'R:b', 'T:Hi', 'T: there', 'finish']);
  });

  it('the answer starts at its first non-whitespace character, also when the separator is glued to it', async () => {
    assert.deepEqual(await collect(splitReasoning(from([reasoning('a'), text('\n\nHi\n'), finish]), 'auto')), ['R:a', 'T:Hi\n', 'finish']);
  });

  it('keeps whitespace once the answer has begun', async () => {
    const out = await collect(splitReasoning(from([reasoning('a'), text('Hi'), text('\n\n'), reasoning('late'), text(' '), text('there'), finish]), 'auto'));
    assert.deepEqual(out, ['R:a', 'T:Hi', 'T:\n\n', 'R:late', 'T: ', 'T:there', 'finish']);
  });

  it('an answer of only whitespace after reasoning is no answer', async () => {
    assert.deepEqual(await collect(splitReasoning(from([text('\n'), reasoning('a'), text('\n\n'), finish]), 'auto')), ['R:a', 'finish']);
  });

  it('text before the first reasoning chunk that is not only whitespace is kept, without its leading whitespace', async () => {
    assert.deepEqual(await collect(splitReasoning(from([text('\n<thi'), reasoning('a'), text('\nb'), finish]), 'auto')), ['T:<thi', 'R:a', 'T:\nb', 'finish']);
    assert.deepEqual(await collect(splitReasoning(from([text('Sure'), reasoning('a'), text('\n'), finish]), 'auto')), ['T:Sure', 'R:a', 'T:\n', 'finish']);
  });

  it('without any reasoning, leading whitespace stays as the model wrote it', async () => {
    assert.deepEqual(await collect(splitReasoning(from([text('\n\n'), text('Hi'), finish]), 'auto')), ['T:\n\nHi', 'finish']);
    assert.deepEqual(await collect(splitReasoning(from([text(' \n'), finish]), 'auto')), ['T: \n', 'finish']);
  });

  /** A DeepSeek-like turn: whitespace content around reasoning chunks, then an answer cut anywhere. */
  const turn = fc.record({
    before: fc.array(fc.stringMatching(/^[ \n\t]{1,3}$/), { maxLength: 3 }),
    thinking: fc.array(fc.tuple(fc.string({ minLength: 1, maxLength: 8 }), fc.option(fc.stringMatching(/^[ \n]{1,3}$/))), { minLength: 1, maxLength: 6 }),
    separator: fc.stringMatching(/^[ \n\r\t]{0,4}$/),
    answer: fc.string({ minLength: 0, maxLength: 30 }),
    cuts: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 8 }),
  });

  it('any chunking: reasoning whole, the answer whole without its leading whitespace, and each answer chunk out as soon as it came', () => {
    fc.assert(
      fc.property(turn, ({ before, thinking, separator, answer, cuts }) => {
        const splitter = new ReasoningSplitter('auto');
        const out: StreamEvent[] = [];
        const push = (event: StreamEvent) => (splitter.passes(event) ? out.push(event) : splitter.push(event, out));
        for (const ws of before) push(text(ws));
        for (const [piece, ws] of thinking) {
          push(reasoning(piece));
          if (ws) push(text(ws));
        }
        const whole = separator + answer;
        const points = [...new Set(cuts.filter((c) => c > 0 && c < whole.length))].sort((a, b) => a - b);
        let from = 0;
        const emitted = () => out.filter((e) => e.type === 'text-delta').map((e) => (e as { text: string }).text).join('');
        for (const to of [...points, whole.length]) {
          if (to > from) push(text(whole.slice(from, to)));
          from = to;
          // Never delayed: what came so far is out, minus the separator.
          assert.equal(emitted(), whole.slice(0, to).replace(/^[ \t\r\n]+/, ''));
        }
        push(finish);
        splitter.flush(out);
        assert.equal(out.filter((e) => e.type === 'reasoning-delta').map((e) => (e as { text: string }).text).join(''), thinking.map(([p]) => p).join(''));
        assert.equal(emitted(), whole.replace(/^[ \t\r\n]+/, ''));
        const firstText = out.findIndex((e) => e.type === 'text-delta');
        const lastReasoning = out.findLastIndex((e) => e.type === 'reasoning-delta');
        if (firstText !== -1) assert.ok(firstText > lastReasoning, 'no text out of the thinking phase');
        assert.ok(out.every((e) => e.type !== 'text-delta' || e.text.length > 0), 'no empty text deltas');
      }),
      { numRuns: 300 },
    );
  });
});
