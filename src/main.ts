#!/usr/bin/env node
/** The `streamgate` command: reads flags, env and the config file, starts the server, stops on SIGTERM/SIGINT. */
import { loadConfig } from './config/load-config.js';
import { helpText, parseCli, startupErrorMessage } from './cli/cli-args.js';
import { startupLines } from './cli/startup-lines.js';
import { createConfigLogger, logFormatOf, type Logger } from './logger.js';
import { startServer } from './server.js';
import { VERSION } from './version.js';

/** Where it tried to listen, for the error message when it could not. */
const listen = { port: 8003, host: '127.0.0.1' };

async function main(): Promise<void> {
  const command = parseCli(process.argv.slice(2));
  if (command.kind === 'help') return void process.stdout.write(helpText(VERSION));
  if (command.kind === 'version') return void process.stdout.write(`streamgate ${VERSION}\n`);
  const { options } = command;
  const configFile = options.config ?? (process.env.STREAMGATE_CONFIG || undefined);
  const config = loadConfig({
    ...(configFile !== undefined ? { file: configFile } : {}),
    overrides: {
      ...(options.port !== undefined ? { port: options.port as unknown as number } : {}),
      ...(options.host !== undefined ? { host: options.host } : {}),
      ...(options.logLevel !== undefined ? { logLevel: options.logLevel as never } : {}),
    },
  });
  listen.port = config.port;
  listen.host = config.host;
  const logger = createConfigLogger(config, undefined, logFormatOf(options.logFormat ?? process.env.LOG_FORMAT, process.stdout.isTTY === true));
  const running = await startServer({
    config,
    logger,
    onListening: (url, context) => process.stdout.write(`streamgate listening on ${url}\n${startupLines(config, context.registry, configFile).join('\n')}\n`),
  });
  handleSignals(() => running.close({ graceMs: config.shutdownGraceMs }), logger);
}

/**
 * The first SIGTERM/SIGINT drains (no new requests; running answers go on up to
 * `shutdownGraceMs`, then, with Redis, resumable ones are handed over to another instance
 * and the others end with an error saying the restart cut them); a second one
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
  process.stderr.write(`streamgate: ${startupErrorMessage(err, listen)}\n`);
  process.exit(1);
});
