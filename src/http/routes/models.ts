/** `GET /v1/models` and `GET /v1/models/:id` in OpenAI's list shape. */
import type { RequestHandler } from 'express';
import { ModelRegistry, type ModelRoute } from '../../models/registry.js';
import type { AppContext } from '../app-context.js';
import { keyOf } from '../auth.js';

function toModel(route: ModelRoute) {
  return { id: route.name, object: 'model', created: route.created, owned_by: route.provider.id === 'sim' ? 'streamgate-simulator' : route.provider.id };
}

export function listModels(ctx: AppContext): RequestHandler {
  return (_req, res) => {
    // A key sees the models it may use.
    const globs = keyOf(res)?.models;
    const routes = ctx.registry.list().filter((r) => !globs || ModelRegistry.allowed(r.name, globs));
    res.json({ object: 'list', data: routes.map(toModel) });
  };
}

export function getModel(ctx: AppContext): RequestHandler {
  return (req, res) => {
    res.json(toModel(ctx.registry.resolve(String(req.params.id), keyOf(res)?.models)));
  };
}
