/**
 * A model behind an HTTP API that streams Server-Sent Events. Calling one is the same for
 * every such API (a pooled agent, timeouts, errors, the provider contract); what differs
 * between them is data, an `UpstreamApi`: the endpoint, the headers, the body and the
 * parser of its stream.
 */
import type { Dispatcher } from 'undici';
import { configuredSecrets } from '../../config/secrets.js';
import type { ProviderConfig } from '../../config/schema.js';
import type { EventStream } from '../../core/events.js';
import type { ChatRequest, LanguageModelProvider, StreamCallOptions } from '../types.js';
import { request as undiciRequest } from 'undici';
import { toGatewayError } from '../../core/errors.js';
import { openSse } from './open-sse.js';
import type { EventSourceMessage } from './sse-decoder.js';
import { errorFromUpstreamFailure, errorFromUpstreamStatus } from './upstream-error.js';
import { createRedactor, redactError, type Redactor } from './redact.js';
import { createUpstreamAgent } from './upstream-agent.js';
import { upstreamEvents, type UpstreamStreamParser } from './upstream-events.js';

/** One upstream API on the wire. */
export interface UpstreamApi {
  /** The streaming endpoint for the configured `baseURL` (trailing slashes removed). */
  endpoint(baseURL: string): string;
  /** Headers every request carries; the config's `headers` may override them. */
  headers: Readonly<Record<string, string>>;
  /** How the API key is sent (it overrides the config's `headers`). */
  auth(apiKey: string): Record<string, string>;
  body(request: ChatRequest, config: ProviderConfig): unknown;
  parser(providerId: string): UpstreamStreamParser;
  /** Whether `ChatRequest.extra` (OpenAI parameters) reaches the model as it is. */
  forwardsExtra: boolean;
  /** Which wire it speaks: a route that speaks the same one may relay requests as they are (`relayStream`, `relayJson`). */
  wire: 'openai' | 'anthropic';
}

/** A request relayed to the upstream as the client wrote it. */
export interface RelayOptions {
  body: unknown;
  /** The client's own headers to pass on (`anthropic-beta`, …); the provider's auth always wins. */
  headers: Record<string, string>;
  signal: AbortSignal;
  /** Appended to the streaming endpoint (`/count_tokens`). */
  suffix?: string;
}

/** What every upstream call shares with the rest of the gateway's config. */
export interface UpstreamGuards {
  /** Cleans upstream text of every configured secret (`redact.ts`). */
  redact: Redactor;
  /** `limits.upstreamEventBytes`: the longest SSE line or event read from the upstream. */
  maxEventBytes: number;
}

/** Guards from this provider alone: its own secrets, the default limit. */
export function ownGuards(config: ProviderConfig): UpstreamGuards {
  return { redact: createRedactor(configuredSecrets({ providers: [config] })), maxEventBytes: 1024 * 1024 };
}

export class SseProvider implements LanguageModelProvider {
  readonly id: string;
  readonly maxRetries: number;
  readonly callsTools = true;
  readonly forwardsExtra: boolean;
  private readonly agent: Dispatcher;
  private readonly url: string;

  constructor(
    private readonly config: ProviderConfig,
    private readonly api: UpstreamApi,
    private readonly guards: UpstreamGuards = ownGuards(config),
  ) {
    this.id = config.id;
    this.maxRetries = config.maxRetries;
    this.forwardsExtra = api.forwardsExtra;
    this.agent = createUpstreamAgent({ connectMs: config.timeouts.connectMs });
    this.url = api.endpoint(config.baseURL.replace(/\/+$/, ''));
  }

  stream(request: ChatRequest, { signal }: StreamCallOptions): EventStream {
    const { config, api } = this;
    const open = () =>
      openSse({
        url: this.url,
        headers: { ...api.headers, ...config.headers, ...(config.apiKey ? api.auth(config.apiKey) : {}) },
        body: api.body(request, config),
        agent: this.agent,
        timeouts: config.timeouts,
        signal,
        providerId: config.id,
        maxEventBytes: this.guards.maxEventBytes,
      });
    return upstreamEvents(open, api.parser(config.id), { signal, redact: this.guards.redact });
  }

  get wire(): UpstreamApi['wire'] {
    return this.api.wire;
  }

  private relayHeaders(headers: Record<string, string>): Record<string, string> {
    const { config, api } = this;
    return { ...api.headers, ...headers, ...config.headers, ...(config.apiKey ? api.auth(config.apiKey) : {}) };
  }

  /** Streams a request written in the upstream's own API; its SSE messages come back untouched (a failure before them is thrown, redacted). */
  async relayStream(options: RelayOptions): Promise<AsyncIterableIterator<EventSourceMessage[]>> {
    const { config } = this;
    try {
      return await openSse({
        url: this.url + (options.suffix ?? ''),
        headers: this.relayHeaders(options.headers),
        body: options.body,
        agent: this.agent,
        timeouts: config.timeouts,
        signal: options.signal,
        providerId: config.id,
        maxEventBytes: this.guards.maxEventBytes,
      });
    } catch (err) {
      if (options.signal.aborted) throw err;
      throw redactError(toGatewayError(err), this.guards.redact);
    }
  }

  /** Sends a non-streaming request in the upstream's own API; a failure is thrown as the typed, redacted error the client gets. */
  async relayJson(options: RelayOptions): Promise<unknown> {
    const { config } = this;
    const identity = { providerId: config.id };
    try {
      const response = await undiciRequest(this.url + (options.suffix ?? ''), {
        method: 'POST',
        dispatcher: this.agent,
        headers: { 'content-type': 'application/json', ...this.relayHeaders(options.headers) },
        body: JSON.stringify(options.body),
        signal: options.signal,
        headersTimeout: config.timeouts.firstByteMs,
        bodyTimeout: config.timeouts.idleMs,
      });
      const text = await response.body.text();
      if (response.statusCode >= 300) throw errorFromUpstreamStatus({ ...identity, status: response.statusCode, headers: response.headers, bodyText: text });
      return JSON.parse(text) as unknown;
    } catch (err) {
      if (options.signal.aborted) throw err;
      throw redactError(errorFromUpstreamFailure(err, identity), this.guards.redact);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}
