/**
 * The session store the config asks for: the embedded SQLite default (`store` absent or
 * `type: sqlite`), an in-memory SQLite that forgets on restart (`type: memory`, for tests
 * and throwaway runs), or a shared store by `type`.
 */
import { join } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import { IntegrityCheckedSessionStore } from './integrity-checked-session-store.js';
import { SESSION_DB_FILE, SqliteSessionStore } from './sqlite-session-store.js';
import { SqliteUsageLedger } from './sqlite-usage-ledger.js';
import type { SessionStore, UsageLedger } from './types.js';

type StoreType = NonNullable<Config['store']>['type'];

const FACTORIES: Readonly<Record<StoreType, (config: Config, logger?: Logger) => SessionStore>> = {
  sqlite: (config, logger) =>
    new IntegrityCheckedSessionStore({
      path: join(config.dataDir, SESSION_DB_FILE),
      open: () => new SqliteSessionStore({ dataDir: config.dataDir }),
      ...(logger ? { logger } : {}),
    }),
  memory: () => new SqliteSessionStore({ dataDir: ':memory:' }),
  redis: () => {
    throw new Error('store type "redis" is not available in this build yet; remove `store` to use the embedded SQLite store');
  },
};

export function createSessionStore(config: Config, logger?: Logger): SessionStore {
  return FACTORIES[config.store?.type ?? 'sqlite'](config, logger);
}

/** The embedded usage ledger beside the sessions: `dataDir/usage.db`, or in memory with `type: memory`. */
export function createUsageLedger(config: Config): UsageLedger {
  return new SqliteUsageLedger({ dataDir: config.store?.type === 'memory' ? ':memory:' : config.dataDir });
}
