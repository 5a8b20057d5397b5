/**
 * `/v1/complete` sessions in Redis, so any instance can continue any conversation.
 * Per session: a hash (owner, title, counts, times) and a list of turns as JSON; indexes
 * are sorted sets by last update (all sessions, and per user). `appendTurn` is one
 * MULTI/EXEC: a turn is stored with its index entries or not at all.
 */
import type { SessionStore, SessionSummary, SessionTurn } from '../types.js';
import { redisCall, type Redis } from './redis-connection.js';

const TITLE_LENGTH = 60;

export class RedisSessionStore implements SessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'sg:',
  ) {}

  private meta(id: string) {
    return `${this.prefix}sess:${id}`;
  }
  private turns(id: string) {
    return `${this.prefix}sess:${id}:turns`;
  }
  private index(userId: string | null | undefined) {
    return userId ? `${this.prefix}sessions:user:${userId}` : `${this.prefix}sessions`;
  }

  async getTurns(sessionId: string, limit?: number): Promise<SessionTurn[]> {
    if (limit !== undefined && limit <= 0) return [];
    const start = limit === undefined ? 0 : -limit;
    const raw = await redisCall(() => this.redis.lrange(this.turns(sessionId), start, -1));
    return raw.map((text) => JSON.parse(text) as SessionTurn);
  }

  async appendTurn(sessionId: string, userId: string | null, turn: SessionTurn): Promise<void> {
    const meta = this.meta(sessionId);
    const title = turn.question.replace(/\s+/g, ' ').trim().slice(0, TITLE_LENGTH);
    const owner = (await redisCall(() => this.redis.hget(meta, 'userId'))) ?? (userId ?? '');
    const tx = this.redis
      .multi()
      .rpush(this.turns(sessionId), JSON.stringify(turn))
      .hsetnx(meta, 'userId', owner)
      .hsetnx(meta, 'title', title)
      .hsetnx(meta, 'createdAt', String(turn.createdAt))
      .hincrby(meta, 'turns', 1)
      .hset(meta, 'updatedAt', String(turn.createdAt))
      .zadd(this.index(null), turn.createdAt, sessionId);
    if (owner !== '') tx.zadd(this.index(owner), turn.createdAt, sessionId);
    const results = await redisCall(() => tx.exec());
    const failed = results?.find(([err]) => err !== null);
    if (results === null || failed) throw failed?.[0] ?? new Error('session write was aborted');
  }

  async listSessions(options: { userId?: string; limit?: number }): Promise<SessionSummary[]> {
    const limit = options.limit ?? 50;
    if (limit <= 0) return [];
    const ids = await redisCall(() => this.redis.zrevrange(this.index(options.userId), 0, limit - 1));
    if (ids.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const id of ids) pipeline.hgetall(this.meta(id));
    const rows = (await redisCall(() => pipeline.exec())) ?? [];
    const out: SessionSummary[] = [];
    ids.forEach((id, i) => {
      const fields = rows[i]?.[1] as Record<string, string> | undefined;
      if (!fields || fields.createdAt === undefined) return;
      out.push(toSummary(id, fields));
    });
    return out;
  }

  async getSession(sessionId: string): Promise<SessionSummary | null> {
    const fields = await redisCall(() => this.redis.hgetall(this.meta(sessionId)));
    if (!fields || fields.createdAt === undefined) return null;
    return toSummary(sessionId, fields);
  }

  async deleteSession(sessionId: string): Promise<boolean> {
    const owner = await redisCall(() => this.redis.hget(this.meta(sessionId), 'userId'));
    const tx = this.redis.multi().del(this.meta(sessionId), this.turns(sessionId)).zrem(this.index(null), sessionId);
    if (owner) tx.zrem(this.index(owner), sessionId);
    const results = await redisCall(() => tx.exec());
    return Number(results?.[0]?.[1] ?? 0) > 0;
  }

  /** The connection belongs to whoever opened it. */
  async close(): Promise<void> {}
}

function toSummary(id: string, fields: Record<string, string>): SessionSummary {
  return {
    id,
    userId: fields.userId ? fields.userId : null,
    title: fields.title ?? '',
    turns: Number(fields.turns ?? 0),
    createdAt: Number(fields.createdAt),
    updatedAt: Number(fields.updatedAt ?? fields.createdAt),
  };
}
