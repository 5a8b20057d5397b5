import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitError, TimeoutError, UpstreamError } from '../../core/errors.js';
import { errorFromUpstreamFailure, errorFromUpstreamStatus, parseRetryAfter, upstreamErrorMessage } from './upstream-error.js';

const identity = { providerId: 'up' };

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

  it('keeps the 4xx that are about the request, not retryable', () => {
    const err = errorFromUpstreamStatus({ ...identity, status: 400, headers: {}, bodyText: '{"error":{"message":"max_tokens is too large"}}' });
    assert.equal(err.status, 400);
    assert.equal(err.retryable, false);
    assert.match(err.message, /max_tokens is too large/);
  });

  it("turns the upstream's 401/403 into a 502 that says the client's own key was fine", () => {
    for (const [status, phrase] of [[401, 'Unauthorized: its API key was refused'], [403, 'Forbidden']] as const) {
      const err = errorFromUpstreamStatus({ ...identity, status, headers: {}, bodyText: '{"error":{"message":"Incorrect API key provided"}}' });
      assert.ok(err instanceof UpstreamError);
      assert.equal(err.status, 502);
      assert.equal(err.code, 'upstream_auth_failed');
      assert.ok(err.message.startsWith(`Upstream "up" answered ${status} ${phrase}`), err.message);
      assert.match(err.message, /your own key was fine/);
      assert.match(err.message, /it said: Incorrect API key provided/);
    }
  });

  it('turns 1xx, 3xx (a redirect is named with its target) and 407 into 502s', () => {
    const moved = errorFromUpstreamStatus({ ...identity, status: 302, headers: { location: 'https://elsewhere.example/v1' }, bodyText: '' });
    assert.equal(moved.status, 502);
    assert.equal(moved.code, 'upstream_redirect');
    assert.match(moved.message, /^Upstream "up" answered 302 Found: a redirect to https:\/\/elsewhere\.example\/v1, which streamgate does not follow/);
    const cached = errorFromUpstreamStatus({ ...identity, status: 304, headers: {}, bodyText: '' });
    assert.deepEqual([cached.status, cached.code], [502, 'upstream_redirect']);
    assert.match(cached.message, /304 Not Modified: a cache answer to a POST/);
    const proxy = errorFromUpstreamStatus({ ...identity, status: 407, headers: {}, bodyText: '' });
    assert.deepEqual([proxy.status, proxy.code], [502, 'upstream_proxy_auth']);
    assert.match(proxy.message, /407 Proxy Authentication Required: a proxy between streamgate and the upstream wants credentials/);
    assert.equal(errorFromUpstreamStatus({ ...identity, status: 103, headers: {}, bodyText: '' }).status, 502);
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
