/**
 * `GET /v1/usage`: the usage ledger as JSON, one row per UTC day, key, model and end user.
 * A key sees its own rows (and its budget for today); an `admin` key, or anyone when no
 * keys are configured, sees every key's and may narrow with `key=`.
 *
 *   GET /v1/usage?from=2026-11-01&to=2026-11-30&model=sim-chat&user=u1
 */
import type { RequestHandler } from 'express';
import { InvalidRequestError, PermissionDeniedError } from '../../core/errors.js';
import type { UsageRow } from '../../store/types.js';
import { daysBefore, nextUtcMidnight, utcDay } from '../../usage/utc-day.js';
import type { AppContext } from '../app-context.js';
import { keyOf } from '../auth.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** The longest range one request may ask for, in days. */
export const MAX_USAGE_DAYS = 366;
const DEFAULT_DAYS = 30;

export function usageEndpoint(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const query = req.query as Record<string, unknown>;
    const to = dayParam(query, 'to') ?? utcDay();
    const from = dayParam(query, 'from') ?? daysBefore(to, DEFAULT_DAYS - 1);
    if (from > to) throw new InvalidRequestError(`from must not be after to, got from=${from} and to=${to}`, { param: 'from', code: 'invalid_value' });
    if (Date.parse(to) - Date.parse(from) >= MAX_USAGE_DAYS * 86_400_000) {
      throw new InvalidRequestError(`from and to may span at most ${MAX_USAGE_DAYS} days`, { param: 'from', code: 'invalid_value' });
    }
    const key = keyOf(res);
    const seesAll = !key || key.admin === true;
    const askedKey = textParam(query, 'key');
    if (!seesAll && askedKey !== undefined && askedKey !== key.name) {
      throw new PermissionDeniedError('This API key may only see its own usage (an admin key sees every key).', { param: 'key', code: 'usage_not_allowed' });
    }
    const model = textParam(query, 'model');
    const user = textParam(query, 'user');
    const scope = seesAll ? askedKey : key.name;
    const rows = (await ctx.usage.list({ from, to, ...(scope !== undefined ? { key: scope } : {}) })).filter(
      (r) => (model === undefined || r.model === model) && (user === undefined || r.user === user),
    );
    const data = rows.map(toJson);
    const totals = { requests: 0, prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, estimated_tokens: 0 };
    for (const r of data) {
      totals.requests += r.requests;
      totals.prompt_tokens += r.prompt_tokens;
      totals.completion_tokens += r.completion_tokens;
      totals.total_tokens += r.total_tokens;
      totals.estimated_tokens += r.estimated_tokens;
    }
    const body: Record<string, unknown> = { object: 'usage', from, to, key: scope ?? null, data, totals };
    if (key?.budget) {
      const today = await ctx.usage.spend(key.name, utcDay());
      body.budget = {
        tokens_per_day: key.budget.tokensPerDay ?? null,
        requests_per_day: key.budget.requestsPerDay ?? null,
        today: { tokens: today.tokens, requests: today.requests },
        resets_at: new Date(nextUtcMidnight()).toISOString(),
      };
    }
    res.json(body);
  };
}

function toJson(r: UsageRow) {
  return {
    day: r.day,
    key: r.key === '' ? null : r.key,
    model: r.model,
    user: r.user === '' ? null : r.user,
    requests: r.requests,
    prompt_tokens: r.promptTokens,
    completion_tokens: r.completionTokens,
    total_tokens: r.promptTokens + r.completionTokens,
    estimated_tokens: r.estimatedTokens,
  };
}

function textParam(query: Record<string, unknown>, name: string): string | undefined {
  const v = query[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new InvalidRequestError(`${name} must be a non-empty string`, { param: name, code: 'invalid_value' });
  return v;
}

function dayParam(query: Record<string, unknown>, name: string): string | undefined {
  const v = textParam(query, name);
  if (v === undefined) return undefined;
  if (!DAY.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)) || utcDay(Date.parse(`${v}T00:00:00Z`)) !== v) {
    throw new InvalidRequestError(`${name} must be a UTC day as YYYY-MM-DD, got '${v}'`, { param: name, code: 'invalid_value' });
  }
  return v;
}
