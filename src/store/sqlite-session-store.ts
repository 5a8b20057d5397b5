/**
 * The embedded session store: SQLite in `dataDir/streamgate.db` (WAL mode), so sessions
 * outlive a restart with nothing to install or run beside streamgate. better-sqlite3 is
 * synchronous; every statement here is a short indexed read or write, so it stays far
 * below a millisecond and never holds up a stream.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { withLinks } from './session-turns.js';
import type { Owner, OwnerScope, SessionSettings, SessionStore, SessionSummary, SessionTurn, TurnStatus, TurnUpdate } from './types.js';

/** Longest `title` kept for a session: what a sidebar shows of the first question. */
export const TITLE_CHARS = 60;

/** The database file's name in `dataDir`. */
export const SESSION_DB_FILE = 'streamgate.db';

/** 2: sessions are keyed by (owner, id). 3: turn statuses and parents, conversation settings (ADDED_COLUMNS). */
const SCHEMA_VERSION = 3;

/** `owner` is the key name; '' (never a key name) for sessions made without `auth`. */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  owner      TEXT NOT NULL DEFAULT '',
  id         TEXT NOT NULL,
  user_id    TEXT,
  title      TEXT NOT NULL,
  turns      INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (owner, id)
);
CREATE INDEX IF NOT EXISTS sessions_by_update ON sessions (updated_at DESC);
CREATE INDEX IF NOT EXISTS sessions_by_owner ON sessions (owner, updated_at DESC);
CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (owner, user_id, updated_at DESC);
CREATE TABLE IF NOT EXISTS turns (
  owner             TEXT NOT NULL DEFAULT '',
  session_id        TEXT NOT NULL,
  seq               INTEGER NOT NULL,
  request_id        TEXT NOT NULL,
  question          TEXT NOT NULL,
  answer            TEXT NOT NULL,
  model             TEXT NOT NULL,
  created_at        INTEGER NOT NULL,
  first_token_ms    REAL NOT NULL,
  total_ms          REAL NOT NULL,
  prompt_tokens     INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  PRIMARY KEY (owner, session_id, seq),
  FOREIGN KEY (owner, session_id) REFERENCES sessions (owner, id) ON DELETE CASCADE
) WITHOUT ROWID;
`;

/** Version 1 had no owner: its sessions were made without keys, so they get the owner '' (null). */
const FROM_V1 = `
DROP INDEX IF EXISTS sessions_by_update;
DROP INDEX IF EXISTS sessions_by_user;
ALTER TABLE turns RENAME TO turns_v1;
ALTER TABLE sessions RENAME TO sessions_v1;
${SCHEMA}
INSERT INTO sessions (owner, id, user_id, title, turns, created_at, updated_at)
  SELECT '', id, user_id, title, turns, created_at, updated_at FROM sessions_v1 ORDER BY rowid;
INSERT INTO turns SELECT '', * FROM turns_v1;
DROP TABLE turns_v1;
DROP TABLE sessions_v1;
`;

/**
 * Version 3, additive: each column has a default and is added only when missing. A turn's
 * `parent_id` is NULL for turns saved before branches ('' is a first question); `status` is
 * 'complete' for turns saved before statuses.
 */
const ADDED_COLUMNS: { table: 'sessions' | 'turns'; column: string; type: string }[] = [
  { table: 'turns', column: 'status', type: "TEXT NOT NULL DEFAULT 'complete'" },
  { table: 'turns', column: 'parent_id', type: 'TEXT DEFAULT NULL' },
  { table: 'turns', column: 'error', type: 'TEXT DEFAULT NULL' },
  { table: 'sessions', column: 'system', type: 'TEXT DEFAULT NULL' },
  { table: 'sessions', column: 'model', type: 'TEXT DEFAULT NULL' },
  { table: 'sessions', column: 'temperature', type: 'REAL DEFAULT NULL' },
];

interface TurnRow {
  request_id: string;
  question: string;
  answer: string;
  model: string;
  created_at: number;
  first_token_ms: number;
  total_ms: number;
  prompt_tokens: number;
  completion_tokens: number;
  status: string;
  parent_id: string | null;
  error: string | null;
}

interface SessionRow {
  owner: string;
  id: string;
  user_id: string | null;
  title: string;
  turns: number;
  created_at: number;
  updated_at: number;
  system: string | null;
  model: string | null;
  temperature: number | null;
}

export interface SqliteSessionStoreOptions {
  /** A directory (created if missing) for `streamgate.db`, or `:memory:` for a store that forgets on close. */
  dataDir: string;
}

export class SqliteSessionStore implements SessionStore {
  /** The database file, or `:memory:`. */
  readonly path: string;
  private readonly db: Database.Database;
  private readonly statements: Statements;
  private readonly append: (owner: string, sessionId: string, userId: string | null, turn: SessionTurn) => void;

  constructor(options: SqliteSessionStoreOptions) {
    if (options.dataDir === ':memory:') {
      this.path = ':memory:';
    } else {
      mkdirSync(options.dataDir, { recursive: true });
      this.path = join(options.dataDir, SESSION_DB_FILE);
    }
    this.db = new Database(this.path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.db.pragma('busy_timeout = 5000');
    migrate(this.db);

    this.statements = prepareStatements(this.db);

    // One transaction: the session's counter and the turn land together or not at all.
    this.append = this.db.transaction((owner: string, sessionId: string, userId: string | null, turn: SessionTurn) => {
      const { turns } = this.statements.upsertSession.get({
        owner,
        id: sessionId,
        userId,
        title: titleOf(turn.question),
        at: turn.createdAt,
      }) as { turns: number };
      this.statements.insertTurn.run({
        owner,
        sessionId,
        seq: turns,
        requestId: turn.requestId,
        question: turn.question,
        answer: turn.answer,
        model: turn.model,
        createdAt: turn.createdAt,
        ...turn.timings,
        status: turn.status ?? 'complete',
        parentId: turn.parentId === undefined ? null : (turn.parentId ?? ''),
        error: turn.error ?? null,
      });
    });
  }

  async getTurns(owner: Owner, sessionId: string, limit?: number): Promise<SessionTurn[]> {
    if (limit !== undefined && limit <= 0) return [];
    const rows = this.statements.turns.all(column(owner), sessionId, limit ?? -1);
    return withLinks(rows.reverse().map(toTurn));
  }

  async updateTurn(owner: Owner, sessionId: string, requestId: string, update: TurnUpdate): Promise<boolean> {
    const row = this.statements.latestTurn.get(column(owner), sessionId, requestId);
    if (!row) return false;
    this.statements.updateTurn.run({
      owner: column(owner),
      sessionId,
      seq: row.seq,
      answer: update.answer ?? row.answer,
      model: update.model ?? row.model,
      status: update.status ?? row.status,
      error: update.error ?? row.error,
      firstTokenMs: update.timings?.firstTokenMs ?? row.first_token_ms,
      totalMs: update.timings?.totalMs ?? row.total_ms,
      promptTokens: update.timings?.promptTokens ?? row.prompt_tokens,
      completionTokens: update.timings?.completionTokens ?? row.completion_tokens,
    });
    return true;
  }

  async updateSession(owner: Owner, sessionId: string, update: Partial<SessionSettings>): Promise<SessionSummary | null> {
    const row = this.statements.session.get(column(owner), sessionId);
    if (!row) return null;
    const pick = <K extends 'system' | 'model' | 'temperature'>(k: K, current: SessionSettings[K]) => (k in update ? (update[k] as SessionSettings[K]) : current);
    this.statements.updateSession.run({
      owner: column(owner),
      id: sessionId,
      title: update.title !== undefined ? titleOf(update.title) || row.title : row.title,
      system: pick('system', row.system),
      model: pick('model', row.model),
      temperature: pick('temperature', row.temperature),
    });
    return toSummary(this.statements.session.get(column(owner), sessionId)!);
  }

  async getSession(owner: Owner, sessionId: string): Promise<SessionSummary | null> {
    const row = this.statements.session.get(column(owner), sessionId);
    return row ? toSummary(row) : null;
  }

  async appendTurn(owner: Owner, sessionId: string, userId: string | null, turn: SessionTurn): Promise<void> {
    this.append(column(owner), sessionId, userId, turn);
  }

  async listSessions(options: { scope: OwnerScope; userId?: string; limit?: number }): Promise<SessionSummary[]> {
    const limit = options.limit ?? -1;
    const { userId, scope } = options;
    const s = this.statements;
    let rows: SessionRow[];
    if ('allOwners' in scope) rows = userId !== undefined ? s.listAllByUser.all(userId, limit) : s.listAll.all(limit);
    else rows = userId !== undefined ? s.listByUser.all(column(scope.owner), userId, limit) : s.list.all(column(scope.owner), limit);
    return rows.map(toSummary);
  }

  async deleteSession(owner: Owner, sessionId: string): Promise<boolean> {
    return this.statements.deleteSession.run(column(owner), sessionId).changes > 0;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

function prepareStatements(db: Database.Database) {
  return {
    turns: db.prepare<[string, string, number], TurnRow>(
      `SELECT request_id, question, answer, model, created_at, first_token_ms, total_ms, prompt_tokens, completion_tokens, status, parent_id, error
         FROM turns WHERE owner = ? AND session_id = ? ORDER BY seq DESC LIMIT ?`,
    ),
    latestTurn: db.prepare<[string, string, string], TurnRow & { seq: number }>(
      'SELECT * FROM turns WHERE owner = ? AND session_id = ? AND request_id = ? ORDER BY seq DESC LIMIT 1',
    ),
    updateTurn: db.prepare(
      `UPDATE turns SET answer = @answer, model = @model, status = @status, error = @error, first_token_ms = @firstTokenMs,
         total_ms = @totalMs, prompt_tokens = @promptTokens, completion_tokens = @completionTokens
       WHERE owner = @owner AND session_id = @sessionId AND seq = @seq`,
    ),
    updateSession: db.prepare(
      'UPDATE sessions SET title = @title, system = @system, model = @model, temperature = @temperature WHERE owner = @owner AND id = @id',
    ),
    session: db.prepare<[string, string], SessionRow>('SELECT * FROM sessions WHERE owner = ? AND id = ?'),
    list: db.prepare<[string, number], SessionRow>('SELECT * FROM sessions WHERE owner = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?'),
    listByUser: db.prepare<[string, string, number], SessionRow>(
      'SELECT * FROM sessions WHERE owner = ? AND user_id = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?',
    ),
    listAll: db.prepare<[number], SessionRow>('SELECT * FROM sessions ORDER BY updated_at DESC, rowid DESC LIMIT ?'),
    listAllByUser: db.prepare<[string, number], SessionRow>('SELECT * FROM sessions WHERE user_id = ? ORDER BY updated_at DESC, rowid DESC LIMIT ?'),
    upsertSession: db.prepare(
      `INSERT INTO sessions (owner, id, user_id, title, turns, created_at, updated_at) VALUES (@owner, @id, @userId, @title, 1, @at, @at)
       ON CONFLICT (owner, id) DO UPDATE SET turns = turns + 1, updated_at = MAX(updated_at, excluded.updated_at),
         user_id = COALESCE(user_id, excluded.user_id)
       RETURNING turns`,
    ),
    insertTurn: db.prepare(
      `INSERT INTO turns (owner, session_id, seq, request_id, question, answer, model, created_at, first_token_ms, total_ms, prompt_tokens, completion_tokens, status, parent_id, error)
       VALUES (@owner, @sessionId, @seq, @requestId, @question, @answer, @model, @createdAt, @firstTokenMs, @totalMs, @promptTokens, @completionTokens, @status, @parentId, @error)`,
    ),
    deleteSession: db.prepare<[string, string]>('DELETE FROM sessions WHERE owner = ? AND id = ?'),
  };
}

type Statements = ReturnType<typeof prepareStatements>;

function migrate(db: Database.Database): void {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new Error(`${db.name} has session schema version ${version}; this streamgate knows up to ${SCHEMA_VERSION}`);
  }
  if (version === 1) {
    // Tables are rebuilt, which foreign key checks would trip over halfway; the pragma is a no-op inside a transaction.
    db.pragma('foreign_keys = OFF');
    db.transaction(() => db.exec(FROM_V1))();
    db.pragma('foreign_keys = ON');
  } else {
    db.exec(SCHEMA);
  }
  for (const { table, column: name, type } of ADDED_COLUMNS) {
    const columns = db.pragma(`table_info(${table})`) as { name: string }[];
    if (!columns.some((c) => c.name === name)) db.exec(`ALTER TABLE ${table} ADD COLUMN ${name} ${type}`);
  }
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

/** The `owner` column: '' stands for null (no key name is empty). */
function column(owner: Owner): string {
  return owner ?? '';
}

function titleOf(question: string): string {
  const line = question.trim().replace(/\s+/g, ' ');
  const chars = Array.from(line);
  return chars.length <= TITLE_CHARS ? line : `${chars.slice(0, TITLE_CHARS - 1).join('')}…`;
}

function toTurn(row: TurnRow): SessionTurn {
  return {
    requestId: row.request_id,
    question: row.question,
    answer: row.answer,
    model: row.model,
    createdAt: row.created_at,
    timings: {
      firstTokenMs: row.first_token_ms,
      totalMs: row.total_ms,
      promptTokens: row.prompt_tokens,
      completionTokens: row.completion_tokens,
    },
    status: row.status as TurnStatus,
    // NULL: saved before branches (withLinks fills it in); '': a first question.
    ...(row.parent_id === null ? {} : { parentId: row.parent_id === '' ? null : row.parent_id }),
    ...(row.error !== null ? { error: row.error } : {}),
  };
}

function toSummary(row: SessionRow): SessionSummary {
  return {
    id: row.id,
    owner: row.owner === '' ? null : row.owner,
    userId: row.user_id,
    title: row.title,
    turns: row.turns,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    system: row.system,
    model: row.model,
    temperature: row.temperature,
  };
}
