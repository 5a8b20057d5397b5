/**
 * Logs on pino (fast, async-friendly): JSON lines for machines, or with `LOG_FORMAT=pretty`
 * (the default when stdout is a terminal) one readable, coloured line per entry through
 * pino-pretty. Keys and secrets are never logged: known fields are censored by path, and
 * every line is passed through the redactor of the config's secrets
 * (`providers/http/redact.ts`), so an upstream's key echoed in an error message, a stack or
 * an error's `cause` is taken out too (before pino-pretty sees the line).
 */
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { Config } from './config/schema.js';
import { configuredSecrets } from './config/secrets.js';
import { createRedactor } from './providers/http/redact.js';

export type { Logger };

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

export interface LoggerOptions {
  /** Secrets to take out of every line (`configuredSecrets(config)`); key-shaped strings go anyway. */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
  /** `json` (default) or `pretty` (on stdout). */
  format?: LogFormat;
}

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const redact = createRedactor(options.secrets ?? []);
  const settings = {
    level,
    base: { service: 'streamgate' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'apiKey', '*.apiKey'], censor: '[redacted]' },
    hooks: { streamWrite: redact },
  };
  if (options.destination) return pino(settings, options.destination);
  if (options.format !== 'pretty') return pino(settings);
  // Loaded only when asked for: JSON logging (servers, tests) never pays for it.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pino(
    settings,
    pretty({
      colorize: process.stdout.isTTY === true,
      translateTime: 'SYS:HH:MM:ss.l',
      ignore: 'pid,hostname,service',
      singleLine: true,
      sync: true,
    }),
  );
}

/** The logger for a config: its level, its secrets redacted. */
export function createConfigLogger(config: Config, destination?: DestinationStream, format: LogFormat = 'json'): Logger {
  return createLogger(config.logLevel, { secrets: configuredSecrets(config), format, ...(destination ? { destination } : {}) });
}

/** `LOG_FORMAT` as given, else pretty on a terminal and JSON otherwise. */
export function logFormatOf(value: string | undefined, isTTY: boolean): LogFormat {
  if (value === undefined || value === '') return isTTY ? 'pretty' : 'json';
  if ((LOG_FORMATS as readonly string[]).includes(value)) return value as LogFormat;
  throw new RangeError(`LOG_FORMAT must be ${LOG_FORMATS.join(' or ')}, got '${value}'`);
}

/** A short, stable, non-reversible name for a secret, safe to log. */
export function fingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 10)}`;
}
