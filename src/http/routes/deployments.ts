/**
 * `GET /v1/deployments`: every deployment's health, cooldown, load, latency and picks, for
 * operators. With `auth`, only an `admin: true` key may read it (it names every provider
 * and model, also those a key may not use): mounted after `requireAdmin`.
 */
import type { RequestHandler } from 'express';
import { deploymentStatuses } from '../../models/deployment-status.js';
import type { AppContext } from '../app-context.js';

export function listDeployments(ctx: AppContext): RequestHandler {
  return (_req, res) => {
    res.set('Cache-Control', 'no-store').json({ object: 'list', data: deploymentStatuses(ctx.registry) });
  };
}
