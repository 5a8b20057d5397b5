/** The lines printed after "streamgate listening on URL": what this server runs with. */
import type { Config } from '../config/schema.js';
import type { ModelRegistry } from '../models/registry.js';

export function startupLines(config: Config, registry: ModelRegistry, configFile: string | undefined): string[] {
  const models = registry
    .list()
    .map((r) => (r.provider.id === 'sim' ? r.name : `${r.name} (${r.provider.id})`))
    .join(', ');
  const lines = [`  config: ${configFile ?? 'embedded defaults (no config file)'}`, `  store:  ${describeStore(config)}`, `  models: ${models}`];
  if (config.auth) lines.push(`  auth:   ${config.auth.keys.length} API key(s)`);
  if (config.telemetry.otlpEndpoint) lines.push(`  traces: OTLP/HTTP to ${withoutCredentials(config.telemetry.otlpEndpoint)}`);
  return lines;
}

function describeStore(config: Config): string {
  switch (config.store?.type) {
    case 'redis':
      return `redis ${withoutCredentials(config.store.url)} (shared: streams, sessions, limits, usage)`;
    case 'memory':
      return 'memory (sessions and usage forgotten on restart)';
    default:
      return `sqlite in ${config.dataDir} (sessions and usage)`;
  }
}

/** A URL with any user and password taken out, safe to print. */
function withoutCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/\/\/[^@/]*@/, '//');
  }
}
