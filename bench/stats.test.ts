import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { percentile, round, summarize } from './stats.js';

describe('percentile', () => {
  it('uses the nearest rank', () => {
    const values = [15, 20, 35, 40, 50];
    assert.equal(percentile(values, 5), 15);
    assert.equal(percentile(values, 30), 20);
    assert.equal(percentile(values, 40), 20);
    assert.equal(percentile(values, 50), 35);
    assert.equal(percentile(values, 100), 50);
    assert.equal(percentile(values, 0), 15);
  });

  it('does not sort the caller\'s array and sorts numerically', () => {
    const values = [10, 9, 100, 1];
    assert.equal(percentile(values, 50), 9);
    assert.deepEqual(values, [10, 9, 100, 1]);
  });

  it('p99 of 1..1000 is 990', () => {
    const values = Array.from({ length: 1000 }, (_, i) => 1000 - i);
    assert.equal(percentile(values, 99), 990);
  });

  it('is NaN for no values and rejects a p outside 0..100', () => {
    assert.ok(Number.isNaN(percentile([], 50)));
    assert.throws(() => percentile([1], 101), RangeError);
  });
});

describe('summarize', () => {
  it('gives count, p50, p99 and max', () => {
    assert.deepEqual(summarize([3, 1, 2]), { n: 3, p50: 2, p99: 3, max: 3 });
  });
});

describe('round', () => {
  it('keeps 3 significant digits below 100', () => {
    assert.equal(round(0.123456), 0.123);
    assert.equal(round(12.345), 12.3);
    assert.equal(round(1234.5), 1235);
  });
});
