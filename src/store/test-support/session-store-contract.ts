/** What every session store must do with streaming turns, branches and settings (run against SQLite and Redis). */
import assert from 'node:assert/strict';
import type { Owner, SessionStore, SessionTurn } from '../types.js';

const timings = { firstTokenMs: 0, totalMs: 0, promptTokens: 0, completionTokens: 0 };

/** Under `owner` (a key's name, or null without auth); another owner sees none of it. */
export async function checkTurnUpdatesAndSettings(store: SessionStore, owner: Owner = 'alice'): Promise<void> {
  const t = (requestId: string, parentId: string | null, extra: Partial<SessionTurn> = {}): SessionTurn => ({
    requestId, question: `q ${requestId}`, answer: '', model: 'm', createdAt: 10, timings, status: 'streaming', parentId, ...extra,
  });
  await store.appendTurn(owner, 'c1', 'u1', t('a', null, { status: 'complete', answer: 'A' }));
  await store.appendTurn(owner, 'c1', 'u1', t('b', 'a'));
  assert.equal(await store.updateTurn(owner, 'c1', 'b', { answer: 'half' }), true);
  assert.deepEqual((await store.getTurns(owner, 'c1')).map((x) => [x.requestId, x.status, x.answer, x.parentId]), [['a', 'complete', 'A', null], ['b', 'streaming', 'half', 'a']]);
  await store.updateTurn(owner, 'c1', 'b', { answer: 'half, then stopped', status: 'stopped', timings: { ...timings, completionTokens: 7 } });
  await store.appendTurn(owner, 'c1', 'u1', t('b2', 'a'));
  await store.updateTurn(owner, 'c1', 'b2', { status: 'failed', error: 'upstream went away' });
  const turns = await store.getTurns(owner, 'c1');
  assert.deepEqual(turns.map((x) => [x.requestId, x.status, x.answer, x.parentId]), [
    ['a', 'complete', 'A', null],
    ['b', 'stopped', 'half, then stopped', 'a'],
    ['b2', 'failed', '', 'a'],
  ]);
  assert.equal(turns[1]?.timings.completionTokens, 7);
  assert.equal(turns[2]?.error, 'upstream went away');
  assert.equal(await store.updateTurn(owner, 'c1', 'nope', { answer: 'x' }), false);
  assert.equal(await store.updateTurn(owner, 'nope', 'a', { answer: 'x' }), false);

  assert.equal(await store.updateSession(owner, 'nope', { title: 'x' }), null);
  const s = await store.updateSession(owner, 'c1', { title: 'Renamed', system: 'Be brief.', model: 'sim-chat', temperature: 0.3 });
  assert.deepEqual([s?.title, s?.system, s?.model, s?.temperature, s?.turns], ['Renamed', 'Be brief.', 'sim-chat', 0.3, 3]);
  const cleared = await store.updateSession(owner, 'c1', { system: null, temperature: null });
  assert.deepEqual([cleared?.title, cleared?.system, cleared?.model, cleared?.temperature], ['Renamed', null, 'sim-chat', null]);
  assert.equal((await store.listSessions({ scope: { owner }, userId: 'u1' }))[0]?.title, 'Renamed');
  // Another owner can neither change nor see it.
  assert.equal(await store.updateTurn('mallory', 'c1', 'a', { answer: 'x' }), false);
  assert.equal(await store.updateSession('mallory', 'c1', { title: 'mine' }), null);
  assert.equal((await store.getSession(owner, 'c1'))?.title, 'Renamed');
}
