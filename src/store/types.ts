/**
 * Storage interfaces, kept small so each has an embedded default and a Redis
 * implementation (shared by every instance behind a load balancer).
 */

/**
 * Where a turn's answer is: `streaming` while the model writes it (its text is saved as it
 * grows), then `complete`, `stopped` (cancelled; the text so far is kept and is context
 * for later questions) or `failed` (the text so far is kept, `error` says why).
 */
export type TurnStatus = 'streaming' | 'complete' | 'stopped' | 'failed';

export const TURN_STATUSES: readonly TurnStatus[] = ['streaming', 'complete', 'stopped', 'failed'];

/** One question-and-answer turn of a `/v1/complete` session. */
export interface SessionTurn {
  requestId: string;
  question: string;
  /** The answer text, `<think>` tags included: all of it once `complete`, what was written so far otherwise. */
  answer: string;
  model: string;
  /** Unix ms. */
  createdAt: number;
  /** Measured figures of the run (ms and token counts). */
  timings: { firstTokenMs: number; totalMs: number; promptTokens: number; completionTokens: number };
  /** Always set when read; `complete` when not given (and for turns stored before statuses existed). */
  status?: TurnStatus;
  /**
   * The turn whose answer this question follows; null for a session's first question.
   * Regenerate and edit make siblings (turns with the same parent): the earlier answer
   * stays. Always set when read; turns stored before branches follow the turn before them.
   */
  parentId?: string | null;
  /** Why a `failed` turn failed. */
  error?: string;
}

/** What may change on a turn after it started. */
export type TurnUpdate = Partial<Pick<SessionTurn, 'answer' | 'status' | 'model' | 'timings' | 'error'>>;

/** What belongs to a conversation besides its turns; null = not set (the server's defaults). */
export interface SessionSettings {
  title: string;
  system: string | null;
  model: string | null;
  temperature: number | null;
}

export interface SessionSummary {
  id: string;
  /** The key name that made it (null: made without `auth`); ids are unique per owner only. */
  owner: Owner;
  userId: string | null;
  /** The first question, shortened: what a sidebar shows. */
  title: string;
  turns: number;
  createdAt: number;
  updatedAt: number;
  /** The conversation's own system prompt, model and temperature (null = not set). */
  system: string | null;
  model: string | null;
  temperature: number | null;
}

/** Something wrong with a store, as `/healthz` and the logs name it. */
export interface StoreProblem {
  /** Stable name: `store_unavailable`, `store_corrupt`, `stream_log_degraded`. */
  status: string;
  /** What is wrong, for an operator (no secrets, no file paths). */
  message: string;
  /** True when requests fail because of it (`/healthz` 503); false when the server serves with less (200 `degraded`). */
  fatal: boolean;
}

/**
 * Sessions are namespaced by owner: the same id under two owners is two sessions, so one
 * key can neither read nor learn of another's.
 */
export interface SessionStore {
  /** The last `limit` turns, oldest first (all when `limit` is absent, none when it is 0). */
  getTurns(owner: Owner, sessionId: string, limit?: number): Promise<SessionTurn[]>;
  /** The session's summary, or null when it has no turns. */
  getSession(owner: Owner, sessionId: string): Promise<SessionSummary | null>;
  /** Appends a turn atomically (never half-written): a finished one, or one that starts `streaming`. */
  appendTurn(owner: Owner, sessionId: string, userId: string | null, turn: SessionTurn): Promise<void>;
  /** Changes the latest turn with this requestId; false when there is none. */
  updateTurn(owner: Owner, sessionId: string, requestId: string, update: TurnUpdate): Promise<boolean>;
  /** Changes the conversation's title or settings; the summary after, or null when there is no such session. */
  updateSession(owner: Owner, sessionId: string, update: Partial<SessionSettings>): Promise<SessionSummary | null>;
  /** Newest first. */
  listSessions(options: { scope: OwnerScope; userId?: string; limit?: number }): Promise<SessionSummary[]>;
  /** True if something was deleted. */
  deleteSession(owner: Owner, sessionId: string): Promise<boolean>;
  /** What keeps this store from working, or null while it works (absent: it never reports). */
  problem?(): StoreProblem | null;
  close(): Promise<void>;
}

/** Counters for rate limits, per key. */
export interface RateLimitStore {
  /** Counts one request in the current window; returns the count and ms until the window resets. */
  hit(key: string, windowMs: number): Promise<{ count: number; resetMs: number }>;
  /** Takes a concurrent-stream slot if fewer than `limit` are held; returns a release function or null. */
  acquire(key: string, limit: number, ttlMs: number): Promise<(() => Promise<void>) | null>;
  close(): Promise<void>;
}

/**
 * Who owns a stored thing: the `name` of the API key that made it (so a key whose secret
 * is rotated keeps its data), or null when it was made without `auth`.
 */
export type Owner = string | null;

/** What a listing covers: one owner's things, or every owner's (admin keys). */
export type OwnerScope = { owner: Owner } | { allOwners: true };
/** One stream's usage, added to the ledger when the stream ended. */
export interface UsageRecord {
  /** UTC day, `YYYY-MM-DD`. */
  day: string;
  /** The API key's `name`; '' without `auth`. */
  key: string;
  /** The model that served (a fallback, if the one asked for failed). */
  model: string;
  /** The request's `user` / `userId`; '' when it named none. */
  user: string;
  promptTokens: number;
  completionTokens: number;
  /** True when the counts are (partly) streamgate's estimate, not the provider's report. */
  estimated: boolean;
}

/** A ledger row: one key, model, end user and UTC day. */
export interface UsageRow {
  day: string;
  key: string;
  model: string;
  user: string;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** Of prompt + completion, tokens of streams whose counts were estimated. */
  estimatedTokens: number;
}

/** What a key has spent on one UTC day (what budgets compare with). */
export interface DaySpend {
  /** Requests admitted (counted when they start). */
  requests: number;
  /** Prompt + completion tokens of the streams that ended. */
  tokens: number;
}

export interface DayLimits {
  tokensPerDay?: number;
  requestsPerDay?: number;
}

/**
 * The usage ledger and the budget counters behind `GET /v1/usage` and
 * `auth.keys[].budget`. Every operation is atomic in the store (a transaction in SQLite,
 * one Lua script or MULTI in Redis), so several instances sharing it stay exact.
 */
export interface UsageLedger {
  /**
   * Admits one request of `key` on `day` unless its budget is spent: tokens already at or
   * over `tokensPerDay`, or `requestsPerDay` requests already admitted. An admitted request
   * is counted at once; a refused one is not.
   */
  admit(key: string, day: string, limits: DayLimits): Promise<{ admitted: boolean; spend: DaySpend }>;
  /** Adds one ended stream to its row and its key's day. */
  record(entry: UsageRecord): Promise<void>;
  /** Rows of the days from `from` to `to` (inclusive, `YYYY-MM-DD`), of one key when given; newest day first. */
  list(query: { from: string; to: string; key?: string }): Promise<UsageRow[]>;
  /** What `key` spent on `day`. */
  spend(key: string, day: string): Promise<DaySpend>;
  close(): Promise<void>;
}
