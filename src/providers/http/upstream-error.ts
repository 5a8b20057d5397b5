/**
 * What an upstream failure becomes for the client: its HTTP status kept for the 4xx that
 * are about the client's request (429 with its `Retry-After`); 5xx, and the answers that
 * are not the client's fault (1xx, 3xx, 401, 403, 407), turned into a 502 that says what
 * the upstream did; connection and timeout failures named; always with the upstream's own
 * message. Its key is taken out in one place for all of them: `upstream-events.ts`.
 */
import { STATUS_CODES } from 'node:http';
import { errorFromStatus, GatewayError, RateLimitError, TimeoutError, UpstreamError } from '../../core/errors.js';

/** Who failed, for messages. */
export interface UpstreamIdentity {
  providerId: string;
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
  const said = upstreamErrorMessage(options.bodyText);
  const notTheClients = notTheClientsFault(status, options.headers);
  if (notTheClients) {
    const what = `Upstream "${providerId}" answered ${status} ${STATUS_CODES[status] ?? ''}`.trimEnd();
    return new UpstreamError(clip(`${what}: ${notTheClients.meaning}${said ? ` (it said: ${said})` : ''}`), { code: notTheClients.code });
  }
  const message = clip(`Upstream "${providerId}" answered ${status}: ${said ?? `HTTP ${status}`}`);
  const retryAfter = parseRetryAfter(options.headers);
  const extra = retryAfter === undefined ? {} : { retryAfter };
  if (status === 429) return new RateLimitError(message, { code: 'upstream_rate_limited', ...extra });
  if (status >= 500) return new UpstreamError(message, { code: 'upstream_error', ...extra });
  return errorFromStatus(status, message, { code: 'upstream_rejected' });
}

/**
 * Statuses that are about streamgate's own link to the upstream, not the client's request:
 * passed on as they are, a client would be told its key is wrong (401/403), would get an
 * empty 304, or an SDK would report a connection error (407). Redirects are not followed:
 * one could carry the upstream's key to another host.
 */
function notTheClientsFault(status: number, headers: UpstreamStatusOptions['headers']): { code: string; meaning: string } | undefined {
  if (status < 200) return { code: 'upstream_bad_status', meaning: 'an interim status where a final answer belongs' };
  if (status === 304) return { code: 'upstream_redirect', meaning: 'a cache answer to a POST, with no body' };
  if (status < 400) {
    const location = first(headers.location);
    const to = location ? ` to ${location.slice(0, 200)}` : '';
    return {
      code: 'upstream_redirect',
      meaning: `a redirect${to}, which streamgate does not follow (it could carry the upstream's API key to another host): set the provider's baseURL to the final address`,
    };
  }
  if (status === 401) return { code: 'upstream_auth_failed', meaning: "its API key was refused; your own key was fine (the operator must fix this provider's apiKey)" };
  if (status === 403) return { code: 'upstream_auth_failed', meaning: "it refused streamgate's key or account; your own key was fine (the operator must fix this provider's apiKey or its permissions)" };
  if (status === 407) return { code: 'upstream_proxy_auth', meaning: 'a proxy between streamgate and the upstream wants credentials; your own key was fine' };
  return undefined;
}

/**
 * The error for a failure that is not an HTTP answer: refused or reset connections, TLS,
 * DNS, undici's connect timeout, a body cut off.
 */
export function errorFromUpstreamFailure(err: unknown, identity: UpstreamIdentity): GatewayError {
  if (err instanceof GatewayError) return err;
  const e = err as { code?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.code ?? e?.cause?.code;
  const detail = `${e?.message ?? String(err)}${code ? ` (${code})` : ''}`;
  // zlib's codes (Z_DATA_ERROR, brotli's ERR__…): the body is not what its Content-Encoding says.
  if (typeof code === 'string' && /^(Z_|ERR__)/.test(code)) {
    return new UpstreamError(clip(`Upstream "${identity.providerId}" sent a body that does not decode as its Content-Encoding says: ${detail}`), { code: 'upstream_bad_encoding', cause: err });
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new TimeoutError(`Upstream "${identity.providerId}": connect timeout (${detail})`, { code: 'upstream_connect_timeout', cause: err });
  }
  return new UpstreamError(clip(`Upstream "${identity.providerId}" failed: ${detail}`), { code: 'upstream_unavailable', cause: err });
}

function clip(s: string): string {
  return s.length > MAX_MESSAGE ? `${s.slice(0, MAX_MESSAGE)}…` : s;
}
