import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../../server.js';
import { sample } from '../../test-support/prometheus-text.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';

const FAST = { tokens_per_second: 0, first_token_ms: 0 };

async function chat(server: RunningServer, body: Record<string, unknown>): Promise<Response> {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: 'hello' }], ...body }),
  });
}

async function scrape(server: RunningServer): Promise<string> {
  const res = await fetch(`${server.url}/metrics`);
  assert.equal(res.status, 200);
  assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return res.text();
}

describe('GET /metrics', () => {
  let server: RunningServer;
  let other: RunningServer;
  const data = tempDataDir();
  const otherData = tempDataDir();

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 }, streams: { resumeGraceMs: 0 } } });
    other = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: otherData.dir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 }, streams: { resumeGraceMs: 0 } } });
  });
  after(async () => {
    await server.close();
    await other.close();
    data.remove();
    otherData.remove();
  });

  it('counts requests, streams, tokens, failures and cancellations', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await chat(server, { model: 'sim-chat', stream: true, sim: FAST });
      assert.match(await res.text(), /data: \[DONE\]/);
    }
    const plain = await chat(server, { model: 'sim-reasoner', sim: FAST });
    const completion = (await plain.json()) as { usage: { prompt_tokens: number } };
    assert.equal((await chat(server, { model: 'no-such-model', stream: true })).status, 404);
    const failed = await chat(server, { model: 'sim-chat', stream: true, sim: { ...FAST, fault: 'error_mid_stream' } });
    assert.match(await failed.text(), /simulated_error/);

    // A client that leaves while the model is still thinking.
    const slow = await chat(server, { model: 'sim-chat', stream: true, sim: { tokens_per_second: 2, first_token_ms: 0 } });
    const reader = slow.body!.getReader();
    await reader.read();
    await reader.cancel();

    let text = await scrape(server);
    for (let i = 0; i < 50 && sample(text, 'streamgate_cancellations_total{endpoint="/v1/chat/completions",model="sim-chat"}') === undefined; i++) {
      await new Promise((r) => setTimeout(r, 20));
      text = await scrape(server);
    }

    const chatLabels = 'endpoint="/v1/chat/completions",model="sim-chat"';
    assert.equal(sample(text, `streamgate_requests_total{${chatLabels},status="200"}`), 4);
    assert.equal(sample(text, 'streamgate_requests_total{endpoint="/v1/chat/completions",model="sim-reasoner",status="200"}'), 1);
    // An unknown model name never becomes a label.
    assert.equal(sample(text, 'streamgate_requests_total{endpoint="/v1/chat/completions",model="",status="404"}'), 1);
    assert.doesNotMatch(text, /no-such-model/);
    assert.equal(sample(text, `streamgate_streams_total{${chatLabels},outcome="completed"}`), 2);
    assert.equal(sample(text, `streamgate_streams_total{${chatLabels},outcome="failed"}`), 1);
    assert.equal(sample(text, `streamgate_streams_total{${chatLabels},outcome="aborted"}`), 1);
    assert.equal(sample(text, `streamgate_cancellations_total{${chatLabels}}`), 1);
    assert.equal(sample(text, 'streamgate_upstream_errors_total{model="sim-chat",code="simulated_error"}'), 1);
    assert.equal(sample(text, `streamgate_time_to_first_event_seconds_count{${chatLabels}}`), 4);
    assert.equal(sample(text, `streamgate_stream_duration_seconds_count{${chatLabels},outcome="completed"}`), 2);
    assert.equal(sample(text, 'streamgate_open_streams{endpoint="/v1/chat/completions"}'), 0);
    const tokensIn = sample(text, 'streamgate_tokens_total{model="sim-chat",direction="in",source="provider"}') ?? 0;
    const tokensOut = sample(text, 'streamgate_tokens_total{model="sim-chat",direction="out",source="provider"}') ?? 0;
    assert.ok(tokensIn >= 2 * completion.usage.prompt_tokens, `tokens in: ${tokensIn}`);
    assert.ok(tokensOut > 0, `tokens out: ${tokensOut}`);
    assert.ok(sample(text, 'process_resident_memory_bytes')! > 0);
  });

  it('keeps each server on its own registry', async () => {
    const text = await scrape(other);
    assert.equal(sample(text, 'streamgate_requests_total{endpoint="/v1/chat/completions",model="sim-chat",status="200"}'), undefined);
    assert.match(text, /# TYPE streamgate_requests_total counter/);
  });

  it('shows a stream as open while it runs', async () => {
    const res = await chat(other, { model: 'sim-chat', stream: true, sim: { tokens_per_second: 5, first_token_ms: 0 } });
    const reader = res.body!.getReader();
    await reader.read();
    assert.equal(sample(await scrape(other), 'streamgate_open_streams{endpoint="/v1/chat/completions"}'), 1);
    await reader.cancel();
  });
});

describe('GET /metrics with auth', () => {
  const ADMIN = 'sk-ops-0123456789abcdef';
  const CHAT_ONLY = 'sk-chat-only-0123456789';
  const keys = [
    { key: ADMIN, name: 'ops', admin: true },
    { key: CHAT_ONLY, name: 'chat-only', models: ['sim-chat'] },
  ];
  const data = tempDataDir();
  after(() => data.remove());
  const get = (server: RunningServer, key?: string) => fetch(`${server.url}/metrics`, key ? { headers: { authorization: `Bearer ${key}` } } : {});
  /** Serves one sim-reasoner answer (a model the chat-only key may not use), so its series exist. */
  async function useReasoner(server: RunningServer) {
    const res = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ model: 'sim-reasoner', messages: [{ role: 'user', content: 'hi' }], sim: FAST }),
    });
    assert.equal(res.status, 200);
    await res.text();
  }

  it('metrics.requireKey: 401 without a key, 403 with a non-admin key, 200 with an admin key', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, auth: { keys }, metrics: { requireKey: true } } });
    try {
      await useReasoner(server);
      const none = await get(server);
      assert.equal(none.status, 401);
      assert.equal(((await none.json()) as { error: { code: string } }).error.code, 'invalid_api_key');
      const other = await get(server, CHAT_ONLY);
      assert.equal(other.status, 403);
      assert.equal(((await other.json()) as { error: { code: string } }).error.code, 'admin_required');
      assert.equal((await get(server, 'sk-wrong-0123456789')).status, 401);
      const admin = await get(server, ADMIN);
      assert.equal(admin.status, 200);
      assert.match(await admin.text(), /model="sim-reasoner"/);
    } finally {
      await server.close();
    }
  });

  it('without requireKey it stays open, but each caller sees only the models it may use (none without a key; an admin all)', async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, auth: { keys } } });
    try {
      await useReasoner(server);
      const anonymous = await get(server);
      assert.equal(anonymous.status, 200);
      const open = await anonymous.text();
      assert.match(open, /# TYPE streamgate_requests_total counter/);
      assert.match(open, /process_resident_memory_bytes/);
      assert.doesNotMatch(open, /sim-reasoner/);
      const chatOnly = await (await get(server, CHAT_ONLY)).text();
      assert.doesNotMatch(chatOnly, /sim-reasoner/);
      assert.match(await (await get(server, ADMIN)).text(), /streamgate_requests_total\{endpoint="\/v1\/chat\/completions",model="sim-reasoner",status="200"\} 1/);
      assert.equal((await get(server, 'sk-wrong-0123456789')).status, 401, 'a wrong key is still a wrong key');
    } finally {
      await server.close();
    }
  });

  it('metrics.requireKey without an admin key is a config error', async () => {
    await assert.rejects(startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, metrics: { requireKey: true } } }), /metrics\.requireKey.*admin/s);
  });
});
