import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dateGroupOf } from './date-groups.js';

test('date groups by local day', () => {
  const now = new Date(2026, 5, 15, 9, 0).getTime();
  assert.equal(dateGroupOf(new Date(2026, 5, 15, 0, 1).getTime(), now), 'today');
  assert.equal(dateGroupOf(new Date(2026, 5, 14, 23, 59).getTime(), now), 'yesterday');
  assert.equal(dateGroupOf(new Date(2026, 5, 10).getTime(), now), 'week');
  assert.equal(dateGroupOf(new Date(2026, 4, 20).getTime(), now), 'month');
  assert.equal(dateGroupOf(new Date(2025, 1, 1).getTime(), now), 'older');
  assert.equal(dateGroupOf(now + 60_000, now), 'today', 'a clock a little ahead');
});
