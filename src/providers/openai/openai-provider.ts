/**
 * `type: openai`: any OpenAI-compatible chat completions API (OpenAI, DashScope, DeepSeek,
 * vLLM, llama.cpp, Ollama, …). Streams from the upstream and yields normalized events.
 */
import type { Dispatcher } from 'undici';
import type { EventStream } from '../../core/events.js';
import type { ProviderConfig } from '../../config/schema.js';
import type { ChatRequest, LanguageModelProvider, StreamCallOptions } from '../types.js';
import { openSse } from '../http/open-sse.js';
import type { EventSourceMessage } from '../http/sse-decoder.js';
import { upstreamEvents } from '../http/upstream-events.js';
import { createUpstreamAgent } from '../http/upstream-agent.js';
import { buildOpenAIRequestBody } from './build-request-body.js';
import { createOpenAIStreamParser } from './parse-stream.js';

export class OpenAIProvider implements LanguageModelProvider {
  readonly id: string;
  readonly maxRetries: number;
  readonly callsTools = true;
  readonly forwardsExtra = true;
  private readonly agent: Dispatcher;
  private readonly url: string;

  constructor(private readonly config: ProviderConfig) {
    this.id = config.id;
    this.maxRetries = config.maxRetries;
    this.agent = createUpstreamAgent({ connectMs: config.timeouts.connectMs });
    this.url = `${config.baseURL.replace(/\/+$/, '')}/chat/completions`;
  }

  stream(request: ChatRequest, { signal }: StreamCallOptions): EventStream {
    return upstreamEvents(() => this.open(request, signal), createOpenAIStreamParser(this.config.id), signal);
  }

  async close(): Promise<void> {
    await this.agent.close();
  }

  private open(request: ChatRequest, signal: AbortSignal): Promise<AsyncIterable<EventSourceMessage[]>> {
    const { config } = this;
    const headers: Record<string, string> = { ...config.headers };
    if (config.apiKey) headers.authorization = `Bearer ${config.apiKey}`;
    return openSse({
      url: this.url,
      headers,
      body: buildOpenAIRequestBody(request, { maxTokensField: config.maxTokensField }),
      agent: this.agent,
      timeouts: config.timeouts,
      signal,
      providerId: config.id,
      secrets: [config.apiKey],
    });
  }
}
