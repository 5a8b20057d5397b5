/**
 * `GET /v1/deployments`: every deployment's health, cooldown, load, latency and picks, for
 * operators. With `auth`, only an `admin: true` key may read it (it names every provider
 * and model, also those a key may not use).
 */
import type { RequestHandler } from 'express';
import { PermissionDeniedError } from '../../core/errors.js';
import { deploymentStatuses } from '../../models/deployment-status.js';
import type { AppContext } from '../app-context.js';
import { keyOf } from '../auth.js';

export function listDeployments(ctx: AppContext): RequestHandler {
  return (_req, res) => {
    const key = keyOf(res);
    if (key && !key.admin) throw new PermissionDeniedError('GET /v1/deployments needs an admin key (admin: true in auth.keys).', { code: 'admin_required' });
    res.set('Cache-Control', 'no-store').json({ object: 'list', data: deploymentStatuses(ctx.registry) });
  };
}
