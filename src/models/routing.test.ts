/**
 * Routing over deployments, end to end: streamgate in front of two or three real HTTP
 * upstreams on loopback, checked through the official `openai` SDK and raw HTTP. Weights
 * (seeded picker), cooldowns that honour Retry-After, 503 when everything cools, failover
 * before the first byte, and answers cut mid-stream finished by another deployment.
 */
import { after, afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../server.js';
import type { ConfigInput } from '../config/schema.js';
import { countTokens } from '../core/tokenize.js';
import { estimatePromptTokens } from '../providers/simulator/simulator-provider.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { fetchStream } from '../http/test-support/complete-client.js';
import { startContinuingUpstream, type ContinuingUpstream } from './test-support/continuing-upstream.js';

const data = tempDataDir();
after(() => data.remove());

const ANSWER = 'Beijing is the capital of China, a city of palaces, hutongs and about twenty-two million people.';
const ask = [{ role: 'user' as const, content: 'Tell me about Beijing' }];

type Continuation = 'none' | 'prefill' | 'deepseek' | 'vllm' | 'dashscope';

interface Setup {
  gateway: RunningServer;
  client: OpenAI;
  up: ContinuingUpstream[];
}

let current: Setup | undefined;
async function teardown() {
  if (!current) return;
  await current.gateway.close();
  await Promise.all(current.up.map((u) => u.close()));
  current = undefined;
}
afterEach(teardown);

/** One upstream per deployment of model `m`, each its own provider `p0`, `p1`, …; `extra` merges into the config. */
async function setup(deployments: { weight?: number; continuation?: Continuation; answer?: string; timeouts?: Record<string, number> }[], extra: Partial<ConfigInput> & { model?: Record<string, unknown> } = {}): Promise<Setup> {
  const up = await Promise.all(deployments.map((d) => startContinuingUpstream(d.answer ?? ANSWER)));
  const providers = deployments.map((d, i) => ({ id: `p${i}`, type: 'openai' as const, baseURL: `${up[i]!.url}/v1`, apiKey: 'sk-test-key', maxRetries: 0, continuation: d.continuation ?? 'prefill' }));
  const { model, ...rest } = extra;
  const config = {
    dataDir: data.dir,
    routing: { seed: 7 },
    ...rest,
    providers,
    models: [
      { name: 'm', deployments: deployments.map((d, i) => ({ provider: `p${i}`, model: 'up-model', weight: d.weight ?? 1, ...(d.timeouts ? { timeouts: d.timeouts } : {}) })), ...model },
      ...(rest.models ?? []),
    ],
  } as ConfigInput;
  const gateway = await startServer({ port: 0, host: '127.0.0.1', config });
  current = { gateway, client: new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 }), up };
  return current;
}

async function collect(stream: AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>) {
  let content = '';
  let reasoning = '';
  const finishes: string[] = [];
  const models = new Set<string>();
  let usage: OpenAI.CompletionUsage | null | undefined;
  for await (const chunk of stream) {
    models.add(chunk.model);
    const choice = chunk.choices[0];
    content += choice?.delta.content ?? '';
    reasoning += (choice?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    if (choice?.finish_reason) finishes.push(choice.finish_reason);
    if (chunk.usage) usage = chunk.usage;
  }
  return { content, reasoning, finishes, usage, models: [...models] };
}

async function deploymentsOf(s: Setup): Promise<any[]> {
  const res = await fetch(`${s.gateway.url}/v1/deployments`);
  assert.equal(res.status, 200);
  // The built-in simulator's deployments are listed too.
  return ((await res.json()) as { data: any[] }).data.filter((d) => d.provider !== 'sim');
}

describe('routing over deployments', () => {
  it('weighted routing keeps the weights within 5 points over 400 requests (seed 7)', async () => {
    const s = await setup([{ weight: 3, answer: 'ok' }, { weight: 1, answer: 'ok' }]);
    for (let i = 0; i < 400; i++) {
      const r = await s.client.chat.completions.create({ model: 'm', messages: ask });
      assert.equal(r.choices[0]?.message.content, 'ok');
    }
    const share = s.up[0]!.requests.length / 400;
    assert.equal(s.up[0]!.requests.length + s.up[1]!.requests.length, 400);
    assert.ok(Math.abs(share - 0.75) <= 0.05, `deployment p0 took ${share} of the requests, expected 0.75 ± 0.05`);
    const listed = await deploymentsOf(s);
    assert.deepEqual(listed.map((d) => [d.id, d.picks, d.state]), [['p0/up-model', s.up[0]!.requests.length, 'healthy'], ['p1/up-model', s.up[1]!.requests.length, 'healthy']]);
    const metrics = await (await fetch(`${s.gateway.url}/metrics`)).text();
    assert.match(metrics, new RegExp(`streamgate_deployment_picks_total\\{model="m",deployment="p0/up-model"\\} ${s.up[0]!.requests.length}\\n`));
  });

  it('a deployment that answered 429 with Retry-After: 1 is not asked again within that second; the other serves everything', async () => {
    const s = await setup([{ weight: 1000 }, { weight: 1 }]);
    s.up[0]!.script([{ status: 429, headers: { 'retry-after': '1' } }, {}]);
    // The 429 comes after this moment, so its cooldown lasts at least until cooledAt + 1 s.
    const cooledAt = performance.now();
    const first = await collect(await s.client.chat.completions.create({ model: 'm', messages: ask, stream: true }));
    assert.equal(first.content, ANSWER);
    assert.equal(s.up[0]!.requests.length, 1, 'p0 was asked first (weight 1000) and answered 429');
    assert.equal(s.up[1]!.requests.length, 1, 'p1 served the first request');
    const listed = await deploymentsOf(s);
    if (performance.now() - cooledAt < 900) {
      assert.equal(listed[0].state, 'cooling');
      assert.equal(listed[0].coolingReason, 'rate-limit');
      assert.ok(listed[0].cooldownMs > 0 && listed[0].cooldownMs <= 1000, `cooldown left ${listed[0].cooldownMs}`);
    }
    // Only requests that start well inside the second count: a slow machine makes fewer, never wrong ones.
    let inside = 0;
    while (performance.now() - cooledAt < 800) {
      const r = await s.client.chat.completions.create({ model: 'm', messages: ask });
      assert.equal(r.choices[0]?.message.content, ANSWER);
      inside++;
    }
    assert.equal(s.up[0]!.requests.length, 1, `p0 was not asked again during its cooldown (${inside} requests made inside it)`);
    assert.equal(s.up[1]!.requests.length, 1 + inside);
    const metrics = await (await fetch(`${s.gateway.url}/metrics`)).text();
    assert.match(metrics, /streamgate_deployment_failures_total\{model="m",deployment="p0\/up-model",kind="rate-limit"\} 1\n/);
    // The 429 came some time after cooledAt: wait until the cooldown is over (generous bound), then p0 is picked again.
    for (let i = 0; i < 100 && (await deploymentsOf(s))[0].state === 'cooling'; i++) await sleep(50);
    await s.client.chat.completions.create({ model: 'm', messages: ask });
    assert.equal(s.up[0]!.requests.length, 2, 'after its Retry-After p0 takes requests again');
  });

  it('a 401 (a revoked key) cools that deployment; 5xx failures open its circuit; the others serve', async () => {
    const s = await setup([{ weight: 1000 }, { weight: 1 }, { weight: 1 }], { routing: { seed: 7, failureThreshold: 2 } });
    s.up[0]!.script([{ status: 401 }]);
    s.up[1]!.script([{ status: 503 }]);
    for (let i = 0; i < 6; i++) {
      const r = await s.client.chat.completions.create({ model: 'm', messages: ask });
      assert.equal(r.choices[0]?.message.content, ANSWER);
    }
    const [p0, p1, p2] = await deploymentsOf(s);
    assert.deepEqual([p0.state, p0.coolingReason], ['cooling', 'auth']);
    assert.ok(p0.cooldownMs > 250_000, 'authCooldownMs: 5 minutes by default');
    assert.equal(s.up[0]!.requests.length, 1, 'the refused key was tried once');
    assert.equal(p1.state, 'open', 'two 5xx in a row opened the circuit');
    assert.equal(s.up[1]!.requests.length, 2);
    assert.equal(p2.state, 'healthy');
    assert.equal(s.up[2]!.requests.length, 6);
  });

  it('when every deployment cools and no fallback is left: 503 with Retry-After of the soonest recovery', async () => {
    const s = await setup([{}, {}]);
    s.up[0]!.script([{ status: 429, headers: { 'retry-after': '5' } }]);
    s.up[1]!.script([{ status: 429, headers: { 'retry-after': '3' } }]);
    // The request that met the 429s gets the last upstream's answer as it is.
    await assert.rejects(s.client.chat.completions.create({ model: 'm', messages: ask, stream: true }), (err: unknown) => err instanceof OpenAI.RateLimitError);
    const res = await fetch(`${s.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'm', messages: ask, stream: true }) });
    assert.equal(res.status, 503);
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 3, `Retry-After ${retryAfter} is the soonest recovery (3 s)`);
    const body = (await res.json()) as { error: { code: string } };
    assert.equal(body.error.code, 'deployments_unavailable');
    assert.equal(s.up[0]!.requests.length + s.up[1]!.requests.length, 2, 'nobody was asked for the second request');
  });

  it('a client that left stops the chain: no other deployment is asked for it', async () => {
    // resumeGraceMs 0: the run stops when its client leaves (it would otherwise wait for a resume).
    const s = await setup([{ weight: 1000 }, { weight: 1 }], { streams: { resumeGraceMs: 0 } });
    // p0 would fail after 1 s; the client leaves before that.
    s.up[0]!.script([{ delayMs: 1_000, status: 500 }]);
    const controller = new AbortController();
    const started = s.client.chat.completions.create({ model: 'm', messages: ask, stream: true }, { signal: controller.signal });
    while (s.up[0]!.requests.length === 0) await sleep(10);
    controller.abort();
    await assert.rejects(started);
    await sleep(1_500);
    assert.equal(s.up[1]!.requests.length, 0, 'p1 was never asked');
    const listed = await deploymentsOf(s);
    assert.deepEqual([listed[0].state, listed[0].failures, listed[0].openStreams], ['healthy', 0, 0], 'a gone client is not a failure of the deployment');
  });

  it('fails over before the first byte (error status, then no first byte within firstByteMs) and the answer names the model that served', async () => {
    const s = await setup([{ weight: 1000, timeouts: { firstByteMs: 300 } }, { weight: 1 }], { model: { fallbacks: ['sim-chat'] } });
    s.up[0]!.script([{ delayMs: 5_000 }]);
    const r = await collect(await s.client.chat.completions.create({ model: 'm', messages: ask, stream: true }));
    assert.equal(r.content, ANSWER);
    assert.deepEqual(r.models, ['m']);
    assert.equal(s.up[1]!.requests.length, 1);
    // Both deployments failing: the fallback serves, and every chunk says so.
    s.up[0]!.script([{ status: 500 }]);
    s.up[1]!.script([{ status: 502 }]);
    const fallback = await collect((await s.client.chat.completions.create({ model: 'm', messages: ask, stream: true, sim: { tokens_per_second: 0, first_token_ms: 0 } } as never)) as unknown as AsyncIterable<OpenAI.Chat.Completions.ChatCompletionChunk>);
    assert.ok(fallback.content.length > 0);
    assert.deepEqual(fallback.models, ['sim-chat']);
    const whole = await s.client.chat.completions.create({ model: 'm', messages: ask, sim: { tokens_per_second: 0, first_token_ms: 0 } } as never);
    assert.equal(whole.model, 'sim-chat');
    const metrics = await (await fetch(`${s.gateway.url}/metrics`)).text();
    assert.match(metrics, /streamgate_fallbacks_total\{model="m",fallback="sim-chat"\} 2\n/);
  });
});

describe('GET /v1/deployments', () => {
  it('with auth, only an admin key reads it', async () => {
    const s = await setup([{}], { auth: { keys: [{ key: 'admin-key-123', name: 'ops', admin: true }, { key: 'user-key-123', name: 'web' }] } });
    const get = (key?: string) => fetch(`${s.gateway.url}/v1/deployments`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
    assert.equal((await get()).status, 401);
    const user = await get('user-key-123');
    assert.equal(user.status, 403);
    assert.equal(((await user.json()) as { error: { code: string } }).error.code, 'admin_required');
    const admin = await get('admin-key-123');
    assert.equal(admin.status, 200);
    const ids = ((await admin.json()) as { data: { id: string }[] }).data.map((d) => d.id);
    assert.ok(ids.includes('p0/up-model'));
  });
});

describe('continuation mid-stream', () => {
  it('a stream cut mid-answer on one deployment is finished by another: the joined text equals the uncut answer exactly', async () => {
    const s = await setup([{ weight: 1000 }, { weight: 1 }]);
    const uncut = await collect(await s.client.chat.completions.create({ model: 'm', messages: ask, stream: true }));
    assert.equal(uncut.content, ANSWER);
    s.up[0]!.script([{ cutAfterChunks: 9 }]);
    s.up[1]!.script([]);
    const joined = await collect(await s.client.chat.completions.create({ model: 'm', messages: ask, stream: true, stream_options: { include_usage: true } }));
    assert.equal(joined.content, uncut.content);
    assert.deepEqual(joined.finishes, ['stop'], 'one finish_reason');
    const prefix = s.up[1]!.requests[0].messages.at(-1);
    assert.deepEqual(prefix, { role: 'assistant', content: ANSWER.slice(0, 27) }, 'the second deployment got the text so far as a trailing assistant message');
    // The running total: the cut leg reported nothing (9 pieces counted by the tokenizer), the second reported its own.
    const rest = Math.ceil([...ANSWER.slice(27)].length / 3);
    assert.deepEqual(joined.usage && { p: joined.usage.prompt_tokens, c: joined.usage.completion_tokens }, { p: 10, c: countTokens(ANSWER.slice(0, 27)) + rest });
    const listed = await deploymentsOf(s);
    assert.equal(listed[0].openStreams + listed[1].openStreams, 0, 'no stream is left counted open');
    const metrics = await (await fetch(`${s.gateway.url}/metrics`)).text();
    assert.match(metrics, /streamgate_continuations_total\{model="m",outcome="continued"\} 1\n/);
  });

  it('/v1/complete: the joined answer is whole and the trace shows both model steps with their deployments', async () => {
    const s = await setup([{ weight: 1000 }, { weight: 1 }]);
    s.up[0]!.script([{ cutAfterChunks: 9 }]);
    const { events } = await fetchStream(`${s.gateway.url}/v1/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ question: 'Tell me about Beijing', model: 'm' }) });
    const end = events.at(-1)!.envelope as any;
    assert.equal(end.event, 'end');
    assert.equal(end.data.answer, ANSWER);
    const steps = (end.detail as any[]).filter((d) => d.processType === 'model');
    assert.deepEqual(steps.map((d) => [d.deployment, d.result, d.finishReason]), [['p0/up-model', ANSWER.slice(0, 27), null], ['p1/up-model', ANSWER.slice(27), 'end']]);
  });

  it('a cut inside <think> is continued inside it: thinking and answer come out whole', async () => {
    const tagged = '<think>The user asks about Beijing; I should mention the palaces.</think>Beijing is the capital of China.';
    const s = await setup([{ weight: 1000, answer: tagged }, { weight: 1, answer: tagged }]);
    s.up[0]!.script([{ cutAfterChunks: 6 }]);
    const r = await collect(await s.client.chat.completions.create({ model: 'm', messages: ask, stream: true }));
    assert.equal(r.reasoning, 'The user asks about Beijing; I should mention the palaces.');
    assert.equal(r.content, 'Beijing is the capital of China.');
    assert.equal(s.up[1]!.requests[0].messages.at(-1).content, tagged.slice(0, 18), 'the prefix keeps the upstream\'s own <think> form');
  });

  it('a stop sequence that spans the join still stops the answer', async () => {
    const s = await setup([{ weight: 1000 }, { weight: 1 }]);
    // Pieces of 3: the cut after 18 pieces leaves "…palaces, hu" and "tongs" comes from the next leg.
    s.up[0]!.script([{ cutAfterChunks: 18 }]);
    const r = await collect(await s.client.chat.completions.create({ model: 'm', messages: ask, stream: true, stop: ['hutongs'], stream_options: { include_usage: true } }));
    assert.equal(r.content, ANSWER.slice(0, ANSWER.indexOf('hutongs')));
    assert.deepEqual(r.finishes, ['stop']);
    const cutAt = s.up[1]!.requests[0].messages.at(-1).content as string;
    assert.equal(cutAt, ANSWER.slice(0, 54), 'the prefix includes the "hu" held back for the stop sequence');
    // Neither leg reported usage (one was cut, the other stopped at the match): both are counted,
    // and the prompt is the continuation's (the question and the prefix it continued from).
    assert.ok(r.usage, 'the answer still carries usage');
    // The second leg wrote at least "tongs " (the piece that completed the match), perhaps
    // a piece more in the same read: what it generated counts, up to the whole rest.
    const first = countTokens(ANSWER.slice(0, 54));
    assert.ok(r.usage.completion_tokens >= first + countTokens(ANSWER.slice(54, 60)), `completion tokens ${r.usage.completion_tokens}`);
    assert.ok(r.usage.completion_tokens <= first + countTokens(ANSWER.slice(54)), `completion tokens ${r.usage.completion_tokens}`);
    assert.equal(r.usage.prompt_tokens, estimatePromptTokens({ model: 'm', messages: ask }) + countTokens(ANSWER.slice(0, 54)));
  });

  it('sends each continuation preset in its vendor\'s request shape, with max_tokens reduced by what was spent', async () => {
    const shapes: Record<Exclude<Continuation, 'none'>, (body: any, prefix: string) => void> = {
      prefill: (body, prefix) => assert.deepEqual(body.messages.at(-1), { role: 'assistant', content: prefix }),
      deepseek: (body, prefix) => assert.deepEqual(body.messages.at(-1), { role: 'assistant', content: prefix, prefix: true }),
      vllm: (body, prefix) => {
        assert.deepEqual(body.messages.at(-1), { role: 'assistant', content: prefix });
        assert.equal(body.continue_final_message, true);
        assert.equal(body.add_generation_prompt, false);
      },
      dashscope: (body, prefix) => assert.deepEqual(body.messages.at(-1), { role: 'assistant', content: prefix, partial: true }),
    };
    for (const [preset, check] of Object.entries(shapes)) {
      const s = await setup([{ weight: 1000, continuation: 'none' }, { weight: 1, continuation: preset as Continuation }]);
      s.up[0]!.script([{ cutAfterChunks: 5 }]);
      const r = await collect(await s.client.chat.completions.create({ model: 'm', messages: ask, stream: true, max_tokens: 100 }));
      assert.equal(r.content, ANSWER, preset);
      const body = s.up[1]!.requests[0];
      const prefix = ANSWER.slice(0, 15);
      check(body, prefix);
      assert.deepEqual(body.messages.slice(0, -1), ask, `${preset}: the conversation is sent as it was`);
      assert.equal(body.max_tokens, 100 - countTokens(prefix), `${preset}: max_tokens less what the cut leg spent`);
      await teardown();
    }
  });

  it('a refused continuation, or no deployment that continues, ends with the honest error event', async () => {
    const s = await setup([{ weight: 1000 }, { weight: 1, continuation: 'none' }]);
    s.up[0]!.script([{ cutAfterChunks: 5 }]);
    let received = '';
    await assert.rejects(async () => {
      for await (const chunk of await s.client.chat.completions.create({ model: 'm', messages: ask, stream: true })) received += chunk.choices[0]?.delta.content ?? '';
    }, (err: unknown) => err instanceof OpenAI.APIError);
    assert.equal(received, ANSWER.slice(0, 15));
    assert.equal(s.up[1]!.requests.length, 0, 'a deployment without continuation is not asked');

    await teardown();
    const t = await setup([{ weight: 1000 }, { weight: 1 }]);
    t.up[0]!.script([{ cutAfterChunks: 5 }]);
    t.up[1]!.script([{ status: 400 }]);
    await assert.rejects(async () => {
      for await (const _ of await t.client.chat.completions.create({ model: 'm', messages: ask, stream: true }));
    }, (err: unknown) => err instanceof OpenAI.APIError);
    assert.equal(t.up[1]!.requests.length, 1, 'the continuation was asked and refused');
    const listed = await deploymentsOf(t);
    assert.equal(listed[1].state, 'healthy', 'a refusal (400) does not cool the deployment');
  });
});
