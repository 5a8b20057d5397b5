import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { ModelRegistry } from '../models/registry.js';
import type { RateLimitStore } from '../store/types.js';

/** What the routes share: built once per server. */
export interface AppContext {
  config: Config;
  registry: ModelRegistry;
  logger: Logger;
  /** Per-key request and stream counters. */
  rateLimits: RateLimitStore;
}
