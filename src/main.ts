#!/usr/bin/env node
/** `npm start`: reads flags, env and the config file, starts the server, stops on SIGTERM/SIGINT. */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from './config/load-config.js';
import { createConfigLogger, type Logger } from './logger.js';
import { startServer } from './server.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      config: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('usage: streamgate [--port N] [--host ADDR] [--config FILE]\n');
    return;
  }
  const config = loadConfig({
    ...(values.config !== undefined ? { file: values.config } : {}),
    overrides: {
      ...(values.port !== undefined ? { port: values.port as unknown as number } : {}),
      ...(values.host !== undefined ? { host: values.host } : {}),
    },
  });
  const logger = createConfigLogger(config);
  const running = await startServer({ config, logger });
  process.stdout.write(`streamgate listening on ${running.url}\n`);

  handleSignals(() => running.close({ graceMs: config.shutdownGraceMs }), logger);
}

/**
 * The first SIGTERM/SIGINT drains (no new requests; running answers go on up to
 * `shutdownGraceMs`, then end with an error saying the restart cut them); a second one
 * exits at once, as Ctrl+C twice does everywhere.
 */
function handleSignals(drain: () => Promise<void>, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal: exiting now');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing running streams (send the signal again to exit now)');
    drain().then(
      () => process.exit(0),
      (err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError) {
    process.stderr.write(`streamgate: ${err.message}\n`);
  } else {
    process.stderr.write(`streamgate: failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  }
  process.exit(1);
});
