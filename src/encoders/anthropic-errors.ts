/**
 * Errors in Anthropic's shape, `{"type":"error","error":{"type","message"}}`, with its
 * statuses: what Anthropic's SDKs turn into their typed errors (`BadRequestError`,
 * `AuthenticationError`, …, `OverloadedError` for 529). A gateway status Anthropic does
 * not use keeps its number with the nearest type (502/504 → `api_error`), and 503 (no
 * capacity, an upstream overloaded) is Anthropic's 529 `overloaded_error`.
 */
import type { GatewayError } from '../core/errors.js';

const TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

export interface AnthropicErrorBody {
  type: 'error';
  error: { type: string; message: string };
}

export function anthropicError(error: GatewayError): { status: number; body: AnthropicErrorBody } {
  const status = error.status === 503 ? 529 : error.status;
  const type = TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return { status, body: { type: 'error', error: { type, message: error.message } } };
}
