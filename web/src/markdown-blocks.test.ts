import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { MarkdownBlocks } from './markdown-blocks.js';

function feed(pieces: string[]): string[] {
  const b = new MarkdownBlocks();
  const finished: string[] = [];
  for (const p of pieces) {
    b.append(p);
    const t = b.take();
    if (t.finished) finished.push(t.finished);
  }
  return finished;
}

describe('MarkdownBlocks', () => {
  it('finishes a paragraph once the next block starts at column 0', () => {
    const b = new MarkdownBlocks();
    b.append('# Title\n\nFirst para');
    assert.deepEqual(b.take(), { finished: '# Title\n\n', tail: 'First para' });
    b.append('graph.\n\n');
    assert.deepEqual(b.take(), { finished: '', tail: 'First paragraph.\n\n' });
    b.append('Next');
    assert.deepEqual(b.take(), { finished: 'First paragraph.\n\n', tail: 'Next' });
  });

  it('never cuts inside fenced code, even at blank lines', () => {
    const text = 'Intro\n\n```js\nconst a = 1;\n\nconst b = 2;\n```\n\nAfter';
    const parts = feed([...text]);
    assert.deepEqual(parts, ['Intro\n\n', '```js\nconst a = 1;\n\nconst b = 2;\n```\n\n']);
  });

  it('does not cut before an indented line that may continue a list item', () => {
    const parts = feed(['1. one\n\n', '   more of one\n\n', '2. two\n']);
    assert.deepEqual(parts, ['1. one\n\n   more of one\n\n']);
  });

  it('handles tilde fences and longer closing fences', () => {
    const parts = feed(['~~~\na\n\n', 'b\n~~~~\n\nX']);
    assert.deepEqual(parts, ['~~~\na\n\nb\n~~~~\n\n']);
  });

  it('finished parts plus the tail always give back the whole text (property)', () => {
    const unit = fc.constantFrom('a', ' ', '\n', '`', '~', '#', '-', '1', '.', '|', '中');
    fc.assert(
      fc.property(fc.array(fc.string({ unit, maxLength: 8 }), { maxLength: 30 }), (pieces) => {
        const b = new MarkdownBlocks();
        let out = '';
        let tail = '';
        for (const p of pieces) {
          b.append(p);
          const t = b.take();
          out += t.finished;
          tail = t.tail;
        }
        assert.equal(out + tail, pieces.join(''));
      }),
      { numRuns: 300 },
    );
  });
});
