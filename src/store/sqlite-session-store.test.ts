import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import Database from 'better-sqlite3';
import { SqliteSessionStore } from './sqlite-session-store.js';
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
    await store.appendTurn('s1', null, turn(1));
    assert.equal(store.path, join(dataDir, 'streamgate.db'));
    assert.ok(existsSync(store.path));
    await store.close();
    const db = new Database(join(dataDir, 'streamgate.db'), { readonly: true });
    assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
    db.close();
  });

  test('turns come back oldest first, exactly as saved, cut to the last `limit`', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    for (let n = 1; n <= 5; n++) await store.appendTurn('s1', 'u1', turn(n));
    await store.appendTurn('other', 'u1', turn(99));

    assert.deepEqual(await store.getTurns('s1'), [1, 2, 3, 4, 5].map((n) => turn(n)));
    assert.deepEqual((await store.getTurns('s1', 2)).map((t) => t.requestId), ['req-4', 'req-5']);
    assert.deepEqual(await store.getTurns('s1', 0), []);
    assert.deepEqual(await store.getTurns('unknown'), []);
    await store.close();
  });

  test('sessions survive closing and reopening the same dataDir', async () => {
    const dataDir = tmpDataDir();
    const first = new SqliteSessionStore({ dataDir });
    await first.appendTurn('SessionId:abc:u1:1', 'u1', turn(1));
    await first.close();

    const second = new SqliteSessionStore({ dataDir });
    assert.deepEqual(await second.getTurns('SessionId:abc:u1:1'), [turn(1)]);
    await second.appendTurn('SessionId:abc:u1:1', 'u1', turn(2));
    assert.equal((await second.getSession('SessionId:abc:u1:1'))?.turns, 2);
    await second.close();
  });

  test('a session summary: first question as title, turn count, times, a later userId fills a missing one', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    const long = `  ${'word '.repeat(30)}`;
    await store.appendTurn('s1', null, turn(1, { question: long, createdAt: 1000 }));
    await store.appendTurn('s1', 'late-user', turn(2, { createdAt: 2000 }));
    const summary = await store.getSession('s1');
    assert.ok(summary);
    assert.equal(summary.id, 's1');
    assert.equal(summary.userId, 'late-user');
    assert.equal(summary.turns, 2);
    assert.equal(summary.createdAt, 1000);
    assert.equal(summary.updatedAt, 2000);
    assert.equal(Array.from(summary.title).length, 60);
    assert.ok(summary.title.startsWith('word word'));
    assert.ok(summary.title.endsWith('…'));
    assert.equal(await store.getSession('nope'), null);
    await store.close();
  });

  test('listSessions: newest first, filtered by user, limited', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    await store.appendTurn('a', 'u1', turn(1, { createdAt: 1000 }));
    await store.appendTurn('b', 'u2', turn(1, { createdAt: 2000 }));
    await store.appendTurn('c', 'u1', turn(1, { createdAt: 3000 }));
    await store.appendTurn('a', 'u1', turn(2, { createdAt: 4000 }));

    assert.deepEqual((await store.listSessions({})).map((s) => s.id), ['a', 'c', 'b']);
    assert.deepEqual((await store.listSessions({ userId: 'u1' })).map((s) => s.id), ['a', 'c']);
    assert.deepEqual((await store.listSessions({ limit: 1 })).map((s) => s.id), ['a']);
    assert.deepEqual(await store.listSessions({ userId: 'nobody' }), []);
    await store.close();
  });

  test('deleteSession forgets the turns and says whether there was anything', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    await store.appendTurn('s1', null, turn(1));
    assert.equal(await store.deleteSession('s1'), true);
    assert.deepEqual(await store.getTurns('s1'), []);
    assert.equal(await store.getSession('s1'), null);
    assert.equal(await store.deleteSession('s1'), false);
    // A new turn after deletion starts the session afresh.
    await store.appendTurn('s1', null, turn(7));
    assert.deepEqual((await store.getTurns('s1')).map((t) => t.requestId), ['req-7']);
    await store.close();
  });

  test('a turn that cannot be written leaves nothing half-written', async () => {
    const store = new SqliteSessionStore({ dataDir: ':memory:' });
    await store.appendTurn('s1', null, turn(1));
    const broken = { ...turn(2), answer: null as unknown as string };
    await assert.rejects(store.appendTurn('s1', null, broken), /NOT NULL/);
    assert.equal((await store.getSession('s1'))?.turns, 1);
    assert.equal((await store.getTurns('s1')).length, 1);
    await assert.rejects(store.appendTurn('fresh', null, broken), /NOT NULL/);
    assert.equal(await store.getSession('fresh'), null);
    await store.close();
  });
});
