/**
 * What an upstream failure becomes for the client: its HTTP status kept for 4xx (429 with
 * its `Retry-After`), 5xx turned into 502 (the gateway got a bad answer), connection and
 * timeout failures named; always with the upstream's own message, never with its key.
 */
import { errorFromStatus, GatewayError, RateLimitError, TimeoutError, UpstreamError } from '../../core/errors.js';
import { redactSecrets } from './redact.js';

/** Who failed, for messages, and what must never appear in them. */
export interface UpstreamIdentity {
  providerId: string;
  secrets: readonly (string | undefined)[];
}

const MAX_MESSAGE = 1000;

/**
 * The message inside an upstream's JSON error body: OpenAI and most compatible servers
 * `{error: {message}}`, Anthropic `{type: 'error', error: {type, message}}`, vLLM and
 * others `{message}` or `{detail}`, some `{error: 'text'}`. Plain text when it is not JSON.
 */
export function upstreamErrorMessage(bodyText: string): string | undefined {
  const text = bodyText.trim();
  if (text.length === 0) return undefined;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return text;
  }
  if (body === null || typeof body !== 'object') return text;
  const b = body as { error?: unknown; message?: unknown; detail?: unknown };
  if (typeof b.error === 'string') return b.error;
  if (b.error && typeof b.error === 'object' && typeof (b.error as { message?: unknown }).message === 'string') {
    return (b.error as { message: string }).message;
  }
  if (typeof b.message === 'string') return b.message;
  if (typeof b.detail === 'string') return b.detail;
  return text;
}

/**
 * Seconds to wait from `retry-after-ms` (OpenAI) or `Retry-After` (seconds or an HTTP
 * date), or undefined when absent or unreadable.
 */
export function parseRetryAfter(headers: Record<string, string | string[] | undefined>, now = Date.now()): number | undefined {
  const ms = Number(first(headers['retry-after-ms']));
  if (Number.isFinite(ms) && ms >= 0) return ms / 1000;
  const value = first(headers['retry-after']);
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - now) / 1000);
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export interface UpstreamStatusOptions extends UpstreamIdentity {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  bodyText: string;
}

/** The error for an upstream's non-2xx answer. */
export function errorFromUpstreamStatus(options: UpstreamStatusOptions): GatewayError {
  const { status, providerId } = options;
  const said = upstreamErrorMessage(options.bodyText) ?? `HTTP ${status}`;
  const message = clip(redactSecrets(`Upstream "${providerId}" answered ${status}: ${said}`, options.secrets));
  const retryAfter = parseRetryAfter(options.headers);
  const extra = retryAfter === undefined ? {} : { retryAfter };
  if (status === 429) return new RateLimitError(message, { code: 'upstream_rate_limited', ...extra });
  if (status >= 500) return new UpstreamError(message, { code: 'upstream_error', ...extra });
  return errorFromStatus(status, message, { code: 'upstream_rejected' });
}

/**
 * The error for a failure that is not an HTTP answer: refused or reset connections, TLS,
 * DNS, undici's connect timeout, a body cut off.
 */
export function errorFromUpstreamFailure(err: unknown, identity: UpstreamIdentity): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const detail = redactSecrets(`${e?.message ?? String(err)}${code ? ` (${code})` : ''}`, identity.secrets);
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new TimeoutError(`Upstream "${identity.providerId}": connect timeout (${detail})`, { code: 'upstream_connect_timeout', cause: err });
  }
  return new UpstreamError(clip(`Upstream "${identity.providerId}" failed: ${detail}`), { code: 'upstream_unavailable', cause: err });
}

function clip(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}
