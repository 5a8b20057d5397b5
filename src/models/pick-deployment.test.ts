import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom } from '../core/random.js';
import { SimulatorProvider } from '../providers/simulator/simulator-provider.js';
import { Deployment, type ModelDeployment } from './deployment.js';
import { pickDeployment } from './pick-deployment.js';

const policy = { failureThreshold: 3, openMs: 30_000, probeIntervalMs: 5_000, rateLimitCooldownMs: 1_000, maxCooldownMs: 60_000, authCooldownMs: 300_000 };
const provider = new SimulatorProvider({ tokensPerSecond: 0, firstTokenMs: 0 });
function list(weights: number[]): ModelDeployment[] {
  return weights.map((weight, i) => ({ weight, deployment: new Deployment({ id: `d${i}`, provider, upstreamModel: 'm', continuation: 'none', signsReasoning: false, policy }) }));
}

describe('pickDeployment', () => {
  it('weighted: shares within 1 point of the weights over 20 000 picks (seed 11), none for an unavailable one', () => {
    const ds = list([5, 3, 2]);
    const random = createRandom(11);
    const counts = [0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[pickDeployment(ds, { strategy: 'weighted', random, now: 0, tried: 0 })]!++;
    counts.forEach((c, i) => assert.ok(Math.abs(c / 20_000 - [0.5, 0.3, 0.2][i]!) < 0.01, `d${i}: ${c}`));
    ds[0]!.deployment.health.failed('rate-limit', 0, 10_000);
    for (let i = 0; i < 1000; i++) assert.notEqual(pickDeployment(ds, { strategy: 'weighted', random, now: 1, tried: 0 }), 0);
    assert.equal(pickDeployment(ds, { strategy: 'weighted', random, now: 1, tried: 0b110 }), -1, 'the rest were tried');
  });

  it('least-busy: the fewest open streams, ties shared at random', () => {
    const ds = list([1, 1, 1]);
    ds[0]!.deployment.openStreams = 2;
    ds[1]!.deployment.openStreams = 1;
    ds[2]!.deployment.openStreams = 1;
    const random = createRandom(5);
    const seen = new Set<number>();
    for (let i = 0; i < 200; i++) seen.add(pickDeployment(ds, { strategy: 'least-busy', random, now: 0, tried: 0 }));
    assert.deepEqual([...seen].sort(), [1, 2]);
  });

  it('lowest-latency: the lowest moving average; one never measured goes first', () => {
    const ds = list([1, 1, 1]);
    ds[0]!.deployment.observeLatency(300);
    ds[1]!.deployment.observeLatency(100);
    const random = createRandom(5);
    assert.equal(pickDeployment(ds, { strategy: 'lowest-latency', random, now: 0, tried: 0 }), 2);
    ds[2]!.deployment.observeLatency(500);
    assert.equal(pickDeployment(ds, { strategy: 'lowest-latency', random, now: 0, tried: 0 }), 1);
    for (let i = 0; i < 20; i++) ds[1]!.deployment.observeLatency(1000);
    assert.equal(pickDeployment(ds, { strategy: 'lowest-latency', random, now: 0, tried: 0 }), 0, 'the average follows new samples');
  });
});
