/**
 * Stored `/v1/responses` (`store: true`, OpenAI's default): the response object, who owns
 * it, and the conversation up to it (what `previous_response_id` continues), each kept for
 * `responses.retentionMs`. Embedded: SQLite in `dataDir/responses.db` (`:memory:` for
 * `store.type: memory`); shared: Redis (`redis/redis-response-store.ts`).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { ChatMessage } from '../providers/types.js';

export interface StoredResponse {
  /** The key name that created it (null without auth): another key gets a 404. */
  owner: string | null;
  /** The response object as last saved (`in_progress` while a background run goes on). */
  response: { id: string; status: string; background?: boolean };
  /** The conversation through this response's output, as the next turn's history. */
  messages: ChatMessage[];
  /** The stream id of its run (a background response is read and resumed through it). */
  streamId?: string;
}

export interface ResponseStore {
  put(record: StoredResponse, ttlMs: number): Promise<void>;
  /** Null when unknown or expired. */
  get(id: string): Promise<StoredResponse | null>;
  /** True if something was deleted. */
  delete(id: string): Promise<boolean>;
  close(): Promise<void>;
}

export class SqliteResponseStore implements ResponseStore {
  private readonly db: Database.Database;

  /** `dataDir` is created if missing; `:memory:` forgets on close. */
  constructor(dataDir: string) {
    let path = ':memory:';
    if (dataDir !== ':memory:') {
      mkdirSync(dataDir, { recursive: true });
      path = join(dataDir, 'responses.db');
    }
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec('CREATE TABLE IF NOT EXISTS responses (id TEXT PRIMARY KEY, record TEXT NOT NULL, expires_at INTEGER NOT NULL) WITHOUT ROWID');
    this.db.exec('CREATE INDEX IF NOT EXISTS responses_by_expiry ON responses (expires_at)');
  }

  async put(record: StoredResponse, ttlMs: number): Promise<void> {
    const now = Date.now();
    this.db.prepare('DELETE FROM responses WHERE expires_at <= ?').run(now);
    this.db.prepare('INSERT OR REPLACE INTO responses (id, record, expires_at) VALUES (?, ?, ?)').run(record.response.id, JSON.stringify(record), now + ttlMs);
  }

  async get(id: string): Promise<StoredResponse | null> {
    const row = this.db.prepare('SELECT record FROM responses WHERE id = ? AND expires_at > ?').get(id, Date.now()) as { record: string } | undefined;
    return row ? (JSON.parse(row.record) as StoredResponse) : null;
  }

  async delete(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM responses WHERE id = ? AND expires_at > ?').run(id, Date.now()).changes > 0;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
