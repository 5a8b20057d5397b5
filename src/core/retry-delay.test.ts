import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidRequestError, RateLimitError, UpstreamError } from './errors.js';
import { retryDelay } from './retry-delay.js';

describe('retryDelay', () => {
  it('does not retry what cannot help, nor beyond maxRetries', () => {
    assert.equal(retryDelay(new InvalidRequestError('bad'), 0, { maxRetries: 3 }), undefined);
    assert.equal(retryDelay(new UpstreamError('down'), 2, { maxRetries: 2 }), undefined);
  });

  it('honours Retry-After up to the cap, and gives up above it', () => {
    assert.equal(retryDelay(new RateLimitError('slow', { retryAfter: 2 }), 0, { maxRetries: 1 }), 2000);
    assert.equal(retryDelay(new RateLimitError('slow', { retryAfter: 120 }), 0, { maxRetries: 1, maxRetryAfterMs: 30_000 }), undefined);
  });

  it('backs off exponentially with jitter, capped', () => {
    const policy = { maxRetries: 10, baseMs: 100, maxBackoffMs: 1000 };
    assert.equal(retryDelay(new UpstreamError('x'), 0, policy, () => 0), 50);
    assert.equal(retryDelay(new UpstreamError('x'), 0, policy, () => 1), 100);
    assert.equal(retryDelay(new UpstreamError('x'), 2, policy, () => 1), 400);
    assert.equal(retryDelay(new UpstreamError('x'), 8, policy, () => 1), 1000);
  });
});
