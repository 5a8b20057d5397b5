import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type { Envelope } from '../../encoders/complete-envelope-encoder.js';
import type { SessionSummary, SessionTurn } from '../../store/types.js';
import { completeUrl, postComplete, readWithEventSource, startTestServer, step, tempDataDir, variable } from '../test-support/complete-client.js';

interface MemoryItem {
  requestId: string;
  question: string;
  answer: string;
  createdAt: number;
}

async function ask(baseUrl: string, body: Record<string, unknown>): Promise<Envelope> {
  const { response, events } = await postComplete(baseUrl, body);
  assert.equal(response.status, 200);
  const end = events.at(-1)?.envelope;
  assert.equal(end?.event, 'end');
  return end as Envelope;
}

const conditionOf = (end: Envelope) => step<{ result: string }>(end, 'condition').result;
const memoryOf = (end: Envelope) => variable(end, 'start', 'memoryList') as MemoryItem[];

describe('sessions of /v1/complete', () => {
  const data = tempDataDir();
  after(() => data.remove());

  test('a second question with the same sessionId is answered with the first exchange in context', async () => {
    const server = await startTestServer(data.dir);
    try {
      const first = await ask(server.url, { question: 'hello', userId: 'alice' });
      assert.equal(conditionOf(first), 'IF --> false\nELSE --> true');
      const sessionId = first.data.sessionId;

      const second = await ask(server.url, { question: 'tell me more', sessionId, userId: 'alice' });
      assert.equal(second.data.sessionId, sessionId);
      assert.match(second.data.requestId, /^[0-9a-f]{24}-2$/, 'the generated requestId counts the turns, as in the sample');
      assert.equal(conditionOf(second), 'IF --> true\nELSE --> false', 'the memory branch ran');

      const memory = memoryOf(second);
      assert.equal(memory.length, 1);
      assert.equal(memory[0]?.requestId, first.data.requestId);
      assert.equal(memory[0]?.question, 'hello');
      const firstAnswerText = first.data.answer.slice(first.data.answer.indexOf('</think>') + '</think>'.length).trimStart();
      assert.equal(memory[0]?.answer, firstAnswerText, 'the model sees the earlier answer without its thinking');
      assert.equal(variable(second, 'start', 'memories'), `Q: hello\nA: ${firstAnswerText}`);

      const history = JSON.parse(step<{ parameter: { history: string } }>(second, 'model').parameter.history) as unknown;
      assert.deepEqual(history, [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: firstAnswerText },
      ]);
      // The prompt grew by the history: the model really got it.
      const promptTokens = (end: Envelope) => step<{ metrics: { numPromptTokens: number } }>(end, 'model').metrics.numPromptTokens;
      assert.ok(promptTokens(second) > promptTokens(first) + 10);
    } finally {
      await server.close();
    }
  });

  test('a session is remembered across a server restart (same dataDir)', async () => {
    const dir = tempDataDir();
    try {
      const before = await startTestServer(dir.dir);
      const firstEvents = await readWithEventSource(completeUrl(before.url, { question: 'hello', userId: 'bob' }));
      const first = firstEvents.at(-1)?.envelope as Envelope;
      await before.close();

      const restarted = await startTestServer(dir.dir);
      try {
        const second = await ask(restarted.url, { question: 'what did I say?', sessionId: first.data.sessionId, userId: 'bob' });
        assert.equal(conditionOf(second), 'IF --> true\nELSE --> false');
        assert.deepEqual(memoryOf(second).map((m) => [m.requestId, m.question]), [[first.data.requestId, 'hello']]);

        const stored = (await (await fetch(`${restarted.url}/v1/sessions/${encodeURIComponent(first.data.sessionId)}`)).json()) as { turns: SessionTurn[] };
        assert.deepEqual(stored.turns.map((t) => t.answer), [first.data.answer, second.data.answer]);
      } finally {
        await restarted.close();
      }
    } finally {
      dir.remove();
    }
  });

  test('history is cut to sessions.historyTurns (the latest turns); 0 turns memory off', async () => {
    const server = await startTestServer(data.dir, { sessions: { historyTurns: 2 } });
    try {
      const sessionId = 'cut-history';
      for (const q of ['one', 'two', 'three']) await ask(server.url, { question: q, sessionId });
      const fourth = await ask(server.url, { question: 'four', sessionId });
      assert.deepEqual(memoryOf(fourth).map((m) => m.question), ['two', 'three']);
    } finally {
      await server.close();
    }
    const forgetful = await startTestServer(data.dir, { sessions: { historyTurns: 0 } });
    try {
      const fifth = await ask(forgetful.url, { question: 'five', sessionId: 'cut-history' });
      assert.deepEqual(memoryOf(fifth), []);
      assert.equal(conditionOf(fifth), 'IF --> false\nELSE --> true');
    } finally {
      await forgetful.close();
    }
  });

  test('GET /v1/sessions lists newest first (by user, limited); GET /:id returns the turns; DELETE forgets', async () => {
    const server = await startTestServer(data.dir);
    try {
      const a = await ask(server.url, { question: 'first of carol', userId: 'carol' });
      const b = await ask(server.url, { question: 'second of carol', userId: 'carol' });
      await ask(server.url, { question: 'dave asks', userId: 'dave' });
      await ask(server.url, { question: 'carol again', userId: 'carol', sessionId: a.data.sessionId });

      const list = (await (await fetch(`${server.url}/v1/sessions?userId=carol`)).json()) as { object: string; data: SessionSummary[] };
      assert.equal(list.object, 'list');
      assert.deepEqual(list.data.map((s) => s.id), [a.data.sessionId, b.data.sessionId]);
      assert.deepEqual(Object.keys(list.data[0] as object).sort(), ['createdAt', 'id', 'model', 'owner', 'system', 'temperature', 'title', 'turns', 'updatedAt', 'userId']);
      assert.equal(list.data[0]?.title, 'first of carol');
      assert.equal(list.data[0]?.turns, 2);
      const limited = (await (await fetch(`${server.url}/v1/sessions?limit=1`)).json()) as { data: SessionSummary[] };
      assert.deepEqual(limited.data.map((s) => s.id), [a.data.sessionId]);

      const url = `${server.url}/v1/sessions/${encodeURIComponent(a.data.sessionId)}`;
      const session = (await (await fetch(url)).json()) as { id: string; userId: string; turns: SessionTurn[] };
      assert.equal(session.id, a.data.sessionId);
      assert.equal(session.userId, 'carol');
      assert.deepEqual(session.turns.map((t) => t.question), ['first of carol', 'carol again']);
      const turn = session.turns[0] as SessionTurn;
      assert.equal(turn.answer, a.data.answer);
      assert.equal(turn.model, 'sim-reasoner');
      assert.equal(turn.requestId, a.data.requestId);
      const model = step<{ metrics: { numPromptTokens: number; numOutputTokens: number } }>(a, 'model');
      assert.equal(turn.timings.promptTokens, model.metrics.numPromptTokens);
      assert.equal(turn.timings.completionTokens, model.metrics.numOutputTokens);
      assert.ok(turn.timings.firstTokenMs <= turn.timings.totalMs);

      const deleted = await fetch(url, { method: 'DELETE' });
      assert.equal(deleted.status, 200);
      assert.deepEqual(await deleted.json(), { id: a.data.sessionId, deleted: true });
      const gone = await fetch(url);
      assert.equal(gone.status, 404);
      assert.equal(((await gone.json()) as { error: { code: string } }).error.code, 'session_not_found');
      assert.equal((await fetch(url, { method: 'DELETE' })).status, 404);

      // A forgotten session starts afresh.
      const again = await ask(server.url, { question: 'anyone there?', sessionId: a.data.sessionId });
      assert.deepEqual(memoryOf(again), []);
    } finally {
      await server.close();
    }
  });

  test('GET /v1/sessions refuses a bad limit with a 400 naming it', async () => {
    const server = await startTestServer(data.dir);
    try {
      for (const limit of ['abc', '0', '1.5']) {
        const res = await fetch(`${server.url}/v1/sessions?limit=${limit}`);
        assert.equal(res.status, 400);
        assert.equal(((await res.json()) as { error: { param: string } }).error.param, 'limit');
      }
    } finally {
      await server.close();
    }
  });
});
