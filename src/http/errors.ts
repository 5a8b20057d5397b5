/**
 * Errors at the HTTP edge: body-parser failures mapped to clear 4xx, every error sent in
 * the endpoint's shape (OpenAI's by default), never a stack trace or a 500 for bad input.
 */
import type { ErrorRequestHandler, Request, RequestHandler, Response } from 'express';
import {
  GatewayError,
  InvalidRequestError,
  NotFoundError,
  toGatewayError,
  toOpenAIErrorBody,
} from '../core/errors.js';
import type { Logger } from '../logger.js';

export type ErrorBodyFormatter = (error: GatewayError, req: Request) => unknown;

/** What body-parser and Express throw, as the GatewayError a client should see. */
export function fromHttpError(err: unknown, bodyLimitBytes?: number): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = err as { type?: string; status?: number; message?: string; code?: unknown };
  if (typeof e?.code === 'string' && e.code.startsWith('Z_')) {
    // zlib's own words ("incorrect header check") do not say what was wrong with the request.
    return new InvalidRequestError(`The request body could not be decompressed as its Content-Encoding says: ${e.message ?? e.code}.`, { code: 'invalid_content_encoding' });
  }
  switch (e?.type) {
    case 'entity.too.large':
      return new GatewayError(413, 'invalid_request_error', `Request body is too large: the limit is ${bodyLimitBytes ?? 'configured'} bytes.`, { code: 'request_too_large' });
    case 'entity.parse.failed': {
      const scalar = jsonScalarType((err as { body?: unknown }).body);
      // body-parser's strict mode reports valid JSON that is not an object or array as a syntax error.
      if (scalar) return new InvalidRequestError(`The request body must be a JSON object, got ${scalar}.`, { code: 'invalid_json' });
      return new InvalidRequestError(`The request body is not valid JSON: ${String(e.message ?? '').slice(0, 200)}`, { code: 'invalid_json' });
    }
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new GatewayError(415, 'invalid_request_error', `Unsupported body encoding or charset: ${e.message ?? ''}`, { code: 'unsupported_media_type' });
    case 'request.aborted':
    case 'request.size.invalid':
      return new InvalidRequestError('The request body was incomplete.', { code: 'incomplete_body' });
    default:
      if (typeof e?.status === 'number' && e.status >= 400 && e.status < 500) {
        return new GatewayError(e.status, 'invalid_request_error', e.message ?? 'bad request', { code: 'bad_request' });
      }
      return toGatewayError(err);
  }
}

/** `null`, `a string`, … when `body` is JSON text of a scalar; undefined otherwise. */
function jsonScalarType(body: unknown): string | undefined {
  if (typeof body !== 'string' || body.length > 1024) return undefined;
  try {
    const value: unknown = JSON.parse(body);
    if (value === null) return 'null';
    return typeof value === 'object' ? undefined : `a ${typeof value}`;
  } catch {
    return undefined;
  }
}

/** Sends an error response unless the response already started (then it just ends it). */
export function sendError(res: Response, error: GatewayError, body: unknown): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  if (error.retryAfter !== undefined) res.set('Retry-After', String(Math.max(1, Math.ceil(error.retryAfter))));
  if (error.headers) res.set(error.headers);
  res.status(error.status).json(body);
}

export const openAIErrorBody: ErrorBodyFormatter = (error) => toOpenAIErrorBody(error);

export function errorHandler(logger: Logger, bodyLimitBytes: number, format: ErrorBodyFormatter = openAIErrorBody): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const error = fromHttpError(err, bodyLimitBytes);
    if (error.status >= 500) logger.error({ err, requestId: res.locals.requestId, path: req.originalUrl.split('?')[0] }, 'request failed');
    sendError(res, error, format(error, req));
  };
}

/** 415 unless the body is JSON. */
export const requireJson: RequestHandler = (req, _res, next) => {
  if (!req.is('application/json')) {
    const got = req.get('content-type') ?? 'none';
    next(new GatewayError(415, 'invalid_request_error', `Content-Type must be application/json, got ${got}`, { code: 'unsupported_media_type', param: 'Content-Type' }));
    return;
  }
  next();
};

export function methodNotAllowed(allowed: string): RequestHandler {
  return (req, res, next) => {
    res.set('Allow', allowed);
    next(new GatewayError(405, 'invalid_request_error', `Method ${req.method} is not allowed on ${req.path}; use ${allowed}.`, { code: 'method_not_allowed' }));
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`Unknown path: ${req.method} ${req.path}`, { code: 'unknown_url' }));
};
