/**
 * The command line as an operator meets it: the `bin` entry of a package built for the
 * test (a fresh `tsc` build beside a copy of `bin/`, as `npx streamgate` or an installed
 * `streamgate` runs it), started as child processes, reading what they print and how they
 * exit. Plain Node, no TypeScript loader: each process starts as fast as it does for users.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { freePort } from '../test-support/services.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const dirs: string[] = [];
/** Processes still running when the tests end (a failed assertion left them): stopped, not leaked. */
const children = new Set<ChildProcess>();
after(() => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'sg-cli-'));
  dirs.push(d);
  return d;
}

/** The environment of a fresh shell: none of the test runner's streamgate variables. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['PORT', 'HOST', 'STREAMGATE_CONFIG', 'LOG_LEVEL', 'LOG_FORMAT', 'NODE_ENV']) delete env[name];
  return { ...env, ...extra };
}

/** A package as npm installs it: bin/, package.json and (once built) dist/, dependencies linked. */
function packageDir(): string {
  const pkg = tempDir();
  cpSync(join(ROOT, 'bin'), join(pkg, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  return pkg;
}

let BIN = '';

function run(args: string[], env: Record<string, string> = {}, cwd = tempDir()) {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A one-line error: `streamgate: …`, no stack trace. */
function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${stderr}`);
  assert.match(lines[0]!, /^streamgate: /);
  assert.match(lines[0]!, pattern);
  assert.doesNotMatch(stderr, /\n\s+at /);
}

interface Running {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

/** Starts the command and resolves once it printed its listening line and the three after it. */
async function start(args: string[], env: Record<string, string>, cwd: string): Promise<Running> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  children.add(child);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    const check = () => {
      if (/listening on .*\n(?:.*\n){3}/.test(out)) resolve();
      else if (child.exitCode !== null) reject(new Error(`exited ${child.exitCode}:\n${out}\n${err}`));
      else setTimeout(check, 50);
    };
    check();
  });
  return { child, out: () => out, err: () => err, exited };
}

// Generous: a build and a dozen processes on a busy two-core machine.
describe('streamgate on the command line', { timeout: 600_000 }, () => {
  before(() => {
    const pkg = packageDir();
    const tsc = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json'), '--outDir', join(pkg, 'dist')], {
      encoding: 'utf8',
    });
    assert.equal(tsc.status, 0, tsc.stdout + tsc.stderr);
    BIN = join(pkg, 'bin/streamgate.js');
  });

  test('--help lists every flag and environment variable', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0);
    for (const word of ['--port', '--host', '--config', '--log-level', '--log-format', '--help', '--version', 'PORT', 'HOST', 'STREAMGATE_CONFIG', 'LOG_LEVEL', 'LOG_FORMAT']) {
      assert.ok(r.stdout.includes(word), `--help names ${word}`);
    }
    assert.equal(run(['-h']).stdout, r.stdout);
  });

  test('--version prints the package version', () => {
    const r = run(['--version']);
    assert.equal(r.code, 0);
    assert.equal(r.stdout, `streamgate ${VERSION}\n`);
  });

  test('an unknown flag, an unreadable config, a bad LOG_FORMAT: one line each, exit 1', () => {
    let r = run(['--prot', '9000']);
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, /unknown option --prot \(see streamgate --help\)/);
    r = run(['--config', '/nonexistent/streamgate.yaml']);
    assert.equal(r.code, 1);
    assertOneLine(r.stderr, /cannot read config file \/nonexistent\/streamgate\.yaml/);
    r = run([], { STREAMGATE_CONFIG: '/nonexistent/other.json' });
    assertOneLine(r.stderr, /\/nonexistent\/other\.json/);
    r = run(['--port', '0'], { LOG_FORMAT: 'xml' });
    assertOneLine(r.stderr, /LOG_FORMAT must be json or pretty, got 'xml'/);
  });

  test('a port in use: one line naming the port and PORT', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const r = run([], { PORT: String(port) }, tempDir());
      assert.equal(r.code, 1);
      assertOneLine(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use.*PORT=N`));
    } finally {
      blocker.close();
    }
  });

  test('starts with the URL on the first line, then config, store and models; logs JSON off a terminal; SIGTERM stops it', async () => {
    const dir = tempDir();
    const configFile = join(dir, 'streamgate.yaml');
    writeFileSync(configFile, `dataDir: ${join(dir, 'data')}\nsimulator: { tokensPerSecond: 0, firstTokenMs: 0 }\n`);
    const port = await freePort();
    const sg = await start(['--config', configFile], { PORT: String(port), LOG_LEVEL: 'info' }, dir);
    const lines = sg.out().split('\n');
    assert.equal(lines[0], `streamgate listening on http://127.0.0.1:${port}`);
    assert.equal(lines[1], `  config: ${configFile}`);
    assert.equal(lines[2], `  store:  sqlite in ${join(dir, 'data')} (sessions and usage)`);
    assert.equal(lines[3], '  models: sim-reasoner, sim-chat');

    const url = `http://127.0.0.1:${port}`;
    await (await fetch(`${url}/healthz`)).text();
    const chat = await fetch(`${url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'req-chat-1' },
      body: JSON.stringify({ model: 'sim-chat', stream: true, seed: 1, messages: [{ role: 'user', content: 'hi' }] }),
    });
    await chat.text();
    const complete = await fetch(`${url}/v1/complete?question=hi&model=sim-reasoner&requestId=req-complete-1`);
    await complete.text();
    const bad = await fetch(`${url}/v1/complete?question=hi&model=no-such-model&api_key=secret-in-query`);
    await bad.text();

    sg.child.kill('SIGTERM');
    assert.equal(await sg.exited, 0);
    const logs = sg
      .out()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const find = (msg: string, requestId: string) => logs.find((l) => l.msg === msg && l.requestId === requestId);

    const started = find('stream started', 'req-chat-1');
    assert.ok(started, 'a line when the stream starts');
    const ended = find('stream ended', 'req-chat-1');
    assert.ok(ended, 'a line when the stream ends');
    assert.equal(ended.model, 'sim-chat');
    assert.equal(ended.outcome, 'completed');
    assert.equal(ended.usageSource, 'provider');
    assert.ok((ended.completionTokens as number) > 0 && (ended.promptTokens as number) > 0);
    assert.equal(typeof ended.ttftMs, 'number');
    assert.ok(logs.indexOf(started) < logs.indexOf(ended));

    // /v1/complete: the request id of X-Request-Id, the model, the full path (also on errors).
    assert.equal(complete.headers.get('x-request-id'), 'req-complete-1');
    const completeLine = find('request', 'req-complete-1');
    assert.ok(completeLine, JSON.stringify(logs.filter((l) => l.msg === 'request')));
    assert.equal(completeLine.model, 'sim-reasoner');
    assert.equal(completeLine.path, '/v1/complete');
    assert.ok(find('stream ended', 'req-complete-1'));
    const badLine = logs.find((l) => l.msg === 'request' && l.status === 404);
    assert.equal(badLine?.path, '/v1/complete');
    assert.doesNotMatch(sg.out(), /secret-in-query/);
    // Polling is at debug level: not in an info log.
    assert.equal(logs.filter((l) => l.path === '/healthz').length, 0);
  });

  test('LOG_FORMAT=pretty: readable lines, not JSON', async () => {
    const dir = tempDir();
    const port = await freePort();
    const sg = await start(['--port', String(port)], { LOG_FORMAT: 'pretty', LOG_LEVEL: 'info' }, dir);
    assert.match(sg.out(), /^streamgate listening on http:\/\/127\.0\.0\.1:\d+\n {2}config: embedded defaults/);
    await (await fetch(`http://127.0.0.1:${port}/v1/models`)).text();
    const deadline = Date.now() + 10_000;
    while (!/request/.test(sg.out().split('\n').slice(4).join('\n')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    sg.child.kill('SIGTERM');
    await sg.exited;
    const logLines = sg.out().split('\n').slice(4).filter((l) => l.trim() !== '');
    assert.ok(logLines.some((l) => /INFO.*request/.test(l)), sg.out());
    assert.ok(logLines.every((l) => !l.startsWith('{')), sg.out());
  });

  test('the bin entry: an executable that runs the build, and says so when there is none', async () => {
    // Run as the shell would: by its #! line.
    const version = spawnSync(BIN, ['--version'], { encoding: 'utf8', env: cleanEnv() });
    assert.equal(version.stdout, `streamgate ${VERSION}\n`, version.stderr);
    const port = await freePort();
    const sg = await start(['--port', String(port)], { LOG_LEVEL: 'warn' }, tempDir());
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
    sg.child.kill('SIGTERM');
    assert.equal(await sg.exited, 0);

    const unbuilt = spawnSync(process.execPath, [join(packageDir(), 'bin/streamgate.js'), '--version'], { encoding: 'utf8', env: cleanEnv() });
    assert.equal(unbuilt.status, 1);
    assertOneLine(unbuilt.stderr, /not built yet .*npm run build/);
  });

  test('npm start builds only what is out of date', () => {
    const root = tempDir();
    const file = (path: string, at: number) => {
      mkdirSync(join(root, path, '..'), { recursive: true });
      writeFileSync(join(root, path), '');
      utimesSync(join(root, path), at, at);
    };
    const t = Date.now() / 1000 - 1000;
    for (const f of ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'src/main.ts', 'src/main.test.ts', 'web/index.html', 'web/src/main.ts']) file(f, t);
    file('dist/main.js', t + 10);
    file('web/dist/index.html', t + 10);
    // A directory's mtime counts too (a deleted source file changes it): set them back.
    for (const d of ['src', 'web', 'web/src']) utimesSync(join(root, d), t, t);
    const check = () => spawnSync(process.execPath, [join(ROOT, 'scripts/build-if-stale.mjs'), '--check', root], { encoding: 'utf8' }).stdout;
    assert.equal(check(), 'build: server is up to date\nbuild: chat page is up to date\n');
    file('src/main.ts', t + 20);
    assert.equal(check(), 'build: server is out of date\nbuild: chat page is up to date\n');
    file('dist/main.js', t + 30);
    file('web/src/main.ts', t + 40);
    assert.equal(check(), 'build: server is up to date\nbuild: chat page is out of date\n');
    // A test file is not part of the build.
    file('web/dist/index.html', t + 50);
    file('src/main.test.ts', t + 60);
    assert.equal(check(), 'build: server is up to date\nbuild: chat page is up to date\n');
    // A source file deleted: its directory changed.
    rmSync(join(root, 'src/main.test.ts'));
    assert.equal(check(), 'build: server is out of date\nbuild: chat page is up to date\n');
  });
});
