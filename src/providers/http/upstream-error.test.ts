import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitError, TimeoutError, UpstreamError } from '../../core/errors.js';
import { errorFromUpstreamFailure, errorFromUpstreamStatus, parseRetryAfter, upstreamErrorMessage } from './upstream-error.js';
import { redactSecrets } from './redact.js';

const identity = { providerId: 'up', secrets: ['sk-secret-key-123'] };

describe('upstreamErrorMessage', () => {
  it('reads the message of every common error body', () => {
    assert.equal(upstreamErrorMessage('{"error":{"message":"bad model","type":"invalid_request_error"}}'), 'bad model');
    assert.equal(upstreamErrorMessage('{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}'), 'Overloaded');
    assert.equal(upstreamErrorMessage('{"object":"error","message":"vLLM says no","code":400}'), 'vLLM says no');
    assert.equal(upstreamErrorMessage('{"detail":"Not Found"}'), 'Not Found');
    assert.equal(upstreamErrorMessage('{"error":"plain"}'), 'plain');
    assert.equal(upstreamErrorMessage('<html>502 Bad Gateway</html>'), '<html>502 Bad Gateway</html>');
    assert.equal(upstreamErrorMessage('  '), undefined);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds, HTTP dates and retry-after-ms', () => {
    assert.equal(parseRetryAfter({ 'retry-after': '7' }), 7);
    assert.equal(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '7' }), 0.25);
    assert.equal(parseRetryAfter({ 'retry-after': new Date(10_000).toUTCString() }, 4_000), 6);
    assert.equal(parseRetryAfter({ 'retry-after': 'soon' }), undefined);
    assert.equal(parseRetryAfter({}), undefined);
  });
});

describe('errorFromUpstreamStatus', () => {
  it('turns 5xx into a retryable 502 with the upstream message', () => {
    const err = errorFromUpstreamStatus({ ...identity, status: 503, headers: {}, bodyText: '{"error":{"message":"busy"}}' });
    assert.ok(err instanceof UpstreamError);
    assert.equal(err.status, 502);
    assert.equal(err.retryable, true);
    assert.match(err.message, /503: busy/);
  });

  it('keeps 429 with its Retry-After', () => {
    const err = errorFromUpstreamStatus({ ...identity, status: 429, headers: { 'retry-after': '3' }, bodyText: '{}' });
    assert.ok(err instanceof RateLimitError);
    assert.equal(err.retryAfter, 3);
  });

  it('keeps a 4xx status, not retryable, with the key redacted', () => {
    const err = errorFromUpstreamStatus({ ...identity, status: 401, headers: {}, bodyText: '{"error":{"message":"Incorrect API key provided: sk-secret-key-123"}}' });
    assert.equal(err.status, 401);
    assert.equal(err.retryable, false);
    assert.ok(!err.message.includes('sk-secret-key-123'));
  });
});

describe('errorFromUpstreamFailure', () => {
  it('names connect timeouts and connection failures', () => {
    assert.ok(errorFromUpstreamFailure(Object.assign(new Error('Connect Timeout Error'), { code: 'UND_ERR_CONNECT_TIMEOUT' }), identity) instanceof TimeoutError);
    const refused = errorFromUpstreamFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), identity);
    assert.equal(refused.status, 502);
    assert.match(refused.message, /ECONNREFUSED/);
  });
});

describe('redactSecrets', () => {
  it('removes the keys and bearer tokens', () => {
    assert.equal(redactSecrets('key sk-secret-key-123 and Bearer abcdefghijkl', ['sk-secret-key-123']), 'key [redacted] and Bearer [redacted]');
  });
});
