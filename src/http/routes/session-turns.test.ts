/**
 * An answer is never lost: a `/v1/complete` turn is in the session from the moment it
 * starts (`streaming`, its text growing at most once a second), then `complete`, `stopped`
 * or `failed`; stopped text is context; regenerate/edit branch with `parentId`; a
 * conversation keeps its own title, system prompt, model and temperature (PATCH).
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import type { Envelope } from '../../encoders/complete-envelope-encoder.js';
import type { RunningServer } from '../../server.js';
import type { SessionSummary, SessionTurn } from '../../store/types.js';
import { postComplete, startTestServer, step, tempDataDir, variable } from '../test-support/complete-client.js';

type StoredSession = SessionSummary & { turns: SessionTurn[] };

describe('session turns of /v1/complete', () => {
  const data = tempDataDir();
  let server: RunningServer;
  before(async () => {
    server = await startTestServer(data.dir);
  });
  after(async () => {
    await server.close();
    data.remove();
  });

  const session = async (id: string): Promise<StoredSession> => (await (await fetch(`${server.url}/v1/sessions/${encodeURIComponent(id)}`)).json()) as StoredSession;
  async function ask(body: Record<string, unknown>): Promise<Envelope> {
    const { response, events } = await postComplete(server.url, { sim: { tokens_per_second: 2000, first_token_ms: 0 }, ...body });
    assert.equal(response.status, 200);
    const end = events.at(-1)?.envelope as Envelope;
    assert.equal(end.event, 'end');
    return end;
  }
  const memoryIds = (end: Envelope) => (variable(end, 'start', 'memoryList') as { requestId: string }[]).map((m) => m.requestId);
  /** Starts a slow answer (40 tokens/s: a few seconds) and returns its body's reader. */
  async function startSlow(sessionId: string, requestId: string) {
    const res = await fetch(`${server.url}/v1/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'hello', sessionId, requestId, sim: { tokens_per_second: 40, first_token_ms: 0 } }),
    });
    return (res.body as ReadableStream<Uint8Array>).getReader();
  }
  const patch = (id: string, body: unknown) =>
    fetch(`${server.url}/v1/sessions/${encodeURIComponent(id)}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('a turn is saved as it starts, its text grows while it streams, then it is complete', async () => {
    const sessionId = `growing-${Date.now()}`;
    const requestId = `grow-${Date.now()}`;
    const reader = await startSlow(sessionId, requestId);
    await reader.read();
    const seen: { status: string | undefined; length: number }[] = [];
    let t: SessionTurn | undefined;
    do {
      await sleep(200);
      t = (await session(sessionId)).turns[0];
      seen.push({ status: t?.status, length: t?.answer.length ?? -1 });
    } while (t?.status === 'streaming' && seen.length < 8);
    assert.deepEqual([...new Set(seen.map((s) => s.status))], ['streaming'], 'streaming from the first poll on');
    const lengths = seen.map((s) => s.length);
    assert.ok(lengths.at(-1)! > 0, `the text so far is saved: ${lengths}`);
    // (The write rate is measured in saved-turn.test.ts, where the writes can be counted.)
    let text = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) text += new TextDecoder().decode(r.value);
    const end = JSON.parse(text.trim().split('\n').filter((l) => l.startsWith('data: ')).at(-1)!.slice(6)) as Envelope;
    assert.equal(end.event, 'end');
    const done = (await session(sessionId)).turns[0]!;
    assert.equal(done.status, 'complete');
    assert.equal(done.answer, end.data.answer);
    assert.equal(done.parentId, null);
    assert.ok(done.timings.completionTokens > 0);
  });

  test('a stopped answer is context for the next question, as far as it got', async () => {
    const sessionId = `stopped-${Date.now()}`;
    const requestId = `stop-${Date.now()}`;
    const reader = await startSlow(sessionId, requestId);
    let seen = '';
    // Some answer after the thinking (thinking alone is no context).
    while (!/<\/think>[\s\S]*("event":"message"[\s\S]*){4}/.test(seen)) seen += new TextDecoder().decode((await reader.read()).value);
    assert.equal((await fetch(`${server.url}/v1/streams/${requestId}`, { method: 'DELETE' })).status, 200);
    while (!(await reader.read()).done);
    let stopped: SessionTurn | undefined;
    do stopped = (await session(sessionId)).turns[0];
    while (stopped?.status === 'streaming');
    assert.equal(stopped?.status, 'stopped');

    const next = await ask({ question: 'go on', sessionId });
    assert.deepEqual(memoryIds(next), [requestId]);
    const history = JSON.parse(step<{ parameter: { history: string } }>(next, 'model').parameter.history) as { role: string; content: string }[];
    assert.equal(history[1]?.role, 'assistant');
    assert.ok(stopped!.answer.includes(history[1]!.content), 'the stopped text, without its thinking');
  });

  test('regenerate and edit branch with parentId: each keeps its own context, the earlier answer stays', async () => {
    const sessionId = `branches-${Date.now()}`;
    const a = await ask({ question: 'one', sessionId });
    const b = await ask({ question: 'two', sessionId });
    assert.deepEqual(memoryIds(b), [a.data.requestId], 'without parentId: after the latest turn');
    const b2 = await ask({ question: 'two, again', sessionId, parentId: a.data.requestId });
    assert.deepEqual(memoryIds(b2), [a.data.requestId], 'a sibling of b does not see b');
    const c = await ask({ question: 'three', sessionId, parentId: b2.data.requestId });
    assert.deepEqual(memoryIds(c), [a.data.requestId, b2.data.requestId]);
    const fresh = await ask({ question: 'from scratch', sessionId, parentId: null });
    assert.deepEqual(memoryIds(fresh), []);

    const stored = await session(sessionId);
    assert.deepEqual(
      stored.turns.map((t) => [t.question, t.parentId]),
      [['one', null], ['two', a.data.requestId], ['two, again', a.data.requestId], ['three', b2.data.requestId], ['from scratch', null]],
    );
    const bad = await postComplete(server.url, { question: 'x', sessionId, parentId: 'no-such-turn' });
    assert.equal(bad.response.status, 400);
  });

  test('PATCH /v1/sessions/:id: title, system, model and temperature belong to the conversation and are used when a request does not say', async () => {
    const sessionId = `settings-${Date.now()}`;
    await ask({ question: 'first', sessionId });
    const res = await patch(sessionId, { title: 'My chat', system: 'Answer in French.', model: 'sim-chat', temperature: 0.2 });
    assert.equal(res.status, 200);
    const summary = (await res.json()) as SessionSummary;
    assert.deepEqual([summary.title, summary.system, summary.model, summary.temperature], ['My chat', 'Answer in French.', 'sim-chat', 0.2]);
    const again = await session(sessionId);
    assert.deepEqual([again.title, again.system, again.model, again.temperature], ['My chat', 'Answer in French.', 'sim-chat', 0.2]);

    const next = await ask({ question: 'second', sessionId });
    const model = step<{ modelName: string; parameter: { system: string; temperature: number } }>(next, 'model');
    assert.equal(model.modelName, 'sim-chat');
    assert.equal(model.parameter.system, 'Answer in French.');
    assert.equal(model.parameter.temperature, 0.2);
    const own = await ask({ question: 'third', sessionId, system: 'Be brief.', temperature: 1 });
    assert.equal(step<{ parameter: { system: string } }>(own, 'model').parameter.system, 'Be brief.', 'the request wins');

    // null clears a setting.
    const cleared = (await (await patch(sessionId, { system: null, model: null, temperature: null })).json()) as SessionSummary;
    assert.deepEqual([cleared.title, cleared.system, cleared.model, cleared.temperature], ['My chat', null, null, null]);
  });

  test('PATCH refuses what it cannot keep, naming the field', async () => {
    const sessionId = `bad-settings-${Date.now()}`;
    await ask({ question: 'first', sessionId });
    const cases: [unknown, number, string][] = [
      [{ temperature: 5 }, 400, 'temperature'],
      [{ title: '  ' }, 400, 'title'],
      [{ colour: 'red' }, 400, 'colour'],
      [{ model: 'no-such-model' }, 404, 'model'],
    ];
    for (const [body, status, param] of cases) {
      const res = await patch(sessionId, body);
      assert.equal(res.status, status, JSON.stringify(body));
      const err = ((await res.json()) as { error: { param: string | null; message: string } }).error;
      assert.ok(err.param === param || err.message.includes(param), `${JSON.stringify(body)}: ${JSON.stringify(err)}`);
    }
    assert.equal((await patch('no-such-session', { title: 'x' })).status, 404);
  });
});
