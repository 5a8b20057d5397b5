/**
 * `type: anthropic`: Claude through the plain Messages API (`POST {baseURL}/v1/messages`,
 * `x-api-key`, `anthropic-version`), streamed and mapped to normalized events. Extended
 * thinking is turned on per model with `params: {thinking: {type: enabled, budget_tokens}}`.
 */
import type { Dispatcher } from 'undici';
import type { EventStream } from '../../core/events.js';
import type { ProviderConfig } from '../../config/schema.js';
import type { ChatRequest, LanguageModelProvider, StreamCallOptions } from '../types.js';
import { openSse } from '../http/open-sse.js';
import type { EventSourceMessage } from '../http/sse-decoder.js';
import { upstreamEvents } from '../http/upstream-events.js';
import { createUpstreamAgent } from '../http/upstream-agent.js';
import { buildAnthropicRequestBody } from './build-request-body.js';
import { createAnthropicStreamParser } from './parse-stream.js';

export const ANTHROPIC_VERSION = '2023-06-01';

export class AnthropicProvider implements LanguageModelProvider {
  readonly id: string;
  readonly maxRetries: number;
  readonly callsTools = true;
  private readonly agent: Dispatcher;
  private readonly url: string;

  constructor(private readonly config: ProviderConfig) {
    this.id = config.id;
    this.maxRetries = config.maxRetries;
    this.agent = createUpstreamAgent({ connectMs: config.timeouts.connectMs });
    const base = config.baseURL.replace(/\/+$/, '');
    // `https://api.anthropic.com` (as Anthropic's SDKs take it) and `…/v1` both work.
    this.url = base.endsWith('/v1') ? `${base}/messages` : `${base}/v1/messages`;
  }

  stream(request: ChatRequest, { signal }: StreamCallOptions): EventStream {
    return upstreamEvents(() => this.open(request, signal), createAnthropicStreamParser(this.config.id), signal);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private open(request: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<EventSourceMessage[]>> {
    const { config } = this;
    const headers: Record<string, string> = { 'anthropic-version': ANTHROPIC_VERSION, ...config.headers };
    if (config.apiKey) headers['x-api-key'] = config.apiKey;
    return openSse({
      url: this.url,
      headers,
      body: buildAnthropicRequestBody(request),
      agent: this.agent,
      timeouts: config.timeouts,
      signal,
      providerId: config.id,
      secrets: [config.apiKey],
    });
  }
}
