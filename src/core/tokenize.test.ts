import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { countTokens, tokenize } from './tokenize.js';

const SAMPLE = 'The quick brown fox jumps over the lazy dog; 北京是中国的首都。 Extraordinarily long words split, 🦊 and\nnew lines. ';

describe('countTokens', () => {
  it('counts a text of ordinary length exactly as the simulator cuts it', () => {
    for (const text of ['', 'hi', SAMPLE, SAMPLE.repeat(50)]) assert.equal(countTokens(text), tokenize(text, () => 0.5).length);
  });

  it('estimates a very long text from its first 16 Ki units, within 1% of the exact count', () => {
    // About three times the exact part, so most of the count is extrapolated.
    const text = SAMPLE.repeat(Math.ceil((100 * 1024) / SAMPLE.length));
    const exact = tokenize(text, () => 0.5).length;
    const estimate = countTokens(text);
    assert.ok(Math.abs(estimate - exact) / exact < 0.01, `estimate ${estimate}, exact ${exact}`);
  });
});
