/**
 * The provider for a config entry, by `type`: differences between upstreams live in this
 * table and in each provider's folder, never in shared code.
 */
import type { ProviderConfig } from '../config/schema.js';
import { ANTHROPIC_API } from './anthropic/anthropic-provider.js';
import { SseProvider } from './http/sse-provider.js';
import { OPENAI_API } from './openai/openai-provider.js';
import type { LanguageModelProvider } from './types.js';

type ProviderFactory = (config: ProviderConfig) => LanguageModelProvider;

const factories: Partial<Record<ProviderConfig['type'], ProviderFactory>> = {
  openai: (config) => new SseProvider(config, OPENAI_API),
  anthropic: (config) => new SseProvider(config, ANTHROPIC_API),
};

export function createProvider(config: ProviderConfig): LanguageModelProvider {
  const factory = factories[config.type];
  if (!factory) throw new Error(`provider type "${config.type}" is not available`);
  return factory(config);
}
