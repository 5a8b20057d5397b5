/**
 * Usage end to end: a fake upstream (real HTTP, OpenAI's wire) that repeats its cumulative
 * usage on every chunk, a stream stopped before any usage came, the ledger behind
 * `GET /v1/usage` with keys that see their own, and daily budgets (429 `budget_exceeded`).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startFakeUpstream, type FakeUpstream } from '../providers/test-support/fake-upstream.js';
import { startServer, type RunningServer } from '../server.js';
import { sample } from '../test-support/prometheus-text.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { utcDay } from './utc-day.js';

const chunk = (body: object) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'up-model', ...body })}\n\n`;
/** Ten words, each chunk carrying the usage so far (as vLLM's continuous usage stats and some proxies do). */
function cumulativeSse(): string {
  let out = chunk({ choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  for (let i = 1; i <= 10; i++) {
    out += chunk({ choices: [{ index: 0, delta: { content: ` w${i}` }, finish_reason: null }], usage: { prompt_tokens: 7, completion_tokens: i, total_tokens: 7 + i } });
  }
  out += chunk({ choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: { prompt_tokens: 7, completion_tokens: 10, total_tokens: 17 } });
  return `${out}data: [DONE]\n\n`;
}

async function until<T>(what: string, fn: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const v = await fn();
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`${what} did not happen within 5 s`);
}

interface UsageBody {
  key: string | null;
  data: Array<{ day: string; key: string | null; model: string; user: string | null; requests: number; prompt_tokens: number; completion_tokens: number; total_tokens: number; estimated_tokens: number }>;
  totals: { requests: number; total_tokens: number };
  budget?: { tokens_per_day: number | null; requests_per_day: number | null; today: { tokens: number; requests: number }; resets_at: string };
}

describe('usage from an upstream that repeats cumulative usage', () => {
  const data = tempDataDir();
  let up: FakeUpstream;
  let server: RunningServer;
  before(async () => {
    up = await startFakeUpstream([{ sse: cumulativeSse() }]);
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: {
        dataDir: data.dir,
        streams: { resumeGraceMs: 0 },
        providers: [{ id: 'up', type: 'openai', baseURL: `${up.url}/v1`, maxRetries: 0 }],
        models: [{ name: 'm', provider: 'up', model: 'up-model' }],
      },
    });
  });
  after(async () => {
    await server.close();
    await up.close();
    data.remove();
  });

  const post = (body: object) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'count' }], ...body }),
    });

  test('10 output tokens are 10 in /metrics and in /v1/usage, not 55', async () => {
    up.script([{ sse: cumulativeSse() }]);
    const res = await post({ stream: true, user: 'alice' });
    assert.match(await res.text(), /data: \[DONE\]/);
    const metrics = await until('the tokens in /metrics', async () => {
      const text = await (await fetch(`${server.url}/metrics`)).text();
      return sample(text, 'streamgate_tokens_total{model="m",direction="out",source="provider"}') !== undefined ? text : undefined;
    });
    assert.equal(sample(metrics, 'streamgate_tokens_total{model="m",direction="out",source="provider"}'), 10);
    assert.equal(sample(metrics, 'streamgate_tokens_total{model="m",direction="in",source="provider"}'), 7);
    const usage = (await (await fetch(`${server.url}/v1/usage`)).json()) as UsageBody;
    const row = usage.data.find((r) => r.user === 'alice');
    assert.deepEqual(row, { day: utcDay(), key: null, model: 'm', user: 'alice', requests: 1, prompt_tokens: 7, completion_tokens: 10, total_tokens: 17, estimated_tokens: 0 });
  });

  test("a provider's explicit 0 stays 0, never replaced by an estimate", async () => {
    up.script([{ sse: cumulativeSse().replace(/"prompt_tokens":7,"completion_tokens":\d+,"total_tokens":\d+/g, '"prompt_tokens":0,"completion_tokens":0,"total_tokens":0') }]);
    const res = await post({ stream: true, user: 'zero' });
    assert.match(await res.text(), /data: \[DONE\]/);
    const row = await until('the row', async () => ((await (await fetch(`${server.url}/v1/usage?user=zero`)).json()) as UsageBody).data[0]);
    assert.deepEqual([row.prompt_tokens, row.completion_tokens, row.estimated_tokens], [0, 0, 0]);
  });

  test('a non-streamed answer is counted too', async () => {
    up.script([{ sse: cumulativeSse() }]);
    const res = await post({ stream: false, user: 'bob' });
    assert.equal(res.status, 200);
    const usage = (await (await fetch(`${server.url}/v1/usage?user=bob`)).json()) as UsageBody;
    assert.deepEqual(usage.data.map((r) => [r.user, r.requests, r.completion_tokens, r.estimated_tokens]), [['bob', 1, 10, 0]]);
  });

  test('non-streamed Responses and Messages answers are counted like chat ones', async () => {
    for (const [path, body, user] of [
      ['/v1/responses', { model: 'm', input: 'count', stream: false, store: false, user: 'resp-user' }, 'resp-user'],
      ['/v1/messages', { model: 'm', max_tokens: 50, messages: [{ role: 'user', content: 'count' }], metadata: { user_id: 'msg-user' } }, 'msg-user'],
    ] as const) {
      up.script([{ sse: cumulativeSse() }]);
      const res = await fetch(`${server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      assert.equal(res.status, 200, await res.clone().text());
      await res.text();
      const usage = (await (await fetch(`${server.url}/v1/usage?user=${user}`)).json()) as UsageBody;
      assert.deepEqual(usage.data.map((r) => [r.user, r.requests, r.completion_tokens, r.estimated_tokens]), [[user, 1, 10, 0]], path);
    }
  });

  test('a stream stopped before any usage came is counted at once, from what was streamed, marked estimated', async () => {
    // Three content chunks, then the upstream goes quiet without usage.
    up.script([{ sse: cumulativeSse().replace(/,"usage":\{[^}]*\}/g, ''), stallAfterChunks: 4 }]);
    const controller = new AbortController();
    const res = await post({ stream: true, user: 'carol' });
    const reader = res.body!.getReader();
    let seen = '';
    while (!seen.includes(' w3')) seen += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    await reader.cancel();
    const row = await until('the stopped stream in the ledger', async () => {
      const usage = (await (await fetch(`${server.url}/v1/usage?user=carol`)).json()) as UsageBody;
      return usage.data[0];
    });
    // " w1 w2 w3": three words by the simulator's tokenizer; the prompt by its estimate.
    assert.equal(row.completion_tokens, 3);
    assert.ok(row.prompt_tokens > 0);
    assert.equal(row.estimated_tokens, row.total_tokens);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    assert.equal(sample(text, 'streamgate_tokens_total{model="m",direction="out",source="estimated"}'), 3);
  });

  test('GET /v1/usage refuses a bad day with a 400 naming it', async () => {
    const res = await fetch(`${server.url}/v1/usage?from=2026-13-01`);
    assert.equal(res.status, 400);
    const body = (await res.json()) as { error: { param: string; message: string } };
    assert.equal(body.error.param, 'from');
    assert.match(body.error.message, /YYYY-MM-DD/);
  });
});

describe('keys: their own usage, admin sees all, daily budgets', () => {
  const data = tempDataDir();
  let server: RunningServer;
  const KEYS = {
    web: 'sk-web-0123456789',
    batch: 'sk-batch-0123456789',
    ops: 'sk-ops-0123456789',
    counted: 'sk-counted-0123456789',
  };
  before(async () => {
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: {
        dataDir: data.dir,
        simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
        auth: {
          keys: [
            { key: KEYS.web, name: 'web', budget: { tokensPerDay: 50 } },
            { key: KEYS.batch, name: 'batch' },
            { key: KEYS.ops, name: 'ops', admin: true },
            { key: KEYS.counted, name: 'counted', budget: { requestsPerDay: 2 } },
          ],
        },
      },
    });
  });
  after(async () => {
    await server.close();
    data.remove();
  });

  const chat = (key: string, body: object = {}) =>
    fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify({ model: 'sim-chat', stream: true, seed: 1, messages: [{ role: 'user', content: 'Tell me about Beijing.' }], ...body }),
    });
  const usage = async (key: string, query = '') => {
    const res = await fetch(`${server.url}/v1/usage${query}`, { headers: { authorization: `Bearer ${key}` } });
    return { status: res.status, body: (await res.json()) as UsageBody & { error?: { code: string } } };
  };

  test('a request that starts under the token budget runs to its end; the next gets 429 budget_exceeded until UTC midnight', async () => {
    const first = await chat(KEYS.web);
    assert.equal(first.status, 200);
    const text = await first.text();
    assert.match(text, /data: \[DONE\]/, 'the request that started under budget ran to its end');
    // The answer is far more than 50 tokens: the day is spent once it is recorded.
    await until('the first answer in the ledger', async () => ((await usage(KEYS.web)).body.budget!.today.tokens > 50 ? true : undefined));
    const second = await chat(KEYS.web);
    assert.equal(second.status, 429);
    const body = (await second.json()) as { error: { message: string; type: string; code: string; param: unknown } };
    assert.equal(body.error.code, 'budget_exceeded');
    assert.equal(body.error.type, 'rate_limit_error');
    assert.match(body.error.message, /50 tokens per day/);
    const midnight = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate() + 1)).toISOString();
    assert.ok(body.error.message.includes(midnight), body.error.message);
    const retryAfter = Number(second.headers.get('retry-after'));
    assert.ok(retryAfter > 0 && retryAfter <= 86_400, `Retry-After ${retryAfter}`);
    // /v1/complete answers the same refusal in its envelope.
    const complete = await fetch(`${server.url}/v1/complete?question=hi&model=sim-chat`, { headers: { authorization: `Bearer ${KEYS.web}` } });
    assert.equal(complete.status, 429);
    const envelope = (await complete.json()) as { code: number; msg: string; event: string };
    assert.deepEqual([envelope.code, envelope.event], [429, 'error']);
    assert.match(envelope.msg, /budget of 50 tokens per day/);
    // Another key is not affected.
    assert.equal((await chat(KEYS.batch)).status, 200);
  });

  test('requestsPerDay: the third request of the day is refused', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await chat(KEYS.counted, { stream: false });
      assert.equal(res.status, 200);
      await res.text();
    }
    const third = await chat(KEYS.counted, { stream: false });
    assert.equal(third.status, 429);
    assert.match(((await third.json()) as { error: { message: string } }).error.message, /2 requests per day/);
  });

  test('a key sees only its own usage; an admin key sees every key and may pick one', async () => {
    const batch = (await chat(KEYS.batch, { user: 'u-9' })).text();
    await batch;
    const own = await until('batch usage', async () => {
      const u = await usage(KEYS.batch);
      return u.body.data.some((r) => r.user === 'u-9') ? u : undefined;
    });
    assert.equal(own.status, 200);
    assert.equal(own.body.key, 'batch');
    assert.ok(own.body.data.length > 0 && own.body.data.every((r) => r.key === 'batch'));
    assert.equal(own.body.budget, undefined, 'a key without a budget shows none');

    const web = await usage(KEYS.web);
    assert.ok(web.body.data.every((r) => r.key === 'web'));
    assert.equal(web.body.budget!.tokens_per_day, 50);

    assert.equal((await usage(KEYS.batch, '?key=web')).status, 403);

    const all = await usage(KEYS.ops);
    assert.equal(all.body.key, null);
    assert.deepEqual([...new Set(all.body.data.map((r) => r.key))].sort(), ['batch', 'counted', 'web']);
    const picked = await usage(KEYS.ops, '?key=web');
    assert.ok(picked.body.data.length > 0 && picked.body.data.every((r) => r.key === 'web'));

    assert.equal((await fetch(`${server.url}/v1/usage`)).status, 401);
  });
});
