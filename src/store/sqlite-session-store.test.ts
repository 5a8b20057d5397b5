import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteSessionStore } from './sqlite-session-store.js';
import { checkTurnUpdatesAndSettings } from './test-support/session-store-contract.js';
import type { SessionTurn } from './types.js';

const dirs: string[] = [];
function tmpDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'streamgate-store-'));
  dirs.push(dir);
  return join(dir, 'nested', 'data');
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function turn(n: number, extra: Partial<SessionTurn> = {}): SessionTurn {
  return {
    requestId: `req-${n}`,
    question: `question ${n}`,
    answer: `<think>\nthinking ${n}\n</think>\n\nanswer ${n}`,
    model: 'sim-reasoner',
    createdAt: 1_700_000_000_000 + n,
    timings: { firstTokenMs: 12.5 + n, totalMs: 300 + n, promptTokens: 9 + n, completionTokens: 40 + n },
    ...extra,
  };
}

describe('SqliteSessionStore', () => {
  test('the native driver loads and the file is created in dataDir, in WAL mode', async () => {
    const dataDir = tmpDataDir();
    const store = new SqliteSessionStore({ dataDir });
    await store.appendTurn(null, 's1', null, turn(1));
    assert.equal(store.path, join(dataDir, 'streamgate.db'));
    assert.ok(existsSync(store.path));
    await store.close();
    const db = new Database(join(dataDir, 'streamgate.db'), { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  test('turns come back oldest first, exactly as saved, cut to the last `limit`', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    for (let n = 1; n <= 5; n++) await store.appendTurn(null, 's1', 'u1', turn(n));
    await store.appendTurn(null, 'other', 'u1', turn(99));

    // Read back with a status and a parent: turns saved without either are complete and follow the one before.
    assert.deepEqual(await store.getTurns(null, 's1'), [1, 2, 3, 4, 5].map((n) => ({ ...turn(n), status: 'complete', parentId: n === 1 ? null : `req-${n - 1}` })));
    assert.deepEqual((await store.getTurns(null, 's1', 2)).map((t) => t.requestId), ['req-4', 'req-5']);
    assert.deepEqual(await store.getTurns(null, 's1', 0), []);
    assert.deepEqual(await store.getTurns(null, 'unknown'), []);
    await store.close();
  });

  test('streaming turns updated in place, branches, settings', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    await checkTurnUpdatesAndSettings(store);
    await store.close();
  });

  test('sessions survive closing and reopening the same dataDir', async () => {
    const dataDir = tmpDataDir();
    const first = new SqliteSessionStore({ dataDir });
    await first.appendTurn(null, 'SessionId:abc:u1:1', 'u1', turn(1));
    await first.close();

    const second = new SqliteSessionStore({ dataDir });
    assert.deepEqual(await second.getTurns(null, 'SessionId:abc:u1:1'), [{ ...turn(1), status: 'complete', parentId: null }]);
    await second.appendTurn(null, 'SessionId:abc:u1:1', 'u1', turn(2));
    assert.equal((await second.getSession(null, 'SessionId:abc:u1:1'))?.turns, 2);
    await second.close();
  });

  test('a session summary: first question as title, turn count, times, a later userId fills a missing one', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    const long = `  ${'word '.repeat(30)}`;
    await store.appendTurn(null, 's1', null, turn(1, { question: long, createdAt: 1000 }));
    await store.appendTurn(null, 's1', 'late-user', turn(2, { createdAt: 2000 }));
    const summary = await store.getSession(null, 's1');
    assert.ok(summary);
    assert.equal(summary.id, 's1');
    assert.equal(summary.userId, 'late-user');
    assert.equal(summary.turns, 2);
    assert.equal(summary.createdAt, 1000);
    assert.equal(summary.updatedAt, 2000);
    assert.equal(Array.from(summary.title).length, 60);
    assert.ok(summary.title.startsWith('word word'));
    assert.ok(summary.title.endsWith('…'));
    assert.equal(await store.getSession(null, 'nope'), null);
    await store.close();
  });

  test('listSessions: newest first, filtered by user, limited', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    await store.appendTurn(null, 'a', 'u1', turn(1, { createdAt: 1000 }));
    await store.appendTurn(null, 'b', 'u2', turn(1, { createdAt: 2000 }));
    await store.appendTurn(null, 'c', 'u1', turn(1, { createdAt: 3000 }));
    await store.appendTurn(null, 'a', 'u1', turn(2, { createdAt: 4000 }));

    assert.deepEqual((await store.listSessions({ scope: { owner: null } })).map((s) => s.id), ['a', 'c', 'b']);
    assert.deepEqual((await store.listSessions({ scope: { owner: null }, userId: 'u1' })).map((s) => s.id), ['a', 'c']);
    assert.deepEqual((await store.listSessions({ scope: { owner: null }, limit: 1 })).map((s) => s.id), ['a']);
    assert.deepEqual(await store.listSessions({ scope: { owner: null }, userId: 'nobody' }), []);
    await store.close();
  });

  test('deleteSession forgets the turns and says whether there was anything', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    await store.appendTurn(null, 's1', null, turn(1));
    assert.equal(await store.deleteSession(null, 's1'), true);
    assert.deepEqual(await store.getTurns(null, 's1'), []);
    assert.equal(await store.getSession(null, 's1'), null);
    assert.equal(await store.deleteSession(null, 's1'), false);
    // A new turn after deletion starts the session afresh.
    await store.appendTurn(null, 's1', null, turn(7));
    assert.deepEqual((await store.getTurns(null, 's1')).map((t) => t.requestId), ['req-7']);
    await store.close();
  });

  test('a turn that cannot be written leaves nothing half-written', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    await store.appendTurn(null, 's1', null, turn(1));
    const broken = { ...turn(2), answer: null as unknown as string };
    await assert.rejects(store.appendTurn(null, 's1', null, broken), /NOT NULL/);
    assert.equal((await store.getSession(null, 's1'))?.turns, 1);
    assert.equal((await store.getTurns(null, 's1')).length, 1);
    await assert.rejects(store.appendTurn(null, 'fresh', null, broken), /NOT NULL/);
    assert.equal(await store.getSession(null, 'fresh'), null);
    await store.close();
  });

  test('sessions are namespaced by owner: the same id under two owners is two sessions', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    await store.appendTurn('alice-key', 's1', 'u1', turn(1, { createdAt: 1000 }));
    await store.appendTurn('bob-key', 's1', 'u1', turn(2, { createdAt: 2000 }));
    await store.appendTurn(null, 's2', 'u1', turn(3, { createdAt: 3000 }));
    assert.deepEqual((await store.getTurns('alice-key', 's1')).map((t) => t.requestId), ['req-1']);
    assert.deepEqual((await store.getTurns('bob-key', 's1')).map((t) => t.requestId), ['req-2']);
    assert.deepEqual(await store.getTurns('alice-key', 's2'), []);
    assert.equal(await store.getSession('alice-key', 's2'), null);
    assert.equal((await store.getSession('bob-key', 's1'))?.owner, 'bob-key');
    assert.deepEqual((await store.listSessions({ scope: { owner: 'alice-key' }, userId: 'u1' })).map((x) => [x.owner, x.id]), [['alice-key', 's1']]);
    assert.deepEqual((await store.listSessions({ scope: { owner: null } })).map((x) => [x.owner, x.id]), [[null, 's2']]);
    assert.deepEqual((await store.listSessions({ scope: { allOwners: true } })).map((x) => [x.owner, x.id]), [[null, 's2'], ['bob-key', 's1'], ['alice-key', 's1']]);
    assert.deepEqual((await store.listSessions({ scope: { allOwners: true }, userId: 'u1', limit: 2 })).map((x) => x.owner), [null, 'bob-key']);
    assert.equal(await store.deleteSession('alice-key', 's2'), false);
    assert.equal(await store.deleteSession('alice-key', 's1'), true);
    assert.equal((await store.getTurns('bob-key', 's1')).length, 1, "deleting one owner's s1 leaves the other's");
    await store.close();
  });

  test('a version 1 file (no owners) is migrated: its sessions and turns are kept with owner null', async () => {
    const dataDir = tmpDataDir();
    mkdirSync(dataDir, { recursive: true });
    const v1 = new Database(join(dataDir, 'streamgate.db'));
    v1.exec(`
      CREATE TABLE sessions (id TEXT PRIMARY KEY, user_id TEXT, title TEXT NOT NULL, turns INTEGER NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
      CREATE INDEX sessions_by_update ON sessions (updated_at DESC);
      CREATE INDEX sessions_by_user ON sessions (user_id, updated_at DESC);
      CREATE TABLE turns (session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE, seq INTEGER NOT NULL, request_id TEXT NOT NULL,
        question TEXT NOT NULL, answer TEXT NOT NULL, model TEXT NOT NULL, created_at INTEGER NOT NULL, first_token_ms REAL NOT NULL,
        total_ms REAL NOT NULL, prompt_tokens INTEGER NOT NULL, completion_tokens INTEGER NOT NULL, PRIMARY KEY (session_id, seq)) WITHOUT ROWID;
      INSERT INTO sessions VALUES ('old', 'u1', 'question 1', 2, 1000, 2000);
      INSERT INTO turns VALUES ('old', 1, 'req-1', 'question 1', 'a1', 'sim-reasoner', 1000, 13.5, 301, 10, 41);
      INSERT INTO turns VALUES ('old', 2, 'req-2', 'question 2', 'a2', 'sim-reasoner', 2000, 14.5, 302, 11, 42);
      PRAGMA user_version = 1;
    `);
    v1.close();

    const store = new SqliteSessionStore({ dataDir });
    assert.deepEqual(await store.getSession(null, 'old'), {
      id: 'old', owner: null, userId: 'u1', title: 'question 1', turns: 2, createdAt: 1000, updatedAt: 2000, system: null, model: null, temperature: null,
    });
    // Saved before statuses and branches: complete, each following the one before.
    assert.deepEqual((await store.getTurns(null, 'old')).map((t) => [t.requestId, t.answer, t.timings.completionTokens, t.status, t.parentId]), [
      ['req-1', 'a1', 41, 'complete', null],
      ['req-2', 'a2', 42, 'complete', 'req-1'],
    ]);
    assert.equal(await store.getSession('some-key', 'old'), null);
    await store.appendTurn(null, 'old', 'u1', turn(3, { createdAt: 3000 }));
    assert.equal((await store.getSession(null, 'old'))?.turns, 3);
    assert.deepEqual((await store.listSessions({ scope: { owner: null }, userId: 'u1' })).map((x) => x.id), ['old']);
    // Deleting still cascades to the turns: the rebuilt foreign key works.
    assert.equal(await store.deleteSession(null, 'old'), true);
    await store.close();
    const db = new Database(join(dataDir, 'streamgate.db'), { readonly: true });
    assert.equal(db.pragma('user_version', { simple: true }), 3);
    assert.deepEqual(db.prepare('SELECT count(*) AS n FROM turns').get(), { n: 0 });
    assert.deepEqual(db.prepare("SELECT name FROM sqlite_master WHERE name LIKE '%_v1'").all(), []);
    db.close();
  });
});
