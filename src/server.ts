/**
 * Starts streamgate: builds the context, listens, and closes cleanly. Used by `main.ts`
 * and by tests (port 0 on loopback).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseConfig } from './config/load-config.js';
import type { Config, ConfigInput } from './config/schema.js';
import { createApp } from './http/app.js';
import type { AppContext } from './http/app-context.js';
import { createConfigLogger, type Logger } from './logger.js';
import { GatewayMetrics } from './metrics/gateway-metrics.js';
import { buildRegistry } from './models/registry.js';
import { observeRouting } from './models/observe-routing.js';
import { shareHealth } from './models/share-health.js';
import { createStores } from './store/create-stores.js';
import { MemoryRateLimitStore } from './store/memory-rate-limit-store.js';
import { createSessionStore, createUsageLedger } from './store/create-session-store.js';
import { createTracing } from './telemetry/tracing.js';
import { StreamHub } from './streams/stream-hub.js';
import { resumeChat } from './http/serve-chat.js';
import { resumeComplete } from './http/routes/complete.js';
import { SqliteResponseStore } from './store/response-store.js';

/** How long an instance at its shutdown deadline waits for another one to claim each run it hands over. */
const HANDOVER_CLAIM_WAIT_MS = 5_000;

export interface StartServerOptions {
  /** A validated config, or raw input that is validated here (defaults fill the rest). */
  config?: Config | ConfigInput;
  port?: number;
  host?: string;
  logger?: Logger;
  /** Told as soon as it listens, before it logs anything more (the command prints its URL here). */
  onListening?: (url: string, context: AppContext) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  config: Config;
  server: Server;
  context: AppContext;
  /**
   * Graceful stop: stops accepting, `/healthz` turns 503, running streams go on for up to
   * `graceMs` (with a shared store their clients are told to resume elsewhere at once),
   * then remaining clients get a resume notice, resumable runs still going are handed over
   * to another instance (with Redis; `streams/handover.ts`), the others end with an error
   * event, and the stores close.
   */
  close(options?: { graceMs?: number }): Promise<void>;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const input = { ...(options.config ?? {}) } as ConfigInput;
  if (options.port !== undefined) input.port = options.port;
  if (options.host !== undefined) input.host = options.host;
  if (input.logLevel === undefined && process.env.NODE_ENV === 'test') input.logLevel = (process.env.LOG_LEVEL ?? 'silent') as Config['logLevel'];
  const config = parseConfig(input);
  const logger = options.logger ?? createConfigLogger(config);
  const stores = createStores(config, logger);
  // Serve once the shared store is connected, so a fresh instance does not answer its first
  // requests with 503; if it is down, start anyway (503 until it is back) rather than hang.
  if (!(await stores.ready(5_000))) logger.warn('the store is not reachable yet; answering 503 until it is');
  const streams = new StreamHub({ log: stores.streamLog, resumeGraceMs: config.streams.resumeGraceMs, logger });
  // A DELETE /v1/streams/:id that landed on another instance reaches the run here.
  await stores.cancels?.listen((id, owner) => streams.cancel(id, owner));
  const rateLimits = stores.rateLimits ?? new MemoryRateLimitStore();
  const registry = buildRegistry(config);
  const metrics = new GatewayMetrics();
  registry.observe(observeRouting(registry, logger, metrics));
  if (stores.deploymentHealth) await shareHealth(registry, stores.deploymentHealth, logger);
  const context: AppContext = {
    config,
    logger,
    registry,
    rateLimits,
    sessions: stores.sessions ?? createSessionStore(config, logger),
    metrics,
    responses: stores.responses ?? new SqliteResponseStore(config.store?.type === 'memory' ? ':memory:' : config.dataDir),
    stores,
    streams,
    usage: stores.usage ?? createUsageLedger(config),
    tracing: await createTracing(config.telemetry, logger),
  };
  if (stores.handovers) {
    streams.enableHandover({
      queue: stores.handovers,
      resumers: new Map([
        ['chat', resumeChat(context)],
        ['complete', resumeComplete(context)],
      ]),
      claimWaitMs: HANDOVER_CLAIM_WAIT_MS,
      observe: (outcome, fields) => {
        metrics.handover(outcome);
        logger[outcome === 'taken-back' || outcome === 'not-possible' ? 'warn' : 'info']({ ...fields, outcome }, 'stream handover');
      },
    });
  }
  const app = createApp(context);
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, app);
  // Past this, Node closes new connections as they arrive ('drop'): a flood cannot exhaust file descriptors.
  server.maxConnections = config.limits.maxConnections;
  let lastDropLog = 0;
  server.on('drop', () => {
    if (Date.now() - lastDropLog < 10_000) return;
    lastDropLog = Date.now();
    logger.warn({ maxConnections: config.limits.maxConnections }, 'connection refused: limits.maxConnections open connections already');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  }).catch(async (err: unknown) => {
    await context.sessions.close();
    await context.usage.close();
    await context.tracing.close();
    await context.responses.close();
    throw err;
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${hostForUrl}:${address.port}`;
  // Before any log line of the running server: the command's first line is its URL.
  options.onListening?.(url, context);
  if (!config.auth) {
    logger.warn(
      { host: config.host, allowedHosts: config.allowedHosts },
      'running without API keys (no auth.keys): anyone who can reach this address may use it; answering only localhost, IP addresses and allowedHosts, and no cross-site pages (docs/security.md)',
    );
  }

  return {
    url,
    port: address.port,
    host: address.address,
    config,
    server,
    context,
    async close({ graceMs = 0 } = {}) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      await streams.drain({ graceMs, detachClientsNow: stores.shared });
      // Every stream has ended or its client was told to resume: what is left is idle.
      const timer = setTimeout(() => server.closeAllConnections(), 1_000);
      timer.unref();
      server.closeIdleConnections();
      await closed;
      clearTimeout(timer);
      await streams.close();
      await context.rateLimits.close();
      await context.registry.close();
      await context.tracing.close();
      await context.usage.close();
      // The SQLite store checkpoints its WAL into the database file on close.
      await context.sessions.close();
      await context.responses.close();
      await stores.close();
    },
  };
}
