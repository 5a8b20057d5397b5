/** Per-request plumbing shared by the routes: request ids and the one AbortSignal. */
import type { Request, Response } from 'express';
import { CLIENT_LEFT } from '../core/abort.js';
import { randomText } from '../core/random-text.js';

/** An id safe in headers and SSE `id:` lines: `bytes` random bytes (96 bits by default), URL-safe base64. */
export function randomId(bytes = 12): string {
  return randomText(bytes, 'base64url');
}

/**
 * One AbortSignal from the client to the upstream: aborted when the response closes
 * before it finished (the client left), so the provider stops its work at once.
 */
export function abortOnClose(res: Response): AbortController {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(CLIENT_LEFT);
  });
  return controller;
}

const SAFE_ID = /^[A-Za-z0-9._:@\-]{1,128}$/;

/** The client's `X-Request-Id` when it is a safe token, else a new one. */
export function requestIdOf(req: Request): string {
  const given = req.get('x-request-id');
  return given !== undefined && SAFE_ID.test(given) ? given : randomId();
}

/** The route's pattern (`/v1/chat/completions`), not the path: metric labels stay few whatever clients send. */
export function endpointOf(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : 'other';
}
