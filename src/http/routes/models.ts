/** `GET /v1/models` and `GET /v1/models/:id` in OpenAI's list shape. */
import type { RequestHandler } from 'express';
import type { ModelRoute } from '../../models/registry.js';
import type { AppContext } from '../app-context.js';

function toModel(route: ModelRoute) {
  return { id: route.name, object: 'model', created: route.created, owned_by: route.provider.id === 'sim' ? 'streamgate-simulator' : route.provider.id };
}

export function listModels(ctx: AppContext): RequestHandler {
  return (_req, res) => {
    res.json({ object: 'list', data: ctx.registry.list().map(toModel) });
  };
}

export function getModel(ctx: AppContext): RequestHandler {
  return (req, res) => {
    res.json(toModel(ctx.registry.resolve(String(req.params.id))));
  };
}
