import assert from 'node:assert/strict';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { GatewayError } from '../core/errors.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { IntegrityCheckedSessionStore, quickCheck } from './integrity-checked-session-store.js';
import { SESSION_DB_FILE, SqliteSessionStore } from './sqlite-session-store.js';
import type { SessionStore } from './types.js';

const data = tempDataDir('streamgate-integrity-');
after(() => data.remove());
const file = join(data.dir, SESSION_DB_FILE);

const turn = (n: number) => ({
  requestId: `r${n}`,
  question: `question ${n} ${'x'.repeat(500)}`,
  answer: `answer ${n} ${'y'.repeat(500)}`,
  model: 'sim-chat',
  createdAt: n,
  timings: { firstTokenMs: 1, totalMs: 2, promptTokens: 3, completionTokens: 4 },
});

test('quick_check: null for a sound file, what SQLite found for pages of garbage', async () => {
  const store = new SqliteSessionStore({ dataDir: data.dir });
  for (let i = 0; i < 60; i++) await store.appendTurn(null, `s${i % 7}`, null, turn(i));
  await store.close();
  assert.equal(quickCheck(file), null);
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(statSync(file).size - 8192, 0xa5), 0, statSync(file).size - 8192, 8192);
  closeSync(fd);
  assert.notEqual(quickCheck(file), null);
});

test('damage reported by SQLite during a call is checked, reported and answered 503 from then on', async () => {
  // The driver's own error for a damaged page (better-sqlite3 throws SqliteError with this code).
  const damaged = Object.assign(new Error('database disk image is malformed'), { code: 'SQLITE_CORRUPT' });
  let calls = 0;
  const inner: SessionStore = {
    getTurns: async () => {
      calls++;
      throw damaged;
    },
    getSession: async () => null,
    appendTurn: async () => undefined,
    updateTurn: async () => false,
    updateSession: async () => null,
    listSessions: async () => [],
    deleteSession: async () => {
      throw new Error('some other failure');
    },
    close: async () => undefined,
  };
  const logged: string[] = [];
  const logger = { error: (_fields: unknown, msg: string) => logged.push(msg) } as never;
  const store = new IntegrityCheckedSessionStore({ path: ':memory:', open: () => inner, logger });
  assert.equal(store.problem(), null);
  await assert.rejects(() => store.deleteSession(null, 'a'), /some other failure/, 'other errors pass through as they are');
  assert.equal(store.problem(), null);

  await assert.rejects(
    () => store.getTurns(null, 'a'),
    (err: unknown) => err instanceof GatewayError && err.status === 503 && err.code === 'store_corrupt',
  );
  assert.equal(store.problem()?.status, 'store_corrupt');
  assert.equal(logged.length, 1);
  await assert.rejects(() => store.listSessions({ scope: { owner: null } }), /damaged/);
  await assert.rejects(() => store.getTurns(null, 'a'), /damaged/);
  assert.equal(calls, 1, 'a damaged store is not called again');
});
