/** Keeps upstream secrets out of what clients and logs see. */

const REDACTED = '[redacted]';

/**
 * `text` with every occurrence of each secret (and any `Bearer …` token) replaced. Upstreams
 * sometimes echo a bad key back in their error message ("Incorrect API key provided: sk-…").
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 4) out = out.split(secret).join(REDACTED);
  }
  return out.replace(/\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, `$1${REDACTED}`);
}
