/**
 * `type: openai`: any OpenAI-compatible chat completions API (OpenAI, DashScope, DeepSeek,
 * vLLM, llama.cpp, Ollama, …): `POST {baseURL}/chat/completions` with a Bearer key.
 */
import type { UpstreamApi } from '../http/sse-provider.js';
import { buildOpenAIRequestBody } from './build-request-body.js';
import { createOpenAIStreamParser } from './parse-stream.js';

export const OPENAI_API: UpstreamApi = {
  endpoint: (baseURL) => `${baseURL}/chat/completions`,
  headers: {},
  auth: (apiKey) => ({ authorization: `Bearer ${apiKey}` }),
  body: (request, config) => buildOpenAIRequestBody(request, { maxTokensField: config.maxTokensField }),
  parser: createOpenAIStreamParser,
  forwardsExtra: true,
  wire: 'openai',
};
