/**
 * Every secret a config holds, for redaction: each upstream's `apiKey`, the credentials in
 * its `headers` (a header whose name says it carries one, and the token after a scheme such
 * as `Bearer`), and the clients' own keys (`auth.keys[].key`), which are never echoed either.
 */
import type { Config } from './schema.js';

/** Header names whose values are credentials. */
const CREDENTIAL_HEADER = /auth|key|token|secret|cookie|password|signature|credential/i;

export function configuredSecrets(config: Pick<Config, 'providers'> & { auth?: Config['auth'] }): string[] {
  const secrets: string[] = [];
  for (const provider of config.providers) {
    if (provider.apiKey) secrets.push(provider.apiKey);
    for (const [name, value] of Object.entries(provider.headers)) {
      if (!CREDENTIAL_HEADER.test(name) || !value) continue;
      secrets.push(value);
      // `Bearer abc…`: the token alone too, so a run of it is found across the scheme.
      const token = value.trim().split(/\s+/).at(-1);
      if (token && token !== value) secrets.push(token);
    }
  }
  for (const key of config.auth?.keys ?? []) secrets.push(key.key);
  return secrets;
}
