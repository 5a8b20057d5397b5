/**
 * Continuation across a shutdown, in this process: two servers on one real redis-server.
 * Server A is closed with a short grace period while a long answer runs; the client is
 * told to resume, resumes on B with `Last-Event-ID`, and gets the rest, which B continues
 * from the handover record: the joined answer equals the same seeded answer run uncut.
 * Also: `/v1/complete` (trace with both model steps, the session turn saved whole), and a
 * shutdown with nobody to claim the run (the honest `server_restarted` error, in the log).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../server.js';
import { chatText, eventIds, readSse, type SseRead } from '../test-support/sse-reader.js';
import { findBinary, installHint, requireBinary, startRedis, type RunningService } from '../test-support/services.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';

const missing = findBinary('redis-server') === null && process.env.CI !== 'true';

const chat = (sim: Record<string, unknown>) => ({
  model: 'sim-reasoner',
  stream: true,
  resumable: true,
  seed: 41,
  messages: [{ role: 'user', content: 'Explain server-sent events in a few sentences.' }],
  sim: { first_token_ms: 0, ...sim },
});

/** Reads until the resume notice (an event without id that says `resume`); the other events are the answer's. */
function untilResumeNotice(url: string, body: unknown, onFirst: () => void): Promise<SseRead> {
  let first = true;
  return readSse(url, {
    body,
    dropWhen: (event) => {
      if (first) {
        first = false;
        onFirst();
      }
      return event.id === undefined && event.data.includes('"resume"');
    },
  });
}

describe('handover at a shutdown (two servers, real redis-server)', { skip: missing ? installHint('redis-server') : false, timeout: 120_000 }, () => {
  let redis: RunningService;
  const data = tempDataDir();
  const open: RunningServer[] = [];
  let config: object;

  before(async () => {
    redis = await startRedis(requireBinary('redis-server') ?? 'redis-server');
    config = { dataDir: data.dir, store: { type: 'redis', url: `redis://127.0.0.1:${redis.port}` }, streams: { resumeGraceMs: 30_000 } };
  });
  after(async () => {
    for (const server of open) await server.close().catch(() => undefined);
    await redis?.stop();
    data.remove();
  });
  const start = async () => {
    const server = await startServer({ port: 0, host: '127.0.0.1', config });
    open.push(server);
    return server;
  };
  const close = async (server: RunningServer, graceMs: number) => {
    open.splice(open.indexOf(server), 1);
    await server.close({ graceMs });
  };

  for (const path of ['/v1/chat/completions', '/lm/v2/chat/completions']) test(`${path}: the client resumes on B and the joined answer is the uncut one`, async () => {
    const a = await start();
    const b = await start();
    const uncut = await readSse(`${b.url}${path}`, { body: chat({ tokens_per_second: 0 }) });
    assert.equal(uncut.events.at(-1)?.data, '[DONE]');

    let closing: Promise<void> | undefined;
    const first = await untilResumeNotice(`${a.url}${path}`, chat({ tokens_per_second: 25 }), () => (closing = close(a, 300)));
    const notice = first.events.at(-1)!;
    assert.match(notice.data, /"code":"resume"/, first.raw);
    const seen = first.events.slice(0, -1);
    const id = first.headers.get('x-stream-id')!;
    const rest = await readSse(`${b.url}/v1/streams/${id}`, { headers: { 'Last-Event-ID': seen.at(-1)!.id! } });
    await closing;
    assert.equal(rest.status, 200);
    const joined = [...seen, ...rest.events];
    assert.deepEqual(eventIds(joined), joined.map((_, i) => i + 1), 'no event lost or repeated');
    assert.equal(joined.at(-1)?.data, '[DONE]', rest.raw);
    assert.equal(chatText(joined), chatText(uncut.events));
    // The chunks are the same stream's: one id, one created.
    const chunks = joined.slice(0, -1).map((e) => JSON.parse(e.data) as { id: string; created: number; choices: { delta: { role?: string } }[] });
    assert.deepEqual(new Set(chunks.map((c) => c.id)), new Set([id]));
    assert.equal(new Set(chunks.map((c) => c.created)).size, 1);
    // lm-v2 repeats the role in every delta; OpenAI's stream has it once.
    const roles = chunks.filter((c) => c.choices[0]?.delta.role).length;
    assert.equal(roles, path.startsWith('/lm/v2') ? chunks.filter((c) => c.choices.length > 0).length : 1);
    const metrics = await (await fetch(`${b.url}/metrics`)).text();
    assert.match(metrics, /streamgate_handovers_total\{outcome="claimed"\} 1\n/);
    assert.match(metrics, /streamgate_continuations_total\{model="sim-reasoner",outcome="continued"\} 1/);
    await close(b, 0);
  });

  test('/v1/complete: the end event has the whole answer, the trace both model steps, the turn is saved whole', async () => {
    const a = await start();
    const b = await start();
    const requestId = `handover-${Date.now()}`;
    const sessionId = `s-${Date.now()}`;
    const query = new URLSearchParams({ question: 'Explain server-sent events.', requestId, sessionId, sim_tokens_per_second: '25', sim_first_token_ms: '0' });
    let closing: Promise<void> | undefined;
    const first = await readSse(`${a.url}/v1/complete?${query}`, {
      dropWhen: (event, n) => {
        if (n === 1) closing = close(a, 300);
        return event.id === undefined;
      },
    });
    assert.match(first.events.at(-1)!.data, /"code":"resume"|resume/);
    const seen = first.events.slice(0, -1);
    const rest = await readSse(`${b.url}/v1/complete?${query}`, { headers: { 'Last-Event-ID': seen.at(-1)!.id! } });
    await closing;
    const joined = [...seen, ...rest.events];
    assert.deepEqual(eventIds(joined), joined.map((_, i) => i + 1), 'no event lost or repeated');
    const envelopes = joined.map((e) => JSON.parse(e.data) as { event: string; sequence: number; data: { answer: string }; detail: { processType: string; processName?: string; deployment?: string }[] });
    assert.deepEqual(envelopes.map((e) => e.sequence), joined.map((_, i) => i + 1));
    const end = envelopes.at(-1)!;
    assert.equal(end.event, 'end', rest.raw);
    const streamed = envelopes.filter((e) => e.event === 'message').map((e) => e.data.answer).join('');
    assert.equal(end.data.answer, streamed, 'the end event carries the whole answer');
    const aPart = envelopes.slice(0, seen.length).map((e) => e.data.answer).join('');
    assert.ok(aPart.length > 0 && end.data.answer.startsWith(aPart) && end.data.answer.length > aPart.length);
    const steps = end.detail.filter((s) => s.processType === 'model');
    assert.equal(steps.length, 2, JSON.stringify(end.detail));
    const session = (await (await fetch(`${b.url}/v1/sessions/${sessionId}`)).json()) as { turns: { requestId: string; answer: string; status: string }[] };
    const turn = session.turns.find((t) => t.requestId === requestId)!;
    assert.equal(turn.status, 'complete');
    assert.equal(turn.answer, end.data.answer);
    await close(b, 0);
  });

  test('nobody to claim it: the instance ends the stream with the restart error, which a later instance serves', async () => {
    // Alone: no instance of an earlier test is left to claim the run.
    for (const server of [...open]) await close(server, 0);
    const a = await start();
    let closing: Promise<void> | undefined;
    const first = await untilResumeNotice(`${a.url}/v1/chat/completions`, chat({ tokens_per_second: 25 }), () => (closing = close(a, 300)));
    const seen = first.events.slice(0, -1);
    const id = first.headers.get('x-stream-id')!;
    await closing;
    const later = await start();
    const rest = await readSse(`${later.url}/v1/streams/${id}`, { headers: { 'Last-Event-ID': seen.at(-1)!.id! } });
    const joined = [...seen, ...rest.events];
    assert.deepEqual(eventIds(joined), joined.map((_, i) => i + 1), 'no event lost or repeated');
    const last = JSON.parse(joined.at(-1)!.data) as { error?: { code: string } };
    assert.equal(last.error?.code, 'server_restarted', rest.raw);
    await close(later, 0);
  });
});
