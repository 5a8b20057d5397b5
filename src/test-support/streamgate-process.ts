/**
 * streamgate as a real child process (`node --import tsx src/main.ts --config FILE`), as
 * an operator runs it: for tests of signals, exit codes and several instances.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface StreamgateProcess {
  port: number;
  url: string;
  child: ChildProcess;
  /** Resolves with the exit code (or the signal name). */
  exited: Promise<number | string>;
  /** Everything it wrote to stderr/stdout (logs), for failure messages. */
  output(): string;
  kill(signal?: NodeJS.Signals): void;
}

export async function startStreamgate(options: { port: number; config: object; dir: string; name: string }): Promise<StreamgateProcess> {
  const configFile = join(options.dir, `${options.name}.json`);
  writeFileSync(configFile, JSON.stringify(options.config));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--config', configFile, '--port', String(options.port)], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production', LOG_LEVEL: process.env.SG_CHILD_LOG_LEVEL ?? 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  await new Promise<void>((resolve, reject) => {
    // Generous: a loaded 2-core machine can take long to compile the TypeScript through tsx.
    // A child that did not start is killed, or it would keep the test process alive.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${options.name} did not start within 60 s:\n${output}`));
    }, 60_000);
    const onData = () => {
      if (output.includes('listening on')) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${options.name} exited with ${code}:\n${output}`));
    });
  });
  return {
    port: options.port,
    url: `http://127.0.0.1:${options.port}`,
    child,
    exited,
    output: () => output,
    kill: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    },
  };
}
