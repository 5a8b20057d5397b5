/** Resumable streams on one instance (in-memory log): drop, resume with Last-Event-ID, grace period, shutdown notice. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../../server.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';
import { chatText, eventIds, readSse } from '../../test-support/sse-reader.js';

const body = (extra: Record<string, unknown> = {}) => ({
  model: 'sim-reasoner',
  stream: true,
  resumable: true,
  seed: 7,
  messages: [{ role: 'user', content: 'Explain server-sent events in a few sentences.' }],
  sim: { tokens_per_second: 0, first_token_ms: 0 },
  ...extra,
});

/** Shared by this file's servers (the embedded store would otherwise write ./data). */
const data = tempDataDir();
after(() => data.remove());

describe('resume on one instance', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, streams: { resumeGraceMs: 5_000 } } });
  });
  after(() => server.close());

  test('a client that drops mid-answer resumes with Last-Event-ID: nothing lost, nothing repeated', async () => {
    const whole = await readSse(`${server.url}/v1/chat/completions`, { body: body() });
    assert.equal(whole.status, 200);
    assert.ok(whole.events.length > 20, `a long enough answer (${whole.events.length} events)`);
    assert.deepEqual(eventIds(whole.events), whole.events.map((_, i) => i + 1), 'every event is numbered from 1');

    const first = await readSse(`${server.url}/v1/chat/completions`, { body: body({ sim: { tokens_per_second: 200, first_token_ms: 0 } }), dropAfter: 8 });
    assert.ok(first.dropped);
    const streamId = first.headers.get('x-stream-id');
    assert.match(streamId ?? '', /^chatcmpl-[A-Za-z0-9_-]{16,}$/);
    const lastId = first.events.at(-1)!.id!;
    const rest = await readSse(`${server.url}/v1/streams/${streamId}`, { headers: { 'Last-Event-ID': lastId } });
    assert.equal(rest.status, 200);
    assert.equal(rest.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const joined = [...first.events, ...rest.events];
    assert.deepEqual(eventIds(joined), joined.map((_, i) => i + 1));
    assert.equal(chatText(joined), chatText(whole.events));
    assert.equal(joined.at(-1)?.data, '[DONE]');
  });

  test('a finished stream stays replayable: from the start, or after last_event_id in the query', async () => {
    const whole = await readSse(`${server.url}/v1/chat/completions`, { body: body() });
    const id = whole.headers.get('x-stream-id');
    const replay = await readSse(`${server.url}/v1/streams/${id}`);
    assert.deepEqual(replay.events, whole.events);
    const tail = await readSse(`${server.url}/v1/streams/${id}?last_event_id=${whole.events.length - 2}`);
    assert.deepEqual(tail.events, whole.events.slice(-2));
    // Nothing after the last event: 204, which tells EventSource to stop reconnecting.
    const none = await readSse(`${server.url}/v1/streams/${id}`, { headers: { 'Last-Event-ID': String(whole.events.length) } });
    assert.equal(none.status, 204);
    assert.deepEqual(none.events, []);
  });

  test('unknown stream 404 and a bad Last-Event-ID 400, in OpenAI error shape', async () => {
    const missing = await fetch(`${server.url}/v1/streams/chatcmpl-doesnotexist123`);
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'stream_not_found');
    const whole = await readSse(`${server.url}/v1/chat/completions`, { body: body() });
    const bad = await fetch(`${server.url}/v1/streams/${whole.headers.get('x-stream-id')}`, { headers: { 'Last-Event-ID': 'abc' } });
    assert.equal(bad.status, 400);
    const err = ((await bad.json()) as { error: { code: string; param: string } }).error;
    assert.equal(err.code, 'invalid_last_event_id');
    assert.equal(err.param, 'Last-Event-ID');
  });

  test('a failure mid-stream is replayed as the same final error event', async () => {
    const failed = await readSse(`${server.url}/v1/chat/completions`, { body: body({ sim: { tokens_per_second: 0, first_token_ms: 0, fault: 'error_mid_stream' } }) });
    const last = JSON.parse(failed.events.at(-1)!.data) as { error?: { code: string } };
    assert.equal(last.error?.code, 'simulated_error');
    const replay = await readSse(`${server.url}/v1/streams/${failed.headers.get('x-stream-id')}?last_event_id=2`);
    assert.deepEqual(replay.events, failed.events.slice(2));
  });

  test('a failure before the first token is still an HTTP status', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body({ sim: { fault: 'error_before_first_token', first_token_ms: 0 } })),
    });
    assert.equal(res.status, 500);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'simulated_error');
  });
});

describe('stream ids are bound to the API key that started them', () => {
  test('another key gets 404, the same key resumes', async () => {
    const server = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: { dataDir: data.dir, auth: { keys: [{ key: 'key-alice-123' }, { key: 'key-bob-4567' }] } },
    });
    try {
      const whole = await readSse(`${server.url}/v1/chat/completions`, { body: body(), headers: { authorization: 'Bearer key-alice-123' } });
      const url = `${server.url}/v1/streams/${whole.headers.get('x-stream-id')}`;
      assert.equal((await fetch(url, { headers: { authorization: 'Bearer key-bob-4567' } })).status, 404);
      assert.equal((await fetch(url)).status, 401, 'no key: the usual 401');
      const own = await readSse(url, { headers: { authorization: 'Bearer key-alice-123' } });
      assert.equal(own.events.length, whole.events.length);
    } finally {
      await server.close();
    }
  });
});

describe('the run outlives its client only for the grace period', () => {
  test('nobody comes back: the run is aborted after resumeGraceMs', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, streams: { resumeGraceMs: 150 } } });
    try {
      const first = await readSse(`${server.url}/v1/chat/completions`, { body: body({ sim: { tokens_per_second: 0, first_token_ms: 0, fault: 'stall' } }), dropAfter: 3 });
      const id = first.headers.get('x-stream-id')!;
      await new Promise((r) => setTimeout(r, 60));
      assert.equal(server.context.streams.activeRuns, 1, 'still running within the grace period');
      await new Promise((r) => setTimeout(r, 250));
      assert.equal(server.context.streams.activeRuns, 0);
      const kept = await server.context.streams.log.read(id, 0);
      assert.equal(kept?.end, 'aborted');
      // A client resuming later learns how the answer ended.
      assert.match(kept!.frames.at(-1)!.text, /"code":"stream_abandoned"/);
    } finally {
      await server.close();
    }
  });

  test('resumeGraceMs 0 cancels at once, as without resume', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, streams: { resumeGraceMs: 0 } } });
    try {
      const first = await readSse(`${server.url}/v1/chat/completions`, { body: body({ sim: { tokens_per_second: 0, first_token_ms: 0, fault: 'stall' } }), dropAfter: 3 });
      await new Promise((r) => setTimeout(r, 50));
      assert.equal(server.context.streams.activeRuns, 0);
      assert.equal((await server.context.streams.log.read(first.headers.get('x-stream-id')!, 0))?.end, 'aborted');
    } finally {
      await server.close();
    }
  });
});

describe('graceful shutdown on one instance', () => {
  test('streams that finish within the deadline are whole; past it the client is told the restart cut the answer, never to reconnect', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, streams: { resumeGraceMs: 5_000 } } });
    const short = readSse(`${server.url}/v1/chat/completions`, { body: body({ max_tokens: 10, sim: { tokens_per_second: 50, first_token_ms: 0 } }) });
    const long = readSse(`${server.url}/v1/chat/completions`, { body: body({ sim: { tokens_per_second: 0, first_token_ms: 0, fault: 'stall' } }) });
    const plain = readSse(`${server.url}/v1/chat/completions`, { body: body({ resumable: false, sim: { tokens_per_second: 0, first_token_ms: 0, fault: 'stall' } }) });
    // All three are running (a fixed sleep is not enough on a loaded machine).
    for (let i = 0; i < 1000 && server.context.streams.activeRuns < 3; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(server.context.streams.activeRuns, 3);
    const closing = server.close({ graceMs: 400 });
    await new Promise((r) => setTimeout(r, 20));
    // A new connection is refused; one kept alive from before is told 503.
    assert.notEqual((await fetch(`${server.url}/healthz`).catch(() => null))?.status ?? 'refused', 200, 'no new work while draining');
    const [s, l, p] = await Promise.all([short, long, plain]);
    await closing;
    assert.equal(s.events.at(-1)?.data, '[DONE]', 'a stream that finishes within the deadline is not cut');
    for (const cut of [l, p]) {
      const last = JSON.parse(cut.events.at(-1)!.data) as { error: { type: string; code: string; message: string } };
      assert.equal(last.error.code, 'server_restarted');
      assert.match(last.error.message, /cut short because the server restarted/);
      assert.doesNotMatch(last.error.message, /reconnect|resume/i);
      assert.deepEqual(cut.retries, [], 'no retry: asks nobody to reconnect');
      assert.ok(!cut.events.some((e) => e.data === '[DONE]'));
    }
    // The resumable stream's error is part of it (numbered, replayable); the plain one has no ids at all.
    assert.equal(l.events.at(-1)?.id, String(l.events.length));
    assert.ok(p.events.every((e) => e.id === undefined));
  });
});
