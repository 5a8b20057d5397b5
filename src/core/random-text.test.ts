import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { randomText } from './random-text.js';

describe('randomText', () => {
  it('writes the asked number of bytes in the asked encoding', () => {
    assert.match(randomText(9, 'base64url'), /^[A-Za-z0-9_-]{12}$/);
    assert.match(randomText(12, 'hex'), /^[0-9a-f]{24}$/);
  });

  it('never hands out the same bytes twice, across refills of its block', () => {
    // 4096-byte blocks: 2,000 ids of 12 bytes cross several refills, and odd sizes cut the block unevenly.
    const seen = new Set<string>();
    for (let i = 0; i < 2000; i++) seen.add(randomText(i % 2 === 0 ? 12 : 7, 'hex'));
    assert.equal(seen.size, 2000);
  });

  it('refuses more than one block', () => {
    assert.throws(() => randomText(4097, 'hex'), RangeError);
  });
});
