import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { ThinkSplitter, splitThinking, type SplitDelta } from './think-split.js';

function run(pieces: string[]): SplitDelta & { phases: string[] } {
  const s = new ThinkSplitter();
  const acc = { thinking: '', answer: '', phases: [] as string[] };
  for (const p of pieces) {
    const d = s.push(p);
    acc.thinking += d.thinking;
    acc.answer += d.answer;
    acc.phases.push(s.phase);
  }
  const d = s.finish();
  acc.thinking += d.thinking;
  acc.answer += d.answer;
  return acc;
}

// The deltas of the user's sample stream, as the server sends them.
const SAMPLE = ['<think>', '\nOkay,', ' the user said "', 'hello".', '\n</think>', '\n\n', 'Hello!', ' How can I help?'];

describe('ThinkSplitter', () => {
  it('splits the sample stream into thinking and answer', () => {
    const r = run(SAMPLE);
    assert.equal(r.thinking, '\nOkay, the user said "hello".\n');
    assert.equal(r.answer, '\n\nHello! How can I help?');
    assert.deepEqual(r.phases.slice(0, 2), ['thinking', 'thinking']);
    assert.equal(r.phases.at(-1), 'answer');
  });

  it('enters thinking as soon as the opening tag is complete, before any thinking text', () => {
    const s = new ThinkSplitter();
    assert.deepEqual(s.push('<thi'), { thinking: '', answer: '' });
    assert.equal(s.phase, 'start');
    s.push('nk>');
    assert.equal(s.phase, 'thinking');
  });

  it('holds back a closing tag cut across deltas ("</thi" + "nk>")', () => {
    const s = new ThinkSplitter();
    s.push('<think>plan');
    assert.deepEqual(s.push(' done</thi'), { thinking: ' done', answer: '' });
    assert.equal(s.phase, 'thinking');
    assert.deepEqual(s.push('nk>Answer'), { thinking: '', answer: 'Answer' });
    assert.equal(s.phase, 'answer');
  });

  it('releases a false alarm "</th" as thinking text', () => {
    assert.deepEqual(run(['<think>a </th', 'at</think>b']), { thinking: 'a </that', answer: 'b', phases: ['thinking', 'answer'] });
  });

  it('treats text without a leading <think> as answer, keeping later tags as text', () => {
    const r = run(['Hi ', 'there <think>x</think>']);
    assert.equal(r.thinking, '');
    assert.equal(r.answer, 'Hi there <think>x</think>');
  });

  it('treats a lone "<" that never becomes a tag as answer text on finish', () => {
    assert.deepEqual(run(['<']), { thinking: '', answer: '<', phases: ['start'] });
  });

  it('keeps unfinished thinking as thinking when the stream stops mid-way', () => {
    const r = run(['<think>still going </thi']);
    assert.equal(r.thinking, 'still going </thi');
    assert.equal(r.answer, '');
  });

  it('gives the same split however the text is cut (property)', () => {
    const texts = fc.oneof(
      fc.constant(SAMPLE.join('')),
      fc.constant('  <think>中文思考</think>\n\n答案：**是**'),
      fc.string({ unit: fc.constantFrom('<', '/', 't', 'h', 'i', 'n', 'k', '>', 'a', ' ', '\n', '思') }),
      fc.tuple(fc.string(), fc.string()).map(([t, a]) => `<think>${t}</think>${a}`),
    );
    fc.assert(
      fc.property(texts, fc.array(fc.nat(), { maxLength: 12 }), (text, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const pieces: string[] = [];
        let prev = 0;
        for (const p of points) { pieces.push(text.slice(prev, p)); prev = p; }
        pieces.push(text.slice(prev));
        const whole = splitThinking(text);
        const cut = run(pieces);
        assert.equal(cut.thinking, whole.thinking);
        assert.equal(cut.answer, whole.answer);
      }),
      { numRuns: 500 },
    );
  });

  it('splitThinking reports whether the text had a thinking block', () => {
    assert.equal(splitThinking('<think>x</think>y').hadThinking, true);
    assert.equal(splitThinking('just an answer').hadThinking, false);
  });
});
