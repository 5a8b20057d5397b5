import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimitError, UpstreamError, AuthenticationError, InvalidRequestError } from '../core/errors.js';
import { DeploymentHealth, failureKind, type HealthPolicy } from './deployment-health.js';

const policy: HealthPolicy = { failureThreshold: 3, openMs: 30_000, probeIntervalMs: 5_000, rateLimitCooldownMs: 1_000, maxCooldownMs: 60_000, authCooldownMs: 300_000 };

describe('DeploymentHealth', () => {
  it('a 429 cools for its Retry-After, else for a backoff that doubles, at most maxCooldownMs', () => {
    const h = new DeploymentHealth(policy);
    h.failed('rate-limit', 0, 1_500);
    assert.equal(h.available(1_499), false);
    assert.equal(h.status(1_499), 'cooling');
    assert.equal(h.available(1_500), true);
    h.failed('rate-limit', 2_000);
    assert.equal(h.recoversAt(2_000), 4_000, 'second 429 in a row, no Retry-After: 2 × 1 s');
    h.failed('rate-limit', 5_000, 10_000_000);
    assert.equal(h.recoversAt(5_000), 65_000, 'capped at maxCooldownMs');
    h.succeeded();
    h.failed('rate-limit', 100_000);
    assert.equal(h.recoversAt(100_000), 101_000, 'a success resets the backoff');
  });

  it('failureThreshold failures open the circuit; after openMs one probe per probeIntervalMs; a success closes it, a failure reopens it', () => {
    const h = new DeploymentHealth(policy);
    h.failed('unavailable', 0);
    h.failed('unavailable', 1);
    assert.equal(h.status(2), 'healthy', 'two failures: still closed');
    h.failed('unavailable', 2);
    assert.equal(h.status(3), 'open');
    assert.equal(h.available(30_001), false);
    assert.equal(h.available(30_002), true);
    assert.equal(h.status(30_002), 'half-open');
    h.picked(30_002);
    assert.equal(h.available(30_003), false, 'one probe at a time');
    assert.equal(h.available(35_002), true, 'the next probe after probeIntervalMs');
    h.failed('unavailable', 35_002);
    assert.equal(h.status(35_003), 'open', 'a failed probe opens it again');
    assert.equal(h.recoversAt(35_003), 65_002);
    h.picked(65_002);
    h.succeeded();
    assert.equal(h.status(65_003), 'healthy');
    assert.equal(h.state.failures, 0);
  });

  it('a 401/403 cools for authCooldownMs; a bad request says nothing about the deployment', () => {
    assert.equal(failureKind(new AuthenticationError('no')), 'auth');
    assert.equal(failureKind(new UpstreamError('refused key', { code: 'upstream_auth_failed' })), 'auth');
    assert.equal(failureKind(new UpstreamError('down')), 'unavailable');
    assert.equal(failureKind(new RateLimitError('slow down')), 'rate-limit');
    assert.equal(failureKind(new InvalidRequestError('bad')), null);
    const h = new DeploymentHealth(policy);
    h.failed('auth', 0);
    assert.equal(h.recoversAt(0), 300_000);
    assert.equal(h.state.coolReason, 'auth');
  });
});
