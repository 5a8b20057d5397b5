/**
 * Real services for tests: `redis-server` and `nginx` from the system's packages, started
 * on free loopback ports in temporary directories and stopped by the test. When a binary
 * is missing the test is skipped with what to install, except under `CI=true`, where a
 * skipped integration test would hide a broken pipeline: there it fails.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import type { TestContext } from 'node:test';

const INSTALL_HINT: Record<string, string> = {
  'redis-server': 'apt-get install redis-server (or: brew install redis)',
  nginx: 'apt-get install nginx (or: brew install nginx)',
};

/** The binary's path in PATH or /usr/sbin, or null. */
export function findBinary(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const dir of dirs) {
    if (!dir) continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return null;
}

/** What to install to get `name`. */
export function installHint(name: string): string {
  return `${name} is not installed: ${INSTALL_HINT[name] ?? `install ${name}`}`;
}

/**
 * The binary's path, or null when it is missing: then the test should `t.skip(installHint(name))`.
 * Under `CI=true` a missing binary throws instead, so the test fails rather than skips.
 * `t` (a test's context) is skipped right here when given.
 */
export function requireBinary(name: string, t?: TestContext): string | null {
  const path = findBinary(name);
  if (path !== null) return path;
  if (process.env.CI === 'true') throw new Error(`${installHint(name)} (CI=true: integration tests must not be skipped)`);
  t?.skip(installHint(name));
  return null;
}

/** A free TCP port on 127.0.0.1 (the OS picks it; a tiny race is accepted in tests). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningService {
  port: number;
  process: ChildProcess;
  /** Stops the process (SIGTERM, then SIGKILL after 3 s) and removes its directory. */
  stop(): Promise<void>;
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs} ms`);
}

/** Sends `PING` in RESP and resolves true on `+PONG`. */
export function redisPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.on('data', (chunk) => {
      answer += chunk.toString();
      if (answer.includes('\r\n')) done(answer.startsWith('+PONG'));
    });
    socket.write('PING\r\n');
  });
}

function stopper(child: ChildProcess, dir: string): () => Promise<void> {
  return async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
}

/**
 * Starts `redis-server` without persistence on `port` (a free one by default); ready when
 * PING answers. `extraArgs` are more settings (`['--maxmemory', '4mb']`).
 */
export async function startRedis(binary: string, port?: number, extraArgs: string[] = []): Promise<RunningService> {
  const p = port ?? (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'sg-redis-'));
  const child = spawn(binary, ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, ...extraArgs], {
    stdio: 'ignore',
  });
  const stop = stopper(child, dir);
  try {
    await waitFor(() => redisPing(p), `redis-server on port ${p}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port: p, process: child, stop };
}

/**
 * Starts nginx in the foreground with `httpConfig` (the inside of an `http {}` block) in a
 * temporary prefix; ready when `port` accepts connections.
 */
export async function startNginx(binary: string, options: { port: number; httpConfig: string }): Promise<RunningService & { dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'sg-nginx-'));
  mkdirSync(join(dir, 'logs'));
  const conf = [
    'worker_processes 1;',
    `error_log ${join(dir, 'logs', 'error.log')} warn;`,
    `pid ${join(dir, 'nginx.pid')};`,
    'events { worker_connections 1024; }',
    'http {',
    `  access_log ${join(dir, 'logs', 'access.log')};`,
    `  client_body_temp_path ${join(dir, 'body')};`,
    `  proxy_temp_path ${join(dir, 'proxy')};`,
    `  fastcgi_temp_path ${join(dir, 'fastcgi')};`,
    `  uwsgi_temp_path ${join(dir, 'uwsgi')};`,
    `  scgi_temp_path ${join(dir, 'scgi')};`,
    options.httpConfig,
    '}',
    '',
  ].join('\n');
  writeFileSync(join(dir, 'nginx.conf'), conf);
  const child = spawn(binary, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => (stderr += c.toString()));
  const stop = stopper(child, dir);
  try {
    await waitFor(async () => {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
      return tcpOpen(options.port);
    }, `nginx on port ${options.port}`);
  } catch (err) {
    await stop();
    throw err;
  }
  return { port: options.port, process: child, stop, dir };
}

/** True when something accepts TCP connections on 127.0.0.1:port. */
export function tcpOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
