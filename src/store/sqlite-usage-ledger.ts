/**
 * The embedded usage ledger: SQLite in `dataDir/usage.db` (WAL), beside the session store.
 * `admit` is one IMMEDIATE transaction, so processes sharing the file stay exact too; each
 * statement is a short indexed read or write.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { DayLimits, DaySpend, UsageLedger, UsageRecord, UsageRow } from './types.js';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS usage (
  day               TEXT NOT NULL,
  key               TEXT NOT NULL,
  model             TEXT NOT NULL,
  user              TEXT NOT NULL,
  requests          INTEGER NOT NULL,
  prompt_tokens     INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  estimated_tokens  INTEGER NOT NULL,
  PRIMARY KEY (day, key, model, user)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS budget_days (
  key      TEXT NOT NULL,
  day      TEXT NOT NULL,
  requests INTEGER NOT NULL,
  tokens   INTEGER NOT NULL,
  PRIMARY KEY (key, day)
) WITHOUT ROWID;
`;

interface Row {
  day: string;
  key: string;
  model: string;
  user: string;
  requests: number;
  prompt_tokens: number;
  completion_tokens: number;
  estimated_tokens: number;
}

export class SqliteUsageLedger implements UsageLedger {
  private readonly db: Database.Database;
  private readonly admitTx: (key: string, day: string, limits: DayLimits) => { admitted: boolean; spend: DaySpend };
  private readonly recordTx: (entry: UsageRecord) => void;
  private readonly spendOf: Database.Statement<[string, string], DaySpend>;
  private readonly rows: Database.Statement<[string, string], Row>;
  private readonly rowsOfKey: Database.Statement<[string, string, string], Row>;

  /** `dataDir`: a directory (created if missing) for `usage.db`, or `:memory:`. */
  constructor(options: { dataDir: string }) {
    let path = ':memory:';
    if (options.dataDir !== ':memory:') {
      mkdirSync(options.dataDir, { recursive: true });
      path = join(options.dataDir, 'usage.db');
    }
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.spendOf = this.db.prepare('SELECT requests, tokens FROM budget_days WHERE key = ? AND day = ?');
    const countRequest = this.db.prepare(
      `INSERT INTO budget_days (key, day, requests, tokens) VALUES (?, ?, 1, 0)
       ON CONFLICT (key, day) DO UPDATE SET requests = requests + 1`,
    );
    const addTokens = this.db.prepare(
      `INSERT INTO budget_days (key, day, requests, tokens) VALUES (@key, @day, 0, @tokens)
       ON CONFLICT (key, day) DO UPDATE SET tokens = tokens + @tokens`,
    );
    const addRow = this.db.prepare(
      `INSERT INTO usage VALUES (@day, @key, @model, @user, 1, @prompt, @completion, @estimated)
       ON CONFLICT (day, key, model, user) DO UPDATE SET requests = requests + 1, prompt_tokens = prompt_tokens + @prompt,
         completion_tokens = completion_tokens + @completion, estimated_tokens = estimated_tokens + @estimated`,
    );
    const select = 'SELECT * FROM usage WHERE day >= ? AND day <= ?';
    this.rows = this.db.prepare(`${select} ORDER BY day DESC, key, model, user`);
    this.rowsOfKey = this.db.prepare(`${select} AND key = ? ORDER BY day DESC, key, model, user`);

    const admit = this.db.transaction((key: string, day: string, limits: DayLimits) => {
      const spend = this.spendOf.get(key, day) ?? { requests: 0, tokens: 0 };
      if (overBudget(spend, limits)) return { admitted: false, spend };
      countRequest.run(key, day);
      return { admitted: true, spend: { requests: spend.requests + 1, tokens: spend.tokens } };
    });
    this.admitTx = (key, day, limits) => admit.immediate(key, day, limits);
    this.recordTx = this.db.transaction((e: UsageRecord) => {
      const tokens = e.promptTokens + e.completionTokens;
      addTokens.run({ key: e.key, day: e.day, tokens });
      addRow.run({ day: e.day, key: e.key, model: e.model, user: e.user, prompt: e.promptTokens, completion: e.completionTokens, estimated: e.estimated ? tokens : 0 });
    });
  }

  async admit(key: string, day: string, limits: DayLimits): Promise<{ admitted: boolean; spend: DaySpend }> {
    return this.admitTx(key, day, limits);
  }

  async record(entry: UsageRecord): Promise<void> {
    this.recordTx(entry);
  }

  async list(query: { from: string; to: string; key?: string }): Promise<UsageRow[]> {
    const rows = query.key !== undefined ? this.rowsOfKey.all(query.from, query.to, query.key) : this.rows.all(query.from, query.to);
    return rows.map((r) => ({
      day: r.day,
      key: r.key,
      model: r.model,
      user: r.user,
      requests: r.requests,
      promptTokens: r.prompt_tokens,
      completionTokens: r.completion_tokens,
      estimatedTokens: r.estimated_tokens,
    }));
  }

  async spend(key: string, day: string): Promise<DaySpend> {
    return this.spendOf.get(key, day) ?? { requests: 0, tokens: 0 };
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}

/** True when a key that spent `spend` may not start another request. */
export function overBudget(spend: DaySpend, limits: DayLimits): boolean {
  return (limits.tokensPerDay !== undefined && spend.tokens >= limits.tokensPerDay) || (limits.requestsPerDay !== undefined && spend.requests >= limits.requestsPerDay);
}
