/**
 * Reads the config: a YAML or JSON file (by extension), `${VAR}` from the environment,
 * then `PORT`/`HOST` and the command line on top, validated with one clear error that
 * names the bad key.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type Config, type ConfigInput } from './schema.js';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export interface LoadConfigOptions {
  file?: string;
  env?: NodeJS.ProcessEnv;
  /** Highest precedence (command-line flags). */
  overrides?: Partial<ConfigInput>;
}

export function loadConfig(options: LoadConfigOptions = {}): Config {
  const env = options.env ?? process.env;
  const file = options.file ?? env.STREAMGATE_CONFIG;
  let raw: Record<string, unknown> = {};
  if (file) raw = readConfigFile(file, env);
  if (env.PORT !== undefined && env.PORT !== '') raw.port = env.PORT;
  if (env.HOST !== undefined && env.HOST !== '') raw.host = env.HOST;
  if (env.LOG_LEVEL) raw.logLevel = env.LOG_LEVEL;
  return parseConfig({ ...raw, ...stripUndefined(options.overrides ?? {}) }, file);
}

export function parseConfig(input: unknown, source = 'config'): Config {
  const result = configSchema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    const message = issue.code === 'unrecognized_keys' ? `unknown key(s) ${issue.keys.map((k) => `"${k}"`).join(', ')}` : issue.message;
    return `  ${key}: ${message}`;
  });
  throw new ConfigError(`invalid ${source}:\n${lines.join('\n')}`);
}

function readConfigFile(file: string, env: NodeJS.ProcessEnv): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = extname(file).toLowerCase() === '.json' ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(`config file ${file} is not valid ${extname(file) === '.json' ? 'JSON' : 'YAML'}: ${(err as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new ConfigError(`config file ${file} must hold an object`);
  return expandEnv(parsed, env, []) as Record<string, unknown>;
}

/** Replaces `${VAR}` (and `${VAR:-default}`) in every string; a missing variable is an error naming the key. */
export function expandEnv(value: unknown, env: NodeJS.ProcessEnv, path: (string | number)[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g, (_, name: string, fallback?: string) => {
      const v = env[name];
      if (v !== undefined && v !== '') return v;
      if (fallback !== undefined) return fallback;
      throw new ConfigError(`config key ${path.join('.') || '(top level)'}: environment variable ${name} is not set`);
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => expandEnv(v, env, [...path, i]));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = expandEnv(v, env, [...path, k]);
    return out;
  }
  return value;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
