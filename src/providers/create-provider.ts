/**
 * The provider for a config entry, by `type`: differences between upstreams live in this
 * table and in each provider's folder, never in shared code.
 */
import type { ProviderConfig } from '../config/schema.js';
import type { LanguageModelProvider } from './types.js';

type ProviderFactory = (config: ProviderConfig) => LanguageModelProvider;

const factories: Partial<Record<ProviderConfig['type'], ProviderFactory>> = {};

export function createProvider(config: ProviderConfig): LanguageModelProvider {
  const factory = factories[config.type];
  if (!factory) throw new Error(`provider type "${config.type}" is not available`);
  return factory(config);
}
