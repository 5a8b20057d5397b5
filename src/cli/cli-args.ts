/**
 * The command line: flags, the help text, and each startup failure as one line an
 * operator can act on (no stack traces). Pure: `main.ts` does the I/O.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load-config.js';
import { LOG_FORMATS } from '../logger.js';

export interface CliOptions {
  port?: string;
  host?: string;
  config?: string;
  logLevel?: string;
  logFormat?: string;
}

export type CliCommand = { kind: 'help' } | { kind: 'version' } | { kind: 'run'; options: CliOptions };

/** A mistake on the command line: printed as it is, with a pointer to `--help`. */
export class UsageError extends Error {
  override name = 'UsageError';
}

const LOG_LEVELS = 'fatal, error, warn, info, debug, trace or silent';

export function helpText(version: string): string {
  return `streamgate ${version}: a streaming LLM gateway (OpenAI, lm-v2 and /v1/complete over SSE)

Usage: streamgate [options]

Options:
  --port N           port to listen on (default 8003; 0 picks a free one)
  --host ADDR        address to listen on (default 127.0.0.1; 0.0.0.0 for every interface)
  --config FILE      config file, YAML or JSON by its extension
  --log-level LEVEL  ${LOG_LEVELS} (default info)
  --log-format FMT   ${LOG_FORMATS.join(' or ')} (default: pretty on a terminal, json otherwise)
  -h, --help         show this help and exit
  -v, --version      print the version and exit

Environment (a flag wins over its variable, a variable over the config file):
  PORT               as --port
  HOST               as --host
  STREAMGATE_CONFIG  as --config
  LOG_LEVEL          as --log-level
  LOG_FORMAT         as --log-format
  \${VAR}             any variable the config file names, e.g. STREAMGATE_KEY, DASHSCOPE_API_KEY

Without a config file it serves the simulated models sim-reasoner and sim-chat, with
sessions and usage in SQLite under ./data. Stop it with Ctrl-C or SIGTERM (running
streams get shutdownGraceMs to finish). Docs: README.md and docs/ in the package.
`;
}

export function parseCli(argv: readonly string[]): CliCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    throw new UsageError(parseArgsMessage(err));
  }
  const { values } = parsed;
  if (values.help) return { kind: 'help' };
  if (values.version) return { kind: 'version' };
  const options: CliOptions = {};
  if (values.port !== undefined) options.port = values.port;
  if (values.host !== undefined) options.host = values.host;
  if (values.config !== undefined) options.config = values.config;
  if (values['log-level'] !== undefined) options.logLevel = values['log-level'];
  if (values['log-format'] !== undefined) options.logFormat = values['log-format'];
  return { kind: 'run', options };
}

/** node:util's parse errors, said shortly. */
function parseArgsMessage(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const name = /'([^']+)'/.exec(e.message ?? '')?.[1];
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${name ?? ''}`.trim();
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `unexpected argument ${name ?? ''} (options start with --)`.trim();
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return (e.message ?? 'invalid option value').replace(/\.$/, '');
    default:
      return e.message ?? String(err);
  }
}

/** What went wrong at startup, as one line (an invalid config lists each bad key below it). */
export function startupErrorMessage(err: unknown, listen: { port: number; host: string }): string {
  if (err instanceof UsageError) return `${err.message} (see streamgate --help)`;
  if (err instanceof ConfigError) return err.message;
  if (err instanceof RangeError && /^LOG_FORMAT /.test(err.message)) return err.message;
  const e = err as NodeJS.ErrnoException;
  if (e?.code === 'EADDRINUSE') {
    return `port ${listen.port} on ${listen.host} is already in use: stop what runs there, or pick another port with --port N or PORT=N`;
  }
  if (e?.code === 'EACCES') return `no permission to listen on port ${listen.port} on ${listen.host}: use a port above 1023 (--port N or PORT=N)`;
  if (e?.code === 'EADDRNOTAVAIL' || e?.code === 'ENOTFOUND') return `cannot listen on ${listen.host}: no such address on this machine (--host ADDR or HOST=ADDR)`;
  return `failed to start: ${err instanceof Error ? err.message : String(err)}`;
}
