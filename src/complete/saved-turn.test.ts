import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';
import { pino } from 'pino';
import { SqliteSessionStore } from '../store/sqlite-session-store.js';
import type { Owner, SessionStore, TurnUpdate } from '../store/types.js';
import { SavedTurn } from './saved-turn.js';

const timings = { firstTokenMs: 0, totalMs: 0, promptTokens: 0, completionTokens: 0 };

/** A real store that also notes when each turn update arrived. */
function countingStore(): { store: SessionStore; writes: { at: number; update: TurnUpdate }[] } {
  const inner = new SqliteSessionStore({ dataDir: ':memory:' });
  const writes: { at: number; update: TurnUpdate }[] = [];
  const store = Object.assign(Object.create(inner) as SessionStore, {
    updateTurn: (owner: Owner, sessionId: string, requestId: string, update: TurnUpdate) => {
      writes.push({ at: performance.now(), update });
      return inner.updateTurn(owner, sessionId, requestId, update);
    },
  });
  return { store, writes };
}

test('a streaming turn is rewritten at most once per interval however fast its text grows, then gets its final status', async () => {
  const { store, writes } = countingStore();
  let answer = '';
  const turn = new SavedTurn({ sessions: store, logger: pino({ level: 'silent' }) }, null, 's1', 'r1', () => ({ answer, model: 'm', timings }), 100);
  await turn.start(null, { requestId: 'r1', question: 'q', answer: '', model: 'm', createdAt: 1, timings, status: 'streaming', parentId: null });
  const started = performance.now();
  // The text grows every millisecond or so for a while: hundreds of changes.
  let changes = 0;
  while (performance.now() - started < 650) {
    answer += 'x';
    changes++;
    await sleep(1);
  }
  const elapsed = performance.now() - started;
  await turn.finish('complete');
  const progress = writes.slice(0, -1);
  assert.ok(progress.length >= 1, 'the text was saved while it grew');
  assert.ok(progress.length <= Math.floor(elapsed / 100) + 1, `${progress.length} writes in ${elapsed.toFixed(0)} ms for ${changes} changes`);
  for (let i = 1; i < progress.length; i++) assert.ok(progress[i]!.at - progress[i - 1]!.at >= 90, 'never two writes within the interval');
  assert.equal(writes.at(-1)?.update.status, 'complete');
  const [saved] = await store.getTurns(null, 's1');
  assert.equal(saved?.answer, answer);
  assert.equal(saved?.status, 'complete');

  // Nothing more is written once the turn has ended.
  const n = writes.length;
  answer += 'late';
  await sleep(250);
  assert.equal(writes.length, n);
});

test('a stopped or failed run keeps the text so far; an unchanged text is not rewritten', async () => {
  const { store, writes } = countingStore();
  const answer = 'half an answer';
  const stopped = new SavedTurn({ sessions: store, logger: pino({ level: 'silent' }) }, null, 's2', 'r2', () => ({ answer, model: 'm', timings }), 50);
  await stopped.start(null, { requestId: 'r2', question: 'q', answer: '', model: 'm', createdAt: 1, timings, status: 'streaming', parentId: null });
  await sleep(300);
  assert.equal(writes.length, 1, 'one write for the one change, none for an unchanged text');
  const { GatewayError } = await import('../core/errors.js');
  await stopped.settle({ status: 'aborted', reason: new GatewayError(499, 'cancelled', 'Stopped') });
  const failed = new SavedTurn({ sessions: store, logger: pino({ level: 'silent' }) }, null, 's2', 'r3', () => ({ answer: 'oops', model: 'm', timings }), 50);
  await failed.start(null, { requestId: 'r3', question: 'q2', answer: '', model: 'm', createdAt: 2, timings, status: 'streaming', parentId: 'r2' });
  await failed.settle({ status: 'failed', error: new GatewayError(502, 'upstream_error', 'Upstream went away') });
  assert.deepEqual((await store.getTurns(null, 's2')).map((t) => [t.status, t.answer, t.error]), [
    ['stopped', 'half an answer', undefined],
    ['failed', 'oops', 'Upstream went away'],
  ]);
});
