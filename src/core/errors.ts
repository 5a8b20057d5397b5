/**
 * Typed errors. One base class; `errorFromStatus` picks the subclass for a status.
 * Every error knows its HTTP status, a stable `code`, OpenAI's error `type`, the
 * offending `param` (if any) and whether a retry may help. Clients see OpenAI's shape
 * `{"error": {"message", "type", "param", "code"}}` (see `toOpenAIErrorBody`).
 */

export interface GatewayErrorOptions {
  code?: string;
  param?: string | null;
  cause?: unknown;
  requestId?: string;
  /** Seconds after which a retry may succeed (429/503), sent as `Retry-After`. */
  retryAfter?: number;
  /** Extra response headers (e.g. rate-limit headers). */
  headers?: Record<string, string>;
}

export class GatewayError extends Error {
  readonly status: number;
  readonly type: string;
  readonly code: string;
  readonly param: string | null;
  readonly retryAfter: number | undefined;
  readonly headers: Record<string, string> | undefined;
  requestId: string | undefined;

  constructor(status: number, type: string, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = status;
    this.type = type;
    this.code = options.code ?? type;
    this.param = options.param ?? null;
    this.retryAfter = options.retryAfter;
    this.headers = options.headers;
    this.requestId = options.requestId;
  }

  /** Whether trying again (or another model) may help: rate limits, timeouts, 5xx. */
  get retryable(): boolean {
    return this.status === 408 || this.status === 409 || this.status === 429 || this.status >= 500;
  }
}

export class InvalidRequestError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(400, 'invalid_request_error', message, { code: 'invalid_request', ...options });
  }
}

export class AuthenticationError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(401, 'authentication_error', message, { code: 'invalid_api_key', ...options });
  }
}

export class PermissionDeniedError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(403, 'permission_error', message, { code: 'permission_denied', ...options });
  }
}

export class NotFoundError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(404, 'not_found_error', message, { code: 'not_found', ...options });
  }
}

export class RateLimitError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(429, 'rate_limit_error', message, { code: 'rate_limit_exceeded', ...options });
  }
}

export class InternalServerError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(500, 'server_error', message, { code: 'internal_error', ...options });
  }
}

/** The upstream failed or answered with something we could not read. */
export class UpstreamError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions & { status?: number } = {}) {
    super(options.status ?? 502, 'upstream_error', message, { code: 'upstream_error', ...options });
  }
}

export class ServiceUnavailableError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(503, 'service_unavailable', message, { code: 'service_unavailable', ...options });
  }
}

export class TimeoutError extends GatewayError {
  constructor(message: string, options: GatewayErrorOptions = {}) {
    super(504, 'timeout_error', message, { code: 'timeout', ...options });
  }
}

/** The error class for an HTTP status, so every layer maps statuses the same way. */
export function errorFromStatus(status: number, message: string, options: GatewayErrorOptions = {}): GatewayError {
  switch (status) {
    case 400:
      return new InvalidRequestError(message, options);
    case 401:
      return new AuthenticationError(message, options);
    case 403:
      return new PermissionDeniedError(message, options);
    case 404:
      return new NotFoundError(message, options);
    case 429:
      return new RateLimitError(message, options);
    case 503:
      return new ServiceUnavailableError(message, options);
    case 504:
      return new TimeoutError(message, options);
    default:
      if (status >= 500) return new InternalServerError(message, options);
      return new GatewayError(status, 'invalid_request_error', message, options);
  }
}

/** Anything thrown, as a GatewayError (unknown errors become a 500 that hides their text). */
export function toGatewayError(err: unknown): GatewayError {
  if (err instanceof GatewayError) return err;
  return new InternalServerError('internal error', { cause: err });
}

export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export function toOpenAIErrorBody(err: GatewayError): OpenAIErrorBody {
  return { error: { message: err.message, type: err.type, param: err.param, code: err.code } };
}
