import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ThinkTagSplitter, partialSuffix, type ThinkPart } from './think-splitter.js';

/** Runs chunks through a splitter and merges adjacent parts of the same kind. */
function split(chunks: string[], implicitOpen = false): Array<[ThinkPart, string]> {
  const splitter = new ThinkTagSplitter({ implicitOpen });
  const out: Array<[ThinkPart, string]> = [];
  const emit = (part: ThinkPart, text: string) => {
    const last = out.at(-1);
    if (last && last[0] === part) last[1] += text;
    else out.push([part, text]);
  };
  for (const c of chunks) splitter.push(c, emit);
  splitter.flush(emit);
  return out;
}

/** Cuts a string at the given (sorted, deduplicated) code-unit offsets. */
function cut(s: string, points: number[]): string[] {
  const sorted = [...new Set(points.map((p) => p % (s.length + 1)))].sort((a, b) => a - b);
  const out: string[] = [];
  let prev = 0;
  for (const p of sorted) {
    out.push(s.slice(prev, p));
    prev = p;
  }
  out.push(s.slice(prev));
  return out;
}

const SAMPLE = '<think>\n今天是星期一，我需要确定星期几。\n</think>\n\n今天是星期一 😊';

describe('ThinkTagSplitter', () => {
  it('separates thinking and answer, byte for byte', () => {
    assert.deepEqual(split([SAMPLE]), [
      ['reasoning', '\n今天是星期一，我需要确定星期几。\n'],
      ['text', '\n\n今天是星期一 😊'],
    ]);
  });

  it('handles tags cut into single characters', () => {
    assert.deepEqual(split([...SAMPLE]), split([SAMPLE]));
  });

  it('handles text glued to the closing tag, as the lm-v2 example streams it', () => {
    assert.deepEqual(split(['<think>', '\n嗯', '星期几。\n</think>', '\n\n', '答案']), [
      ['reasoning', '\n嗯星期几。\n'],
      ['text', '\n\n答案'],
    ]);
  });

  it('handles several tags in one chunk, and an empty thinking block', () => {
    assert.deepEqual(split(['<think></think>answer']), [['text', 'answer']]);
    assert.deepEqual(split(['<think>a</think>b<think>c']), [
      ['reasoning', 'a'],
      ['text', 'b<think>c'],
    ]);
  });

  it('without thinking, text passes through unchanged (auto)', () => {
    assert.deepEqual(split(['Hello', ' world']), [['text', 'Hello world']]);
    assert.deepEqual(split(['<thin', 'g>']), [['text', '<thing>']]);
  });

  it('a stream that ends while thinking leaves the answer empty', () => {
    assert.deepEqual(split(['<think>still thinking</thi']), [['reasoning', 'still thinking</thi']]);
  });

  it('implicit open (reasoning: tags) treats text before </think> as thinking', () => {
    assert.deepEqual(split(['Okay, the user', ' asked.</think>\n\nHi'], true), [
      ['reasoning', 'Okay, the user asked.'],
      ['text', '\n\nHi'],
    ]);
    assert.deepEqual(split(['<think>x</think>y'], true), [
      ['reasoning', 'x'],
      ['text', 'y'],
    ]);
  });

  it('gives the same parts for every way of cutting the input (property)', () => {
    const texts = [SAMPLE, '  <think>a</think>', '<think>\n</think>', 'plain </think> text', '<think>a</th', '<thinkX>'];
    fc.assert(
      fc.property(fc.constantFrom(...texts), fc.array(fc.nat(200), { maxLength: 12 }), fc.boolean(), (text, points, implicit) => {
        assert.deepEqual(split(cut(text, points), implicit), split([text], implicit));
      }),
      { numRuns: 500 },
    );
  });

  it('partialSuffix finds the longest tag prefix at the end', () => {
    assert.equal(partialSuffix('abc</thi', '</think>'), 5);
    assert.equal(partialSuffix('abc<', '</think>'), 1);
    assert.equal(partialSuffix('abc', '</think>'), 0);
    assert.equal(partialSuffix('</think>', '</think>'), 0);
  });
});
