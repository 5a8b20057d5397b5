/**
 * `/v1/complete` sessions in Redis, so any instance can continue any conversation.
 * Per session: a hash (userId, title, counts, times) and a list of turns as JSON; indexes
 * are sorted sets by last update (all sessions, and per user). `appendTurn` is one
 * MULTI/EXEC: a turn is stored with its index entries or not at all.
 *
 * Keys are namespaced per owner: a session made without `auth` lives at `sg:sess:<id>`
 * (where sessions lived before owners existed, so they keep owner null), a key's at
 * `sg:own:<base64url(name)>:sess:<id>`. Owned sessions are also listed in
 * `sg:owned:sessions…` (members `[owner, id]` as JSON) for admin keys, who list everyone's.
 *
 * A turn that streams is rewritten in place (LSET at its index: turns are only ever
 * appended, so an index stays put).
 */
import { withLinks } from '../session-turns.js';
import type { Owner, OwnerScope, SessionSettings, SessionStore, SessionSummary, SessionTurn, TurnUpdate } from '../types.js';
import { redisCall, type Redis } from './redis-connection.js';

const TITLE_LENGTH = 60;

export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'sg:',
  ) {}

  private space(owner: Owner) {
    return owner === null ? this.prefix : `${this.prefix}own:${Buffer.from(owner, 'utf8').toString('base64url')}:`;
  }
  private meta(owner: Owner, id: string) {
    return `${this.space(owner)}sess:${id}`;
  }
  private turns(owner: Owner, id: string) {
    return `${this.space(owner)}sess:${id}:turns`;
  }
  private index(owner: Owner, userId: string | null | undefined) {
    return userId ? `${this.space(owner)}sessions:user:${userId}` : `${this.space(owner)}sessions`;
  }
  /** Every owned session, for admin listings (sessions of owner null are in their own index). */
  private ownedIndex(userId: string | null | undefined) {
    return userId ? `${this.prefix}owned:sessions:user:${userId}` : `${this.prefix}owned:sessions`;
  }

  async getTurns(owner: Owner, sessionId: string, limit?: number): Promise<SessionTurn[]> {
    if (limit !== undefined && limit <= 0) return [];
    const start = limit === undefined ? 0 : -limit;
    const raw = await redisCall(() => this.redis.lrange(this.turns(owner, sessionId), start, -1));
    return withLinks(raw.map((text) => JSON.parse(text) as SessionTurn));
  }

  async updateTurn(owner: Owner, sessionId: string, requestId: string, update: TurnUpdate): Promise<boolean> {
    const key = this.turns(owner, sessionId);
    const raw = await redisCall(() => this.redis.lrange(key, 0, -1));
    for (let i = raw.length - 1; i >= 0; i--) {
      const turn = JSON.parse(raw[i]!) as SessionTurn;
      if (turn.requestId !== requestId) continue;
      const next: SessionTurn = { ...turn, ...update, timings: { ...turn.timings, ...update.timings } };
      await redisCall(() => this.redis.lset(key, i, JSON.stringify(next)));
      return true;
    }
    return false;
  }

  async updateSession(owner: Owner, sessionId: string, update: Partial<SessionSettings>): Promise<SessionSummary | null> {
    const meta = this.meta(owner, sessionId);
    if (!(await redisCall(() => this.redis.hexists(meta, 'createdAt')))) return null;
    const tx = this.redis.multi();
    if (update.title !== undefined && update.title.trim() !== '') tx.hset(meta, 'title', titleOf(update.title));
    for (const k of ['system', 'model', 'temperature'] as const) {
      if (!(k in update)) continue;
      const v = update[k];
      if (v === null || v === undefined) tx.hdel(meta, k);
      else tx.hset(meta, k, String(v));
    }
    await redisCall(() => tx.exec());
    return this.getSession(owner, sessionId);
  }

  async appendTurn(owner: Owner, sessionId: string, userId: string | null, turn: SessionTurn): Promise<void> {
    const meta = this.meta(owner, sessionId);
    const title = titleOf(turn.question);
    const user = (await redisCall(() => this.redis.hget(meta, 'userId'))) ?? (userId ?? '');
    const tx = this.redis
      .multi()
      .rpush(this.turns(owner, sessionId), JSON.stringify({ status: 'complete', ...turn }))
      .hsetnx(meta, 'userId', user)
      .hsetnx(meta, 'title', title)
      .hsetnx(meta, 'createdAt', String(turn.createdAt))
      .hincrby(meta, 'turns', 1)
      .hset(meta, 'updatedAt', String(turn.createdAt))
      .zadd(this.index(owner, null), turn.createdAt, sessionId);
    if (user !== '') tx.zadd(this.index(owner, user), turn.createdAt, sessionId);
    if (owner !== null) {
      const member = JSON.stringify([owner, sessionId]);
      tx.zadd(this.ownedIndex(null), turn.createdAt, member);
      if (user !== '') tx.zadd(this.ownedIndex(user), turn.createdAt, member);
    }
    const results = await redisCall(() => tx.exec());
    const failed = results?.find(([err]) => err !== null);
    if (results === null || failed) throw failed?.[0] ?? new Error('session write was aborted');
  }

  async listSessions(options: { scope: OwnerScope; userId?: string; limit?: number }): Promise<SessionSummary[]> {
    const limit = options.limit ?? 50;
    if (limit <= 0) return [];
    const refs = 'allOwners' in options.scope ? await this.everyOwnersIds(options.userId, limit) : await this.idsOf(options.scope.owner, options.userId, limit);
    if (refs.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const ref of refs) pipeline.hgetall(this.meta(ref.owner, ref.id));
    const rows = (await redisCall(() => pipeline.exec())) ?? [];
    const out: SessionSummary[] = [];
    refs.forEach((ref, i) => {
      const fields = rows[i]?.[1] as Record<string, string> | undefined;
      if (!fields || fields.createdAt === undefined) return;
      out.push(toSummary(ref.owner, ref.id, fields));
    });
    return out;
  }

  private async idsOf(owner: Owner, userId: string | undefined, limit: number): Promise<SessionRef[]> {
    const ids = await redisCall(() => this.redis.zrevrange(this.index(owner, userId), 0, limit - 1));
    return ids.map((id) => ({ owner, id }));
  }

  /** The newest `limit` of the owned sessions and owner null's, merged by last update. */
  private async everyOwnersIds(userId: string | undefined, limit: number): Promise<SessionRef[]> {
    const [owned, unowned] = await Promise.all([
      redisCall(() => this.redis.zrevrange(this.ownedIndex(userId), 0, limit - 1, 'WITHSCORES')),
      redisCall(() => this.redis.zrevrange(this.index(null, userId), 0, limit - 1, 'WITHSCORES')),
    ]);
    const refs: Array<SessionRef & { at: number }> = [];
    for (let i = 0; i < owned.length; i += 2) {
      const [owner, id] = JSON.parse(owned[i]!) as [string, string];
      refs.push({ owner, id, at: Number(owned[i + 1]) });
    }
    for (let i = 0; i < unowned.length; i += 2) refs.push({ owner: null, id: unowned[i]!, at: Number(unowned[i + 1]) });
    return refs.sort((a, b) => b.at - a.at).slice(0, limit);
  }

  async getSession(owner: Owner, sessionId: string): Promise<SessionSummary | null> {
    const fields = await redisCall(() => this.redis.hgetall(this.meta(owner, sessionId)));
    if (!fields || fields.createdAt === undefined) return null;
    return toSummary(owner, sessionId, fields);
  }

  async deleteSession(owner: Owner, sessionId: string): Promise<boolean> {
    const user = await redisCall(() => this.redis.hget(this.meta(owner, sessionId), 'userId'));
    const tx = this.redis.multi().del(this.meta(owner, sessionId), this.turns(owner, sessionId)).zrem(this.index(owner, null), sessionId);
    if (user) tx.zrem(this.index(owner, user), sessionId);
    if (owner !== null) {
      const member = JSON.stringify([owner, sessionId]);
      tx.zrem(this.ownedIndex(null), member);
      if (user) tx.zrem(this.ownedIndex(user), member);
    }
    const results = await redisCall(() => tx.exec());
    return Number(results?.[0]?.[1] ?? 0) > 0;
  }

  /** The connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}

interface SessionRef {
  owner: Owner;
  id: string;
}

function toSummary(owner: Owner, id: string, fields: Record<string, string>): SessionSummary {
  return {
    id,
    owner,
    userId: fields.userId ? fields.userId : null,
    title: fields.title ?? '',
    turns: Number(fields.turns ?? 0),
    createdAt: Number(fields.createdAt),
    updatedAt: Number(fields.updatedAt ?? fields.createdAt),
    system: fields.system ?? null,
    model: fields.model ?? null,
    temperature: fields.temperature !== undefined ? Number(fields.temperature) : null,
  };
}

function titleOf(text: string): string {
  return text.replace(/\s+/g, ' ').trim().slice(0, TITLE_LENGTH);
}
