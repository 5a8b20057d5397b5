/** `GET /metrics`: Prometheus exposition of this server's own registry. */
import type { RequestHandler } from 'express';
import type { AppContext } from '../app-context.js';

export function metricsEndpoint(ctx: AppContext): RequestHandler {
  return async (_req, res) => {
    const { contentType, body } = await ctx.metrics.render();
    res.set('Content-Type', contentType).set('Cache-Control', 'no-store').send(body);
  };
}
