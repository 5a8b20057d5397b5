/** Structured JSON logs on pino (fast, async-friendly). Keys and secrets are never logged. */
import { createHash } from 'node:crypto';
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'streamgate' },
    redact: { paths: ['req.headers.authorization', 'headers.authorization', 'apiKey', '*.apiKey'], censor: '[redacted]' },
  });
}

/** A short, stable, non-reversible name for a secret, safe to log. */
export function fingerprint(secret: string): string {
  return `sha256:${createHash('sha256').update(secret).digest('hex').slice(0, 10)}`;
}
