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
import { createLogger, type Logger } from './logger.js';
import { buildRegistry } from './models/registry.js';
import { MemoryRateLimitStore } from './store/memory-rate-limit-store.js';

export interface StartServerOptions {
  /** A validated config, or raw input that is validated here (defaults fill the rest). */
  config?: Config | ConfigInput;
  port?: number;
  host?: string;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  host: string;
  config: Config;
  server: Server;
  context: AppContext;
  /** Stops listening, ends open connections after `graceMs`, releases resources. */
  close(options?: { graceMs?: number }): Promise<void>;
}

export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const input = { ...(options.config ?? {}) } as ConfigInput;
  if (options.port !== undefined) input.port = options.port;
  if (options.host !== undefined) input.host = options.host;
  if (input.logLevel === undefined && process.env.NODE_ENV === 'test') input.logLevel = (process.env.LOG_LEVEL ?? 'silent') as Config['logLevel'];
  const config = parseConfig(input);
  const logger = options.logger ?? createLogger(config.logLevel);
  const context: AppContext = { config, logger, registry: buildRegistry(config), rateLimits: new MemoryRateLimitStore() };
  const app = createApp(context);
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, app);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${hostForUrl}:${address.port}`,
    port: address.port,
    host: address.address,
    config,
    server,
    context,
    async close({ graceMs = 0 } = {}) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const timer = setTimeout(() => server.closeAllConnections(), graceMs);
      await closed;
      clearTimeout(timer);
      await context.rateLimits.close();
      await context.registry.close();
    },
  };
}
