/**
 * The provider for a config entry, by `type`: differences between upstreams live in this
 * table and in each provider's folder, never in shared code.
 */
import type { ProviderConfig } from '../config/schema.js';
import { AnthropicProvider } from './anthropic/anthropic-provider.js';
import { OpenAIProvider } from './openai/openai-provider.js';
import type { LanguageModelProvider } from './types.js';

type ProviderFactory = (config: ProviderConfig) => LanguageModelProvider;

const factories: Partial<Record<ProviderConfig['type'], ProviderFactory>> = {
  openai: (config) => new OpenAIProvider(config),
  anthropic: (config) => new AnthropicProvider(config),
};

export function createProvider(config: ProviderConfig): LanguageModelProvider {
  const factory = factories[config.type];
  if (!factory) throw new Error(`provider type "${config.type}" is not available`);
  return factory(config);
}
