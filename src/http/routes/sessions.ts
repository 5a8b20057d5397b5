/**
 * The sessions of `/v1/complete`: `GET /v1/sessions?userId=&limit=` (newest first),
 * `GET /v1/sessions/:id` (the settings and the turns, each with its status and parent),
 * `PATCH /v1/sessions/:id` (title, system prompt, model, temperature) and
 * `DELETE /v1/sessions/:id` (forget them). Each covers the caller's own sessions only
 * (`owner.ts`): another key's id is an unknown id.
 */
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../core/errors.js';
import type { AppContext } from '../app-context.js';
import { assertModelAllowed, keyOf } from '../auth.js';
import { targetOwner, targetScope } from '../owner.js';
import { fromQuery } from '../schemas/complete.js';
import { parseRequest, numberIn } from '../validation.js';

export const SESSIONS_PATH = '/v1/sessions';
export const DEFAULT_SESSION_LIST_LIMIT = 50;

const listQuerySchema = z.looseObject({
  userId: z.string().min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' }).optional(),
  limit: numberIn({ gte: 1, lte: 1000 }, true).optional(),
});

export function listSessions(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const query = parseRequest(listQuerySchema, fromQuery(req.query as Record<string, unknown>, ['limit']));
    const data = await ctx.sessions.listSessions({
      scope: targetScope(req, res),
      ...(query.userId !== undefined ? { userId: query.userId } : {}),
      limit: query.limit ?? DEFAULT_SESSION_LIST_LIMIT,
    });
    res.json({ object: 'list', data });
  };
}

export function getSession(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id);
    const owner = targetOwner(req, res);
    const session = await ctx.sessions.getSession(owner, id);
    if (!session) throw unknownSession(id);
    res.json({ ...session, owner, turns: await ctx.sessions.getTurns(owner, id) });
  };
}

const patchSchema = z.strictObject({
  title: z.string({ error: 'must be a string' }).refine((t) => t.trim() !== '', { error: 'must not be empty' }).optional(),
  system: z.string({ error: 'must be a string or null' }).nullable().optional(),
  model: z.string({ error: 'must be a string or null' }).min(1, { error: 'must not be empty' }).nullable().optional(),
  temperature: numberIn({ gte: 0, lte: 2 }).nullable().optional(),
});

/** Changes what belongs to the conversation; null clears a setting (the request's or the server's default applies). */
export function patchSession(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id);
    const update = parseRequest(patchSchema, req.body);
    if (typeof update.model === 'string') {
      assertModelAllowed(res, update.model);
      ctx.registry.resolve(update.model, keyOf(res)?.models);
    }
    const session = await ctx.sessions.updateSession(targetOwner(req, res), id, update);
    if (!session) throw unknownSession(id);
    res.json(session);
  };
}

export function deleteSession(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id);
    if (!(await ctx.sessions.deleteSession(targetOwner(req, res), id))) throw unknownSession(id);
    res.json({ id, deleted: true });
  };
}

function unknownSession(id: string): NotFoundError {
  return new NotFoundError(`No session '${id.slice(0, 200)}': it has no saved turns, or it was deleted.`, { code: 'session_not_found', param: 'id' });
}
