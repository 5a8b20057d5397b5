import type { Config } from '../config/schema.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ModelRegistry } from '../models/registry.js';
import type { Stores } from '../store/create-stores.js';
import type { RateLimitStore, SessionStore, UsageLedger } from '../store/types.js';
import type { Tracing } from '../telemetry/tracing.js';
import type { ResponseStore } from '../store/response-store.js';
import type { StreamHub } from '../streams/stream-hub.js';

/** What the routes share: built once per server. */
export interface AppContext {
  config: Config;
  registry: ModelRegistry;
  logger: Logger;
  /** Per-key request and stream counters. */
  rateLimits: RateLimitStore;
  /** Prometheus metrics of this server (its own registry). */
  metrics: GatewayMetrics;
  /** The turns of `/v1/complete` sessions. */
  sessions: SessionStore;
  /** Stored `/v1/responses`. */
  responses: ResponseStore;
  /** Running and resumable streams. */
  streams: StreamHub;
  stores: Stores;
  /** Usage per key, model, end user and UTC day; the budgets' counters. */
  usage: UsageLedger;
  /** OpenTelemetry traces (`tracer` is null when off). */
  tracing: Tracing;
}
