/** Per-request plumbing shared by the routes: request ids and the one AbortSignal. */
import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

/** An id safe in headers and SSE `id:` lines: URL-safe base64. */
export function randomId(bytes = 12): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * One AbortSignal from the client to the upstream: aborted when the response closes
 * before it finished (the client left), so the provider stops its work at once.
 */
export function abortOnClose(res: Response): AbortController {
  const controller = new AbortController();
  res.once('close', () => {
    if (!res.writableFinished) controller.abort(new DOMException('client disconnected', 'AbortError'));
  });
  return controller;
}

const SAFE_ID = /^[A-Za-z0-9._:@\-]{1,128}$/;

/** The client's `X-Request-Id` when it is a safe token, else a new one. */
export function requestIdOf(req: Request): string {
  const given = req.get('x-request-id');
  return given !== undefined && SAFE_ID.test(given) ? given : randomId();
}
