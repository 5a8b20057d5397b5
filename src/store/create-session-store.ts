/**
 * The session store the config asks for: the embedded SQLite default (`store` absent or
 * `type: sqlite`), an in-memory SQLite that forgets on restart (`type: memory`, for tests
 * and throwaway runs), or a shared store by `type`.
 */
import type { Config } from '../config/schema.js';
import { SqliteSessionStore } from './sqlite-session-store.js';
import { SqliteUsageLedger } from './sqlite-usage-ledger.js';
import type { SessionStore, UsageLedger } from './types.js';

type StoreType = NonNullable<Config['store']>['type'];

const FACTORIES: Readonly<Record<StoreType, (config: Config) => SessionStore>> = {
  sqlite: (config) => new SqliteSessionStore({ dataDir: config.dataDir }),
  memory: () => new SqliteSessionStore({ dataDir: ':memory:' }),
  redis: () => {
    throw new Error('store type "redis" is not available in this build yet; remove `store` to use the embedded SQLite store');
  },
};

export function createSessionStore(config: Config): SessionStore {
  return FACTORIES[config.store?.type ?? 'sqlite'](config);
}

/** The embedded usage ledger beside the sessions: `dataDir/usage.db`, or in memory with `type: memory`. */
export function createUsageLedger(config: Config): UsageLedger {
  return new SqliteUsageLedger({ dataDir: config.store?.type === 'memory' ? ':memory:' : config.dataDir });
}
