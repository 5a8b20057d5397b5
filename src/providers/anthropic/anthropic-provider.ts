/**
 * `type: anthropic`: Claude through the plain Messages API (`POST {baseURL}/v1/messages`,
 * `x-api-key`, `anthropic-version`), streamed and mapped to normalized events. Extended
 * thinking is turned on per model with `params: {thinking: {type: enabled, budget_tokens}}`.
 */
import type { UpstreamApi } from '../http/sse-provider.js';
import { buildAnthropicRequestBody } from './build-request-body.js';
import { createAnthropicStreamParser } from './parse-stream.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export const ANTHROPIC_API: UpstreamApi = {
  // `https://api.anthropic.com` (as Anthropic's SDKs take it) and `…/v1` both work.
  endpoint: (baseURL) => (baseURL.endsWith('/v1') ? `${baseURL}/messages` : `${baseURL}/v1/messages`),
  headers: { 'anthropic-version': ANTHROPIC_VERSION },
  auth: (apiKey) => ({ 'x-api-key': apiKey }),
  body: (request) => buildAnthropicRequestBody(request),
  parser: createAnthropicStreamParser,
  // Only what build-request-body translates reaches Claude.
  forwardsExtra: false,
  wire: 'anthropic',
};
