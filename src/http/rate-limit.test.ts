import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { fingerprint } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { formatDuration } from './rate-limit.js';

const RPM_KEY = 'sk-rpm-limited-000001';
const OTHER_KEY = 'sk-rpm-limited-000002';
const STREAM_KEY = 'sk-two-streams-000003';
let server: RunningServer;

before(async () => {
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: {
      simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
      auth: {
        keys: [
          { key: RPM_KEY, rateLimit: { requestsPerMinute: 3 } },
          { key: OTHER_KEY, rateLimit: { requestsPerMinute: 3 } },
          { key: STREAM_KEY, rateLimit: { requestsPerMinute: 10_000, concurrentStreams: 2 } },
        ],
      },
    },
  });
});
after(() => server.close());

function chat(key: string, options: { stream?: boolean; slow?: boolean; signal?: AbortSignal; path?: string } = {}) {
  return fetch(server.url + (options.path ?? '/lm/v2/chat/completions'), {
    method: 'POST',
    signal: options.signal,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      model: 'sim-chat',
      messages: [{ role: 'user', content: 'hi' }],
      stream: options.stream === true,
      ...(options.slow ? { sim: { tokens_per_second: 2 } } : { max_completion_tokens: 3 }),
    }),
  });
}

/** Opens a slow stream and waits for its first bytes, so its slot is surely held. */
async function openSlowStream(key: string) {
  const controller = new AbortController();
  const res = await chat(key, { stream: true, slow: true, signal: controller.signal });
  assert.equal(res.status, 200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  return { controller, reader };
}

describe('requestsPerMinute', () => {
  test('counts down in x-ratelimit-* headers, then 429 with Retry-After; another key is unaffected', async () => {
    for (let i = 1; i <= 3; i++) {
      const res = await fetch(`${server.url}/v1/models`, { headers: { authorization: `Bearer ${RPM_KEY}` } });
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('x-ratelimit-limit-requests'), '3');
      assert.equal(res.headers.get('x-ratelimit-remaining-requests'), String(3 - i));
      assert.match(res.headers.get('x-ratelimit-reset-requests') ?? '', /^(\d+m)?\d+s$/);
    }
    const res = await chat(RPM_KEY);
    assert.equal(res.status, 429);
    const retryAfter = Number(res.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
    assert.equal(res.headers.get('x-ratelimit-remaining-requests'), '0');
    const body = (await res.json()) as { error: { code: string; type: string; message: string } };
    assert.equal(body.error.code, 'rate_limit_exceeded');
    assert.equal(body.error.type, 'rate_limit_error');
    assert.match(body.error.message, /^Rate limit reached for this API key: 3 requests per minute\. Try again in /);
    assert.equal((await chat(OTHER_KEY)).status, 200);
  });

  test('formatDuration writes OpenAI\'s durations', () => {
    assert.deepEqual([formatDuration(250), formatDuration(1000), formatDuration(59_001), formatDuration(60_000), formatDuration(90_000)], ['250ms', '1s', '1m0s', '1m0s', '1m30s']);
  });
});

describe('concurrentStreams', () => {
  test('429 while the key holds all its streams; non-streaming requests still pass', async () => {
    const a = await openSlowStream(STREAM_KEY);
    const b = await openSlowStream(STREAM_KEY);
    const refused = await chat(STREAM_KEY, { stream: true });
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) >= 1);
    assert.deepEqual(await refused.json(), {
      error: {
        message: 'Too many concurrent streams for this API key: at most 2 may be open at once.',
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    assert.equal((await chat(STREAM_KEY, { stream: true, path: '/v1/chat/completions' })).status, 429, 'the slots are shared by both dialects');
    assert.equal((await chat(STREAM_KEY)).status, 200);
    a.controller.abort();
    b.controller.abort();
  });

  test('a cancelled stream frees its slot at once (not after the slot ttl)', async () => {
    await waitForFreeSlots();
    const a = await openSlowStream(STREAM_KEY);
    const b = await openSlowStream(STREAM_KEY);
    assert.equal((await chat(STREAM_KEY, { stream: true })).status, 429);
    b.controller.abort();
    const started = Date.now();
    let res = await chat(STREAM_KEY, { stream: true });
    while (res.status === 429 && Date.now() - started < 2000) {
      await sleep(5);
      res = await chat(STREAM_KEY, { stream: true });
    }
    assert.equal(res.status, 200, 'the slot came back');
    await res.text();
    a.controller.abort();
  });

  test('a finished stream frees its slot', async () => {
    await waitForFreeSlots();
    for (let i = 0; i < 5; i++) {
      const res = await chat(STREAM_KEY, { stream: true });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /data: \[DONE\]\n\n$/);
    }
  });
});

/** The aborted streams of an earlier test release their slots when the server sees the close. */
async function waitForFreeSlots(): Promise<void> {
  const slots = `streams:${fingerprint(STREAM_KEY)}`;
  for (let i = 0; i < 200; i++) {
    const release = await server.context.rateLimits.acquire(slots, 2, 1000);
    if (release) {
      const second = await server.context.rateLimits.acquire(slots, 2, 1000);
      await release();
      await second?.();
      if (second) return;
    }
    await sleep(10);
  }
  throw new Error('slots were never freed');
}
