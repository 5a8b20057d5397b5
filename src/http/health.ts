/**
 * What `GET /healthz` says, from what the stores report:
 * - `503 {"status":"draining"}` while shutting down;
 * - `503 {"status":"<problem>","problems":[…]}` when requests fail because of a store
 *   (`store_unavailable`: Redis does not answer; `store_corrupt`: the session database is damaged),
 *   so a load balancer stops sending;
 * - `200 {"status":"degraded","problems":[…]}` when the server serves with less
 *   (`stream_log_degraded`: some streams could not be written to the shared log and
 *   cannot be resumed on another instance);
 * - `200 {"status":"ok"}`.
 */
import type { AppContext } from './app-context.js';
import type { StoreProblem } from '../store/types.js';

export interface HealthAnswer {
  status: number;
  body: { status: string; problems?: Array<{ status: string; message: string }> };
}

export function health(ctx: AppContext): HealthAnswer {
  if (ctx.streams.draining) return { status: 503, body: { status: 'draining' } };
  const sessions = ctx.sessions.problem?.() ?? null;
  const problems: StoreProblem[] = [...ctx.stores.problems(), ...(sessions ? [sessions] : [])];
  if (problems.length === 0) return { status: 200, body: { status: 'ok' } };
  const listed = problems.map(({ status, message }) => ({ status, message }));
  const fatal = problems.find((p) => p.fatal);
  if (fatal) return { status: 503, body: { status: fatal.status, problems: listed } };
  return { status: 200, body: { status: 'degraded', problems: listed } };
}
