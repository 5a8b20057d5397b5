/**
 * Budgets across instances: two streamgate processes share one real redis-server, and a
 * key's day is counted atomically there (a Lua script admits, HINCRBY adds tokens), so
 * concurrent requests on both instances never get more than the budget. Fails (does not
 * skip) under CI=true when redis-server is missing.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { freePort, installHint, requireBinary, startRedis, type RunningService } from '../test-support/services.js';
import { startStreamgate, type StreamgateProcess } from '../test-support/streamgate-process.js';

const KEYS = { requests: 'sk-requests-0123456789', tokens: 'sk-tokens-0123456789' };

describe('daily budgets with two instances and one Redis', { timeout: 60_000 }, () => {
  let redisBinary: string | null = null;
  let redis: RunningService | undefined;
  const instances: StreamgateProcess[] = [];
  let dir = '';

  before(async () => {
    redisBinary = requireBinary('redis-server');
    if (!redisBinary) return;
    dir = mkdtempSync(join(tmpdir(), 'sg-budget-'));
    redis = await startRedis(redisBinary);
    const config = {
      host: '127.0.0.1',
      dataDir: dir,
      store: { type: 'redis', url: `redis://127.0.0.1:${redis.port}` },
      simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
      auth: {
        keys: [
          { key: KEYS.requests, name: 'requests', budget: { requestsPerDay: 5 } },
          { key: KEYS.tokens, name: 'tokens', budget: { tokensPerDay: 30 } },
        ],
      },
    };
    for (const name of ['a', 'b']) instances.push(await startStreamgate({ port: await freePort(), config, dir, name }));
  });
  after(async () => {
    for (const i of instances) i.kill();
    await Promise.all(instances.map((i) => i.exited));
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const chat = (instance: StreamgateProcess, key: string) =>
    fetch(`${instance.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'sim-chat', seed: 3, messages: [{ role: 'user', content: 'Explain server-sent events.' }] }),
    });

  test('requestsPerDay 5: twelve requests at once on two instances, exactly five admitted', async (t) => {
    if (!redisBinary) return t.skip(installHint('redis-server'));
    const results = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const res = await chat(instances[i % 2]!, KEYS.requests);
        const body = (await res.json()) as { error?: { code: string } };
        return res.status === 429 ? body.error?.code : res.status;
      }),
    );
    assert.equal(results.filter((r) => r === 200).length, 5, JSON.stringify(results));
    assert.equal(results.filter((r) => r === 'budget_exceeded').length, 7, JSON.stringify(results));
  });

  test('tokensPerDay: an answer on one instance spends the day; the other refuses the next request', async (t) => {
    if (!redisBinary) return t.skip(installHint('redis-server'));
    const [a, b] = instances as [StreamgateProcess, StreamgateProcess];
    const first = await chat(a, KEYS.tokens);
    assert.equal(first.status, 200);
    const { usage } = (await first.json()) as { usage: { total_tokens: number } };
    assert.ok(usage.total_tokens > 30, `the answer is over the budget: ${usage.total_tokens}`);
    // Recorded when the stream ended; B reads the same counters.
    let spent = 0;
    for (let i = 0; i < 100 && spent < usage.total_tokens; i++) {
      const res = await fetch(`${b.url}/v1/usage`, { headers: { authorization: `Bearer ${KEYS.tokens}` } });
      spent = ((await res.json()) as { budget: { today: { tokens: number } } }).budget.today.tokens;
      if (spent < usage.total_tokens) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(spent, usage.total_tokens, 'B sees the tokens A counted');
    // And the ledger rows A wrote, through B.
    const rows = (await (await fetch(`${b.url}/v1/usage`, { headers: { authorization: `Bearer ${KEYS.tokens}` } })).json()) as {
      data: Array<{ key: string; model: string; requests: number; total_tokens: number; estimated_tokens: number }>;
    };
    assert.deepEqual(
      rows.data.map((r) => [r.key, r.model, r.requests, r.total_tokens, r.estimated_tokens]),
      [['tokens', 'sim-chat', 1, usage.total_tokens, 0]],
    );
    const second = await chat(b, KEYS.tokens);
    assert.equal(second.status, 429);
    const body = (await second.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'budget_exceeded');
    assert.match(body.error.message, /30 tokens per day/);
    assert.ok(Number(second.headers.get('retry-after')) > 0);
  });
});
