import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../models/registry.js';

/** What the routes share: built once per server. */
export interface AppContext {
  config: Config;
  registry: ModelRegistry;
  logger: Logger;
}
