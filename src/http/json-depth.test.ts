import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonDepth } from './json-depth.js';

const depth = (text: string, limit?: number) => jsonDepth(Buffer.from(text), limit);

test('counts nesting of objects and arrays', () => {
  assert.equal(depth('1'), 0);
  assert.equal(depth('{}'), 1);
  assert.equal(depth('{"a":[{"b":[]}],"c":{}}'), 4);
  assert.equal(depth('['.repeat(500) + ']'.repeat(500)), 500);
});

test('brackets inside strings, escaped quotes included, do not count', () => {
  assert.equal(depth('{"a":"[[[{{{"}'), 1);
  assert.equal(depth('{"a":"\\"[[[","b":["\\\\"]}'), 2);
  assert.equal(depth('["]\\"]"]'), 1);
});

test('stops at the limit without scanning the rest', () => {
  assert.equal(depth('['.repeat(100_000), 64), 65);
});
