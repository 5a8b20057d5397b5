import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { fingerprint } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { formatDuration } from './rate-limit.js';

const RPM_KEY = 'sk-rpm-limited-000001';
const OTHER_KEY = 'sk-rpm-limited-000002';
const STREAM_KEY = 'sk-two-streams-000003';
const ONE_STREAM_KEY = 'sk-one-stream-000004';
/** Short, so a run whose client left ends soon; long enough to ask again while it goes on. */
const GRACE_MS = 500;
let server: RunningServer;
const data = tempDataDir();

before(async () => {
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: {
      dataDir: data.dir,
      streams: { resumeGraceMs: GRACE_MS },
      simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
      auth: {
        keys: [
          { key: RPM_KEY, rateLimit: { requestsPerMinute: 3 } },
          { key: OTHER_KEY, rateLimit: { requestsPerMinute: 3 } },
          { key: STREAM_KEY, rateLimit: { requestsPerMinute: 10_000, concurrentStreams: 2 } },
          { key: ONE_STREAM_KEY, rateLimit: { concurrentStreams: 1 } },
        ],
      },
    },
  });
});
after(async () => {
  await server.close();
  data.remove();
});

interface ChatOptions {
  stream?: boolean;
  slow?: boolean;
  signal?: AbortSignal;
  path?: string;
  sim?: Record<string, unknown>;
  /** `"resumable": true`: the run outlives a disconnect for the grace period. */
  resumable?: boolean;
  /** Another server (default: the shared one). */
  url?: string;
}

function chat(key: string, options: ChatOptions = {}) {
  return fetch((options.url ?? server.url) + (options.path ?? '/lm/v2/chat/completions'), {
    method: 'POST',
    signal: options.signal,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      model: 'sim-chat',
      messages: [{ role: 'user', content: 'hi' }],
      stream: options.stream === true,
      ...(options.resumable ? { resumable: true } : {}),
      ...(options.slow ? { sim: { tokens_per_second: 2 } } : { max_completion_tokens: 3 }),
      ...(options.sim ? { sim: options.sim } : {}),
    }),
  });
}

/** Opens a slow stream and waits for its first bytes, so its slot is surely held. */
async function openSlowStream(key: string, url?: string, resumable = false) {
  const controller = new AbortController();
  const res = await chat(key, { stream: true, slow: true, resumable, signal: controller.signal, ...(url ? { url } : {}) });
  assert.equal(res.status, 200);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  await reader.read();
  return { controller, reader, streamId: res.headers.get('x-stream-id') };
}

/** Asks for a stream every few ms until one is let in; how long that took. */
async function untilStreamAllowed(key: string, deadlineMs: number, url?: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    const res = await chat(key, { stream: true, ...(url ? { url } : {}) });
    if (res.status === 200) {
      await res.text();
      return Date.now() - started;
    }
    assert.equal(res.status, 429);
    await res.body?.cancel();
    if (Date.now() - started > deadlineMs) assert.fail(`no stream slot came back within ${deadlineMs} ms`);
    await sleep(20);
  }
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

  test('a resumable stream whose client left keeps the slot while its run goes on for the resume grace period, then it comes back', async () => {
    const a = await openSlowStream(ONE_STREAM_KEY, undefined, true);
    const left = Date.now();
    a.controller.abort();
    // Regression: the slot used to be freed on close, so leave-and-ask-again started unlimited runs.
    const again = await chat(ONE_STREAM_KEY, { stream: true });
    assert.equal(again.status, 429, 'the run of the client that left still holds the slot');
    await again.body?.cancel();
    await untilStreamAllowed(ONE_STREAM_KEY, GRACE_MS + 5000);
    const waited = Date.now() - left;
    assert.ok(waited >= GRACE_MS, `the slot came back after ${waited} ms, before the ${GRACE_MS} ms grace period ended`);
  });

  test('/v1/complete holds the slot while its answer runs to its end with nobody listening; a stop frees it', async () => {
    await untilStreamAllowed(ONE_STREAM_KEY, GRACE_MS + 5000);
    const complete = (signal?: AbortSignal) =>
      fetch(`${server.url}/v1/complete`, {
        method: 'POST',
        signal,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ONE_STREAM_KEY}` },
        body: JSON.stringify({ question: 'hi', sim: { tokens_per_second: 2, first_token_ms: 0 } }),
      });
    const controller = new AbortController();
    const first = await complete(controller.signal);
    assert.equal(first.status, 200);
    const streamId = first.headers.get('x-stream-id');
    await (first.body as ReadableStream<Uint8Array>).getReader().read();
    controller.abort();
    // Well past the resume grace period: the answer (in a session) is still being written.
    await sleep(GRACE_MS + 500);
    const again = await complete();
    assert.equal(again.status, 429);
    await again.body?.cancel();
    const stop = await fetch(`${server.url}/v1/streams/${streamId}`, { method: 'DELETE', headers: { authorization: `Bearer ${ONE_STREAM_KEY}` } });
    assert.equal(stop.status, 200);
    await untilStreamAllowed(ONE_STREAM_KEY, 5000);
  });

  test('a request that fails before its stream starts gives its slot back', async () => {
    for (let i = 0; i < 3; i++) {
      const res = await chat(ONE_STREAM_KEY, { stream: true, sim: { fault: 'error_before_first_token', first_token_ms: 0 } });
      assert.ok(res.status >= 500, `a failure status, not a 429 (got ${res.status})`);
      await res.body?.cancel();
    }
    await untilStreamAllowed(ONE_STREAM_KEY, 0);
  });

  test('a finished stream frees its slot', async () => {
    await waitForFreeSlots();
    for (let i = 0; i < 5; i++) {
      const res = await chat(STREAM_KEY, { stream: true });
      assert.equal(res.status, 200);
      assert.match(await res.text(), /data: \[DONE\]\n(id: \d+\n)?\n$/);
    }
  });
});

describe('concurrentStreams with a long resume grace period', () => {
  let long: RunningServer;
  const longData = tempDataDir();
  before(async () => {
    long = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: {
        dataDir: longData.dir,
        streams: { resumeGraceMs: 60_000 },
        simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
        auth: { keys: [{ key: ONE_STREAM_KEY, rateLimit: { concurrentStreams: 1 } }] },
      },
    });
  });
  after(async () => {
    await long.close();
    longData.remove();
  });

  test('a stop is a stop: the client of a default stream leaves, and its slot is free for the next question at once', async () => {
    for (let i = 0; i < 3; i++) {
      const a = await openSlowStream(ONE_STREAM_KEY, long.url);
      a.controller.abort();
      // Far below the 60 s grace period a resumable stream would keep the slot for.
      await untilStreamAllowed(ONE_STREAM_KEY, 10_000, long.url);
    }
  });

  test('DELETE /v1/streams/:id ends the run and frees its slot without waiting for the grace period', async () => {
    const a = await openSlowStream(ONE_STREAM_KEY, long.url, true);
    a.controller.abort();
    const refused = await chat(ONE_STREAM_KEY, { stream: true, url: long.url });
    assert.equal(refused.status, 429);
    await refused.body?.cancel();
    const cancelled = await fetch(`${long.url}/v1/streams/${a.streamId}`, { method: 'DELETE', headers: { authorization: `Bearer ${ONE_STREAM_KEY}` } });
    assert.equal(cancelled.status, 200);
    await untilStreamAllowed(ONE_STREAM_KEY, 10_000, long.url);
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
