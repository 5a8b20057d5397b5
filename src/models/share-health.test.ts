/**
 * With `store.type: redis`, two instances share deployment health: a 429 seen by one cools
 * the deployment on the other (real redis-server, real loopback upstreams, the openai SDK),
 * and an instance started later loads the cooling state.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../server.js';
import type { ConfigInput } from '../config/schema.js';
import { requireBinary, startRedis, type RunningService } from '../test-support/services.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { startContinuingUpstream, type ContinuingUpstream } from './test-support/continuing-upstream.js';
import { DeploymentHealth, type HealthChange } from './deployment-health.js';
import { connectRedis, closeRedis } from '../store/redis/redis-connection.js';
import { RedisDeploymentHealth } from '../store/redis/redis-deployment-health.js';

const ask = [{ role: 'user' as const, content: 'hi' }];

describe('deployment health shared through Redis (real redis-server)', () => {
  let redis: RunningService | undefined;
  const data = tempDataDir();
  const up: ContinuingUpstream[] = [];
  const gateways: RunningServer[] = [];

  before(async () => {
    const binary = requireBinary('redis-server');
    if (!binary) return;
    redis = await startRedis(binary);
    up.push(await startContinuingUpstream('ok'), await startContinuingUpstream('ok'));
  });
  after(async () => {
    for (const g of gateways) await g.close();
    await Promise.all(up.map((u) => u.close()));
    await redis?.stop();
    data.remove();
  });

  const config = (): ConfigInput => ({
    dataDir: data.dir,
    store: { type: 'redis', url: `redis://127.0.0.1:${redis!.port}` },
    routing: { seed: 3 },
    providers: up.map((u, i) => ({ id: `p${i}`, type: 'openai' as const, baseURL: `${u.url}/v1`, maxRetries: 0 })),
    models: [{ name: 'm', deployments: [{ provider: 'p0', weight: 1000 }, { provider: 'p1', weight: 1 }] }],
  });

  it('a 429 seen by one instance cools the deployment on the other, and on one started later', async (t) => {
    if (!redis) return t.skip('redis-server is not installed');
    const a = await startServer({ port: 0, host: '127.0.0.1', config: config() });
    const b = await startServer({ port: 0, host: '127.0.0.1', config: config() });
    gateways.push(a, b);
    up[0]!.script([{ status: 429, headers: { 'retry-after': '30' } }]);
    const client = (g: RunningServer) => new OpenAI({ baseURL: `${g.url}/v1`, apiKey: 'unused', maxRetries: 0 });
    const r = await client(a).chat.completions.create({ model: 'm', messages: ask });
    assert.equal(r.choices[0]?.message.content, 'ok');
    assert.equal(up[0]!.requests.length, 1, 'instance a asked p0 (weight 1000), which answered 429');
    // The change travels over pub/sub: wait until b lists p0 as cooling (generous bound).
    const stateOn = async (g: RunningServer) => {
      const list = ((await (await fetch(`${g.url}/v1/deployments`)).json()) as { data: { id: string; state: string; coolingReason: string | null }[] }).data;
      return list.find((d) => d.id === 'p0/m');
    };
    for (let i = 0; i < 100 && (await stateOn(b))?.state !== 'cooling'; i++) await sleep(50);
    const onB = await stateOn(b);
    assert.deepEqual([onB?.state, onB?.coolingReason], ['cooling', 'rate-limit']);
    for (let i = 0; i < 5; i++) await client(b).chat.completions.create({ model: 'm', messages: ask });
    assert.equal(up[0]!.requests.length, 1, 'instance b did not ask p0 while it cools');
    assert.equal(up[1]!.requests.length, 6);
    const c = await startServer({ port: 0, host: '127.0.0.1', config: config() });
    gateways.push(c);
    assert.equal((await stateOn(c))?.state, 'cooling', 'an instance started later loads the stored state');
  });

  it('failures seen on two instances at once add up: each applies the other\'s change, not its state', async (t) => {
    if (!redis) return t.skip('redis-server is not installed');
    const policy = { failureThreshold: 2, openMs: 30_000, probeIntervalMs: 10_000, rateLimitCooldownMs: 1_000, maxCooldownMs: 60_000, authCooldownMs: 60_000 };
    const connections = [0, 1].map(() => connectRedis({ url: `redis://127.0.0.1:${redis!.port}`, keyPrefix: 'sg-add:' }));
    const shares = connections.map((c) => new RedisDeploymentHealth(c, { prefix: 'sg-add:' }));
    const healths = [new DeploymentHealth(policy), new DeploymentHealth(policy)];
    try {
      await Promise.all(shares.map((share, i) => share.listen((_id, change) => healths[i]!.apply(change))));
      // Both fail before either has heard of the other: one failure each, below the threshold.
      const change: HealthChange = { kind: 'failed', failure: 'unavailable', now: Date.now() };
      for (const h of healths) h.apply(change);
      assert.deepEqual(healths.map((h) => h.state.failures), [1, 1]);
      await Promise.all(shares.map((share, i) => share.publish('d', change, { ...healths[i]!.state })));
      for (let i = 0; i < 100 && healths.some((h) => h.state.failures < 2); i++) await sleep(20);
      assert.deepEqual(healths.map((h) => h.state.failures), [2, 2], 'two failures in all, on each instance');
      assert.deepEqual(healths.map((h) => h.status(Date.now())), ['open', 'open'], 'the circuit opens on both');
    } finally {
      for (const share of shares) await share.close();
      for (const c of connections) await closeRedis(c);
    }
  });
});

