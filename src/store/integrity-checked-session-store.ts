/**
 * The embedded SQLite session store, with its file checked: `PRAGMA quick_check` runs
 * before the store opens the file and again whenever SQLite reports damage. A damaged
 * file does not stop the server: every session call gets `503 store_corrupt` at once,
 * `/healthz` answers 503 naming the problem, and one error line names the file. The
 * streaming endpoints that need no session keep working. The file is never repaired or
 * replaced here; an operator restores it (or moves it away) and restarts.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { ServiceUnavailableError } from '../core/errors.js';
import type { Logger } from '../logger.js';
import type { Owner, OwnerScope, SessionSettings, SessionStore, SessionSummary, SessionTurn, StoreProblem, TurnUpdate } from './types.js';

/** SQLite result codes that mean the file itself is damaged (not a busy lock or a full disk). */
const DAMAGE_CODES = /^SQLITE_(CORRUPT|NOTADB)/;

function isDamage(err: unknown): boolean {
  return err instanceof Error && DAMAGE_CODES.test(String((err as { code?: unknown }).code ?? ''));
}

/** `PRAGMA quick_check` on its own read-only connection: null when the file is sound, else what SQLite found (first lines). */
export function quickCheck(path: string): string | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    const rows = db.pragma('quick_check(5)') as Array<{ quick_check: string }>;
    const found = rows.map((r) => r.quick_check).filter((line) => line !== 'ok');
    return found.length === 0 ? null : found.join('; ');
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  } finally {
    db?.close();
  }
}

export interface IntegrityCheckedOptions {
  /** The database file (`:memory:` is never checked). */
  path: string;
  /** Opens the store on `path`; called once, after the check passed. */
  open: () => SessionStore;
  logger?: Logger;
}

export class IntegrityCheckedSessionStore implements SessionStore {
  private store: SessionStore | null = null;
  private damage: StoreProblem | null = null;

  constructor(private readonly options: IntegrityCheckedOptions) {
    const checked = options.path !== ':memory:' && existsSync(options.path);
    const found = checked ? quickCheck(options.path) : null;
    if (found !== null) {
      this.markDamaged(found);
      return;
    }
    try {
      this.store = options.open();
    } catch (err) {
      if (!isDamage(err)) throw err;
      this.markDamaged((err as Error).message);
    }
  }

  problem(): StoreProblem | null {
    return this.damage;
  }

  getTurns(owner: Owner, sessionId: string, limit?: number): Promise<SessionTurn[]> {
    return this.use((s) => s.getTurns(owner, sessionId, limit));
  }

  getSession(owner: Owner, sessionId: string): Promise<SessionSummary | null> {
    return this.use((s) => s.getSession(owner, sessionId));
  }

  appendTurn(owner: Owner, sessionId: string, userId: string | null, turn: SessionTurn): Promise<void> {
    return this.use((s) => s.appendTurn(owner, sessionId, userId, turn));
  }

  updateTurn(owner: Owner, sessionId: string, requestId: string, update: TurnUpdate): Promise<boolean> {
    return this.use((s) => s.updateTurn(owner, sessionId, requestId, update));
  }

  updateSession(owner: Owner, sessionId: string, update: Partial<SessionSettings>): Promise<SessionSummary | null> {
    return this.use((s) => s.updateSession(owner, sessionId, update));
  }

  listSessions(options: { scope: OwnerScope; userId?: string; limit?: number }): Promise<SessionSummary[]> {
    return this.use((s) => s.listSessions(options));
  }

  deleteSession(owner: Owner, sessionId: string): Promise<boolean> {
    return this.use((s) => s.deleteSession(owner, sessionId));
  }

  async close(): Promise<void> {
    await this.store?.close();
  }

  private async use<T>(call: (store: SessionStore) => Promise<T>): Promise<T> {
    if (this.damage !== null || this.store === null) throw this.unavailable();
    try {
      return await call(this.store);
    } catch (err) {
      if (!isDamage(err)) throw err;
      const found = this.options.path === ':memory:' ? null : quickCheck(this.options.path);
      this.markDamaged(found ?? (err as Error).message);
      throw this.unavailable(err);
    }
  }

  private markDamaged(found: string): void {
    if (this.damage !== null) return;
    this.damage = { status: 'store_corrupt', message: `the session database is damaged: ${found.slice(0, 300)}`, fatal: true };
    this.options.logger?.error(
      { file: this.options.path, found },
      `session database ${this.options.path} is damaged (PRAGMA quick_check); session calls answer 503 store_corrupt until it is restored and streamgate restarted`,
    );
  }

  private unavailable(cause?: unknown): ServiceUnavailableError {
    return new ServiceUnavailableError('The session store is damaged: sessions are unavailable until an operator restores it.', {
      code: 'store_corrupt',
      cause,
    });
  }
}
