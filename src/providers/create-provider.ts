/**
 * The provider for a config entry, by `type`: differences between upstreams live in this
 * table and in each provider's folder, never in shared code.
 */
import type { Config, ProviderConfig } from '../config/schema.js';
import { configuredSecrets } from '../config/secrets.js';
import { ANTHROPIC_API } from './anthropic/anthropic-provider.js';
import { createRedactor } from './http/redact.js';
import { ownGuards, SseProvider, type UpstreamGuards } from './http/sse-provider.js';
import { OPENAI_API } from './openai/openai-provider.js';
import type { LanguageModelProvider } from './types.js';

type ProviderFactory = (config: ProviderConfig, guards: UpstreamGuards) => LanguageModelProvider;

const factories: Partial<Record<ProviderConfig['type'], ProviderFactory>> = {
  openai: (config, guards) => new SseProvider(config, OPENAI_API, guards),
  anthropic: (config, guards) => new SseProvider(config, ANTHROPIC_API, guards),
};

/**
 * `gateway`, the whole config, gives what every upstream shares: redaction of every
 * configured secret (any upstream's, any client's) and `limits`. Without it, only the
 * provider's own key is redacted.
 */
export function createProvider(config: ProviderConfig, gateway?: Pick<Config, 'providers' | 'auth' | 'limits'>): LanguageModelProvider {
  const factory = factories[config.type];
  if (!factory) throw new Error(`provider type "${config.type}" is not available`);
  const guards = gateway ? { redact: createRedactor(configuredSecrets(gateway)), maxEventBytes: gateway.limits.upstreamEventBytes } : ownGuards(config);
  return factory(config, guards);
}
