/**
 * `GET /metrics`: Prometheus exposition of this server's own registry. Without `auth`,
 * open. With `auth` and `metrics.requireKey: true`, an admin key only (401 without a key,
 * 403 with another). With `auth` and `requireKey: false`, open, but each caller sees the
 * models `GET /v1/models` would show it: an admin key all, another key its own, no key
 * none (series without a model stay).
 */
import type { RequestHandler } from 'express';
import { filterModels } from '../../metrics/filter-models.js';
import { ModelRegistry } from '../../models/registry.js';
import type { AppContext } from '../app-context.js';
import { authenticate, keyOf } from '../auth.js';
import { requireAdmin } from '../owner.js';

export function metricsEndpoint(ctx: AppContext): RequestHandler[] {
  const { config, logger } = ctx;
  const render: RequestHandler = async (_req, res) => {
    const { contentType, body } = await ctx.metrics.render();
    const key = keyOf(res);
    const visible = !config.auth || key?.admin ? body : filterModels(body, (model) => key !== undefined && ModelRegistry.allowed(model, key.models));
    res.set('Content-Type', contentType).set('Cache-Control', 'no-store').send(visible);
  };
  if (!config.auth) return [render];
  if (config.metrics.requireKey) return [authenticate(config, logger), requireAdmin, render];
  return [authenticate(config, logger, { optional: true }), render];
}
