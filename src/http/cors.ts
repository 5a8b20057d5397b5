/**
 * CORS for browser pages on other origins (`cors.origins` in the config). A preflight is
 * answered before authentication, since browsers never send the key with it; the real
 * request then goes through auth as usual. Keys travel in `Authorization`, never in
 * cookies, so credentials are not allowed and the origin list is the only gate.
 */
import type { RequestHandler } from 'express';
import { PermissionDeniedError, toOpenAIErrorBody } from '../core/errors.js';

export interface CorsOptions {
  /** Exact origins, `*` for any, or patterns where `*` stands for one label or a port (`https://*.example.com`). */
  origins: readonly string[];
  /** How long a browser may cache a preflight, in seconds. */
  maxAgeSeconds: number;
}

const METHODS = 'GET, POST, DELETE, OPTIONS';
/** Response headers a page may read: ids for support and resuming, and when to retry. */
const EXPOSED = 'X-Request-Id, X-Stream-Id, Retry-After, x-ratelimit-limit-requests, x-ratelimit-remaining-requests, x-ratelimit-reset-requests';
/** What a browser may ask to send: header names only (RFC 9110 tokens), so nothing can be injected. */
const HEADER_LIST = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(\s*,\s*[!#$%&'*+.^_`|~0-9A-Za-z-]+)*$/;

/** Whether `cors.origins` lets a page of `origin` call this server. */
export function originMatcher(origins: readonly string[]): (origin: string) => boolean {
  const anyOrigin = origins.includes('*');
  const patterns = origins.filter((o) => o !== '*').map(originPattern);
  return (origin) => anyOrigin || patterns.some((p) => p.test(origin));
}

export function cors(options: CorsOptions): RequestHandler {
  const anyOrigin = options.origins.includes('*');
  const allowed = originMatcher(options.origins);

  return (req, res, next) => {
    const origin = req.get('origin');
    if (origin === undefined || options.origins.length === 0) return next();
    res.vary('Origin');
    const preflight = req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
    if (!allowed(origin)) {
      if (!preflight) return next();
      const error = new PermissionDeniedError(`Origin ${JSON.stringify(origin.slice(0, 200))} may not call this server from a browser; add it to cors.origins in the config.`, {
        code: 'cors_origin_not_allowed',
      });
      res.status(error.status).json(toOpenAIErrorBody(error));
      return;
    }
    res.set('Access-Control-Allow-Origin', anyOrigin ? '*' : origin);
    if (!preflight) {
      res.set('Access-Control-Expose-Headers', EXPOSED);
      return next();
    }
    res.set('Access-Control-Allow-Methods', METHODS);
    const asked = req.get('access-control-request-headers');
    if (asked !== undefined && HEADER_LIST.test(asked)) res.set('Access-Control-Allow-Headers', asked);
    res.vary('Access-Control-Request-Headers');
    // Chrome's Private Network Access: a public page calling a server on this machine or LAN.
    if (req.get('access-control-request-private-network') === 'true') res.set('Access-Control-Allow-Private-Network', 'true');
    res.set('Access-Control-Max-Age', String(options.maxAgeSeconds));
    res.status(204).end();
  };
}

/** `https://*.example.com` → a regex where `*` matches one host label or a port, never a `.` or a `/`. */
function originPattern(origin: string): RegExp {
  const source = origin
    .replace(/\/+$/, '')
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[A-Za-z0-9-]+');
  return new RegExp(`^${source}$`, 'i');
}
