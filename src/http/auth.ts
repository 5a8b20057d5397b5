/**
 * API keys (`auth.keys` in the config). When keys are configured, every API endpoint
 * (`/v1/*`, `/lm/*`) wants `Authorization: Bearer KEY`; the chat page, static files and
 * `/healthz` stay open. Keys are compared in constant time and never logged: logs and
 * counters use a short fingerprint.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request, RequestHandler, Response } from 'express';
import { AuthenticationError, PermissionDeniedError } from '../core/errors.js';
import type { ApiKeyConfig, Config } from '../config/schema.js';
import { fingerprint, type Logger } from '../logger.js';
import { ModelRegistry } from '../models/registry.js';

/** Who is calling: what the routes and the rate limiter know of a key (never the key itself). */
export interface KeyIdentity {
  /** The key's `name`, or its fingerprint when it has none: the owner of what the key stores. */
  name: string;
  /** `sha256:` and 10 hex digits: unique per key, safe in logs and as a counter id. */
  fingerprint: string;
  /** Model names or globs this key may use. */
  models: readonly string[];
  rateLimit: ApiKeyConfig['rateLimit'];
  /** Sees every owner's data, `/metrics` and the operators' endpoints. */
  admin: boolean;
  /** Daily limits (`budget`), if any. */
  budget?: ApiKeyConfig['budget'];
}

/**
 * Where a key may come as `?api_key=` instead of a header: `EventSource` cannot set
 * headers. Query strings land in access logs, so only where there is no other way.
 */
const QUERY_KEY_ROUTES: ReadonlyArray<{ method: string; path: string }> = [{ method: 'GET', path: '/v1/complete' }];

/** Where `x-api-key` (Anthropic's header) is read: the Messages API. */
const X_API_KEY_PATHS = /^\/v1\/messages(\/|$)/;

interface StoredKey {
  digest: Buffer;
  identity: KeyIdentity;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/** The key a request carries, from the header or (on the routes that allow it) the query. */
function presentedKey(req: Request): string | undefined {
  const header = req.get('authorization');
  if (header !== undefined) {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
    return match ? match[1] : '';
  }
  const path = req.baseUrl + req.path; // mounted middleware sees a path relative to its mount point
  // Anthropic's clients send the key as `x-api-key`.
  const apiKey = req.get('x-api-key');
  if (apiKey !== undefined && X_API_KEY_PATHS.test(path)) return apiKey.trim();
  if (QUERY_KEY_ROUTES.some((r) => r.method === req.method && r.path === path)) {
    const key = req.query.api_key;
    if (typeof key === 'string') return key;
  }
  return undefined;
}

/**
 * Compares digests, so neither the length nor the content of a key leaks through timing;
 * every stored key is compared, a match does not end the loop early.
 */
function findKey(keys: readonly StoredKey[], presented: string): KeyIdentity | undefined {
  const given = digest(presented);
  let found: KeyIdentity | undefined;
  for (const key of keys) if (timingSafeEqual(key.digest, given) && !found) found = key.identity;
  return found;
}

export interface AuthenticateOptions {
  /** A request without any key passes with no identity (a wrong key is still a 401). */
  optional?: boolean;
}

/** The middleware; without `auth` in the config every request passes (local development). */
export function authenticate(config: Config, logger: Logger, options: AuthenticateOptions = {}): RequestHandler {
  const keys: StoredKey[] = (config.auth?.keys ?? []).map((k) => {
    const print = fingerprint(k.key);
    return { digest: digest(k.key), identity: { name: k.name ?? print, fingerprint: print, models: k.models, rateLimit: k.rateLimit, budget: k.budget, admin: k.admin } };
  });
  return (req, res, next) => {
    if (keys.length === 0) {
      next();
      return;
    }
    const presented = presentedKey(req);
    if (presented === undefined && options.optional) {
      next();
      return;
    }
    res.set('WWW-Authenticate', 'Bearer');
    if (presented === undefined) {
      next(new AuthenticationError("You didn't provide an API key. Send it in an Authorization header: 'Authorization: Bearer YOUR_KEY'.", { code: 'invalid_api_key' }));
      return;
    }
    const identity = presented === '' ? undefined : findKey(keys, presented);
    if (!identity) {
      logger.warn({ requestId: res.locals.requestId, key: presented === '' ? 'malformed' : fingerprint(presented) }, 'rejected API key');
      next(new AuthenticationError('Incorrect API key provided (expected \'Authorization: Bearer YOUR_KEY\').', { code: 'invalid_api_key' }));
      return;
    }
    res.removeHeader('WWW-Authenticate');
    res.locals.apiKey = identity;
    next();
  };
}

/** The key of this request, or undefined when no keys are configured. */
export function keyOf(res: Response): KeyIdentity | undefined {
  return res.locals.apiKey as KeyIdentity | undefined;
}

/** 403 `model_not_allowed` unless the request's key may use `model`. */
export function assertModelAllowed(res: Response, model: string): void {
  const key = keyOf(res);
  if (!key || ModelRegistry.allowed(model, key.models)) return;
  throw new PermissionDeniedError(`This API key may not use the model '${model}'.`, { code: 'model_not_allowed', param: 'model' });
}
