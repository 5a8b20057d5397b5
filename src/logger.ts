/**
 * Structured JSON logs on pino (fast, async-friendly). Keys and secrets are never logged:
 * known fields are censored by path, and every line is passed through the redactor of the
 * config's secrets (`providers/http/redact.ts`), so an upstream's key echoed in an error
 * message, a stack or an error's `cause` is taken out too.
 */
import { createHash } from 'node:crypto';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config/schema.js';
import { configuredSecrets } from './config/secrets.js';
import { createRedactor } from './providers/http/redact.js';

export type { Logger };

export interface LoggerOptions {
  /** Secrets to take out of every line (`configuredSecrets(config)`); key-shaped strings go anyway. */
  secrets?: readonly string[];
  /** Where lines go; stdout by default. */
  destination?: DestinationStream;
}

export function createLogger(level: string, options: LoggerOptions = {}): Logger {
  const redact = createRedactor(options.secrets ?? []);
  const settings = {
    level,
    base: { service: 'streamgate' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'apiKey', '*.apiKey'], censor: '[redacted]' },
    hooks: { streamWrite: redact },
  };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/** The logger for a config: its level, its secrets redacted. */
export function createConfigLogger(config: Config, destination?: DestinationStream): Logger {
  return createLogger(config.logLevel, { secrets: configuredSecrets(config), ...(destination ? { destination } : {}) });
}

/** A short, stable, non-reversible name for a secret, safe to log. */
export function fingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 10)}`;
}
