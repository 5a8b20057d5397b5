/**
 * Continuation across a shutdown as an operator meets it: a real redis-server and
 * streamgate processes. SIGTERM on the instance running a long answer: its client is told
 * to resume, resumes on the other instance with `Last-Event-ID`, and gets the whole
 * answer (the seeded simulator's answer, exactly as uncut), for `/v1/chat/completions`
 * with `resumable: true` and for `/v1/complete`. With no other instance alive, the run
 * ends at the deadline plus the claim wait with the honest `server_restarted` error,
 * which an instance started later serves to the resuming client.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { chatText, eventIds, readSse, type SseRead } from '../test-support/sse-reader.js';
import { freePort, requireBinary, startRedis, type RunningService } from '../test-support/services.js';
import { startStreamgate, type StreamgateProcess } from '../test-support/streamgate-process.js';

const chat = (sim: Record<string, unknown>) => ({
  model: 'sim-reasoner',
  stream: true,
  resumable: true,
  seed: 7,
  messages: [{ role: 'user', content: 'Explain server-sent events in a few sentences.' }],
  sim: { first_token_ms: 0, ...sim },
});

/** Reads until the resume notice (an event without an id); SIGTERMs `victim` at the first event. */
function readUntilNotice(url: string, victim: StreamgateProcess, request: { body?: unknown } = {}): Promise<SseRead> {
  return readSse(url, {
    ...request,
    dropWhen: (event, n) => {
      if (n === 1) victim.kill('SIGTERM');
      return event.id === undefined;
    },
  });
}

describe('handover at a shutdown (real redis-server, streamgate processes)', { timeout: 240_000 }, () => {
  let redis: RunningService | undefined;
  let dir = '';
  let config: object = {};
  const started: StreamgateProcess[] = [];
  const start = async (name: string) => {
    const sg = await startStreamgate({ port: await freePort(), dir, name, config: { ...config, dataDir: join(dir, name) } });
    started.push(sg);
    return sg;
  };

  before(async () => {
    const binary = requireBinary('redis-server');
    if (!binary) return;
    dir = mkdtempSync(join(tmpdir(), 'sg-handover-'));
    redis = await startRedis(binary);
    config = { host: '127.0.0.1', store: { type: 'redis', url: `redis://127.0.0.1:${redis.port}` }, streams: { resumeGraceMs: 30_000 }, shutdownGraceMs: 1_000 };
  });
  after(async () => {
    for (const sg of started) sg.kill('SIGKILL');
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('SIGTERM mid-answer: the client resumes on the other instance and gets the whole answer', async (t) => {
    if (!redis) return t.skip('redis-server is not installed');
    const [a, b] = await Promise.all([start('a'), start('b')]);
    const uncut = await readSse(`${b.url}/v1/chat/completions`, { body: chat({ tokens_per_second: 0 }) });
    assert.equal(uncut.events.at(-1)?.data, '[DONE]');

    // 20 tokens a second: far longer than the 1 s grace period.
    const first = await readUntilNotice(`${a.url}/v1/chat/completions`, a, { body: chat({ tokens_per_second: 20 }) });
    const notice = JSON.parse(first.events.at(-1)!.data) as { error: { code: string } };
    assert.equal(notice.error.code, 'resume', first.raw);
    const seen = first.events.slice(0, -1);
    const rest = await readSse(`${b.url}/v1/streams/${first.headers.get('x-stream-id')}`, { headers: { 'Last-Event-ID': seen.at(-1)!.id! } });
    assert.equal(rest.status, 200);
    const joined = [...seen, ...rest.events];
    assert.deepEqual(eventIds(joined), joined.map((_, i) => i + 1), 'no event lost or repeated');
    assert.equal(joined.at(-1)?.data, '[DONE]', `${rest.raw}\n${a.output()}`);
    assert.equal(chatText(joined), chatText(uncut.events), 'the joined answer is the uncut one');
    assert.equal(await a.exited, 0, a.output());
    const metrics = await (await fetch(`${b.url}/metrics`)).text();
    assert.match(metrics, /streamgate_handovers_total\{outcome="claimed"\} 1/);

    // /v1/complete (resumable by default), resumed by sending the same request with Last-Event-ID.
    const c = await start('c');
    const query = new URLSearchParams({ question: 'Explain server-sent events.', requestId: `handover-${Date.now()}`, sim_tokens_per_second: '20', sim_first_token_ms: '0' });
    const asked = await readUntilNotice(`${c.url}/v1/complete?${query}`, c);
    const before = asked.events.slice(0, -1);
    const resumed = await readSse(`${b.url}/v1/complete?${query}`, { headers: { 'Last-Event-ID': before.at(-1)!.id! } });
    const all = [...before, ...resumed.events];
    assert.deepEqual(eventIds(all), all.map((_, i) => i + 1), 'no event lost or repeated');
    const envelopes = all.map((e) => JSON.parse(e.data) as { event: string; sequence: number; data: { answer: string }; detail: { processType: string }[] });
    const end = envelopes.at(-1)!;
    assert.equal(end.event, 'end', resumed.raw);
    assert.deepEqual(envelopes.map((e) => e.sequence), all.map((_, i) => i + 1));
    assert.equal(end.data.answer, envelopes.filter((e) => e.event === 'message').map((e) => e.data.answer).join(''), 'the end event carries the whole answer');
    assert.equal(end.detail.filter((s) => s.processType === 'model').length, 2, 'the trace shows both model steps');
    assert.equal(await c.exited, 0, c.output());
    b.kill('SIGTERM');
    assert.equal(await b.exited, 0, b.output());
  });

  test('no other instance: the stream ends with server_restarted, served later by a new instance', async (t) => {
    if (!redis) return t.skip('redis-server is not installed');
    const alone = await start('alone');
    const first = await readUntilNotice(`${alone.url}/v1/chat/completions`, alone, { body: chat({ tokens_per_second: 20 }) });
    const seen = first.events.slice(0, -1);
    // It waits for a claim, then ends the stream itself and exits.
    assert.equal(await alone.exited, 0, alone.output());
    const later = await start('later');
    const rest = await readSse(`${later.url}/v1/streams/${first.headers.get('x-stream-id')}`, { headers: { 'Last-Event-ID': seen.at(-1)!.id! } });
    const joined = [...seen, ...rest.events];
    assert.deepEqual(eventIds(joined), joined.map((_, i) => i + 1), 'no event lost or repeated');
    const last = JSON.parse(joined.at(-1)!.data) as { error?: { code: string } };
    assert.equal(last.error?.code, 'server_restarted', rest.raw);
    later.kill('SIGTERM');
    assert.equal(await later.exited, 0);
  });
});
