/**
 * Per-request cost of streamgate's request path, builds side by side: CPU µs per request
 * of the server process and the timeline of one request inside it, over sequential
 * short streams to the benchmark's fake upstream.
 *
 *   npx tsx bench/micro/request-path.ts [--side name=distDir]... [--requests 400] [--tokens 2]
 *     [--route chat|lm|complete] [--auth] [--profile]
 *
 * Each `--side` is a compiled server (`dist/` of a checkout, default `after=dist`) run by
 * `serve-built.mjs` in its own process. The raw `node:http` pass-through (`bench/pass-through.ts`)
 * and the upstream itself (direct) are measured alongside for the time to first byte.
 * Requests alternate between the sides (A/B interleaved); CPU is read over rounds of
 * `--round` requests per side with the timeline marks off, then the timeline is taken with
 * them on, in a seeded shuffled order. Figures are medians. Two identical builds measured this
 * way differ by up to ~7% in CPU and ~0.1 ms in the timeline on a busy 2-core machine: compare
 * several runs. `--profile` writes a `--cpu-prof` of each side to
 * `bench/profiles/` (summarize with `bench/profile-summary.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createRandom } from '../../src/core/random.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const { values: args } = parseArgs({
  options: {
    side: { type: 'string', multiple: true },
    requests: { type: 'string', default: '400' },
    round: { type: 'string', default: '25' },
    tokens: { type: 'string', default: '2' },
    route: { type: 'string', default: 'chat' },
    auth: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    warmup: { type: 'string', default: '200' },
  },
});
const REQUESTS = Number(args.requests);
const ROUND = Number(args.round);
const TOKENS = Number(args.tokens);
const WARMUP = Number(args.warmup);
const KEY = 'sk-bench-0123456789';
const now = () => performance.timeOrigin + performance.now();

const ROUTES: Record<string, { path: string; body: (model: string) => Record<string, unknown>; method?: string }> = {
  chat: { path: '/v1/chat/completions', body: (model) => ({ model, stream: true, messages: [{ role: 'user', content: 'Say something about foxes.' }] }) },
  lm: { path: '/lm/v2/chat/completions', body: (model) => ({ model, stream: true, messages: [{ role: 'user', content: 'Say something about foxes.' }] }) },
  complete: { path: '/v1/complete', body: (model) => ({ model, question: 'Say something about foxes.' }) },
};
const route = ROUTES[args.route];
if (!route) throw new Error(`--route: one of ${Object.keys(ROUTES).join(', ')}`);

interface Side {
  name: string;
  port: number;
  child: ChildProcess;
  ask?: (msg: Record<string, unknown>) => Promise<Record<string, unknown>>;
  agent: Agent;
  path: string;
  body: string;
  headers: Record<string, string>;
  cpuUs: number[];
  ttft: number[];
  marks: Record<string, number>[];
}

function spawnTsx(file: string, argv: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, file), ...argv], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      const m = /\{"port":\s*(\d+)\}/.exec(out);
      if (m) resolve({ child, port: Number(m[1]) });
    });
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code}`)));
  });
}

function spawnBuilt(name: string, dist: string, config: unknown): Promise<Side> {
  const dir = `/tmp/streamgate-request-path-${process.pid}-${name}`;
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'config.json');
  writeFileSync(file, JSON.stringify({ ...(config as object), dataDir: join(dir, 'data') }));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  const flags = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench/profiles')}`, `--cpu-prof-name=request-path-${name}-${process.pid}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...flags, join(ROOT, 'bench/micro/serve-built.mjs'), resolve(ROOT, dist), file], {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    // A side named `…:sync-log` runs with synchronous log writes (LOG_DESTINATION=sync in serve-built.mjs).
    env: { ...process.env, NODE_ENV: 'production', ...(name.endsWith(':sync-log') ? { LOG_DESTINATION: 'sync' } : {}) },
  });
  const waiting: ((m: Record<string, unknown>) => void)[] = [];
  return new Promise((resolve, reject) => {
    child.on('message', (m: Record<string, unknown>) => {
      if (typeof m.port === 'number') {
        const ask = (msg: Record<string, unknown>) =>
          new Promise<Record<string, unknown>>((res) => {
            waiting.push(res);
            child.send(msg);
          });
        resolve({ name, port: m.port, child, ask, ...client(m.port), cpuUs: [], ttft: [], marks: [] });
      } else waiting.shift()?.(m);
    });
    child.once('exit', (code) => reject(new Error(`${name} exited with ${code}`)));
  });
}

function client(port: number, path = route!.path, model = 'bench-short'): Pick<Side, 'agent' | 'path' | 'body' | 'headers'> {
  void port;
  return {
    agent: new Agent({ keepAlive: true, maxSockets: 1 }),
    path,
    body: JSON.stringify(route!.body(model)),
    headers: { 'content-type': 'application/json', ...(args.auth ? { authorization: `Bearer ${KEY}` } : {}) },
  };
}

/** One streaming request read to its end: the time to its first body byte, in ms. */
function once(side: Side): Promise<number> {
  return new Promise((resolve, reject) => {
    const sent = now();
    let first = Number.NaN;
    const req = request(
      { host: '127.0.0.1', port: side.port, path: side.path, method: 'POST', agent: side.agent, headers: { ...side.headers, 'x-bench-sent': String(sent) } },
      (res) => {
        if (res.statusCode !== 200) reject(new Error(`${side.name}: status ${res.statusCode}`));
        res.on('data', () => {
          if (Number.isNaN(first)) first = now() - sent;
        });
        res.on('end', () => resolve(first));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(side.body);
  });
}

const median = (xs: number[]) => {
  const s = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
};

async function main(): Promise<void> {
  const sides = (args.side?.length ? args.side : ['after=dist']).map((s) => {
    const [name, dist] = s.split('=');
    return { name: name!, dist: dist! };
  });
  const upstream = await spawnTsx('bench/fake-upstream.ts', []);
  const pass = await spawnTsx('bench/pass-through.ts', [String(upstream.port)]);
  const upstreamPath = `/s/${TOKENS}/0`;
  const config = {
    logLevel: 'info',
    providers: [{ id: 'up', type: 'openai', baseURL: `http://127.0.0.1:${upstream.port}${upstreamPath}/v1`, apiKey: 'bench-key', maxRetries: 0 }],
    models: [{ name: 'bench-short', provider: 'up', model: 'bench', reasoning: 'auto' }],
    ...(args.auth ? { auth: { keys: [{ key: KEY, name: 'bench', rateLimit: { requestsPerMinute: 1_000_000, concurrentStreams: 100 } }] } } : {}),
  };
  const built: Side[] = [];
  try {
    for (const s of sides) built.push(await spawnBuilt(s.name, s.dist, config));
  } catch (err) {
    for (const side of built) side.child.kill('SIGTERM');
    upstream.child.kill('SIGTERM');
    pass.child.kill('SIGTERM');
    throw err;
  }
  const chatBody = { model: 'bench', stream: true, messages: [{ role: 'user', content: 'Say something about foxes.' }] };
  const raw = (name: string, port: number, child: ChildProcess): Side => ({
    name,
    port,
    child,
    agent: new Agent({ keepAlive: true, maxSockets: 1 }),
    path: `${upstreamPath}/v1/chat/completions`,
    body: JSON.stringify(chatBody),
    headers: { 'content-type': 'application/json' },
    cpuUs: [],
    ttft: [],
    marks: [],
  });
  const references = [raw('direct', upstream.port, upstream.child), raw('pass-through', pass.port, pass.child)];
  const all = [...references, ...built];
  try {
    for (let i = 0; i < WARMUP; i++) for (const side of all) await once(side);

    // CPU: rounds of ROUND requests per side, the order turned every round; marks off.
    const rounds = Math.max(1, Math.round(REQUESTS / ROUND));
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? built : [...built].reverse();
      for (const side of order) {
        const before = (await side.ask!({ cmd: 'cpu' })).cpu as NodeJS.CpuUsage;
        for (let i = 0; i < ROUND; i++) await once(side);
        const after = (await side.ask!({ cmd: 'cpu' })).cpu as NodeJS.CpuUsage;
        side.cpuUs.push((after.user - before.user + after.system - before.system) / ROUND);
      }
    }

    // Timeline: one request per side in turn, marks on.
    for (const side of built) await side.ask!({ cmd: 'marks', on: true });
    // A fresh order every turn (seeded): which side follows which, and the trailing work
    // (log lines, the ledger row) of the one before, must not favour any side.
    const random = createRandom(18);
    for (let i = 0; i < REQUESTS; i++) {
      const order = [...all];
      for (let j = order.length - 1; j > 0; j--) {
        const k = Math.floor(random() * (j + 1));
        [order[j], order[k]] = [order[k]!, order[j]!];
      }
      for (const side of order) side.ttft.push(await once(side));
    }
    for (const side of built) {
      await side.ask!({ cmd: 'marks', on: false });
      side.marks = (await side.ask!({ cmd: 'take' })).marks as Record<string, number>[];
    }
  } finally {
    for (const side of built) side.child.send({ cmd: 'stop' });
    upstream.child.kill('SIGTERM');
    pass.child.kill('SIGTERM');
  }

  const fmt = (x: number, digits = 2) => (Number.isNaN(x) ? '—' : x.toFixed(digits));
  const passTtft = median(references[1]!.ttft);
  console.log(`\nroute ${route!.path}, ${TOKENS} tokens per stream, ${REQUESTS} requests per side${args.auth ? ', with an API key (auth + rate limits)' : ''}\n`);
  console.log('| side | CPU µs / request (median of rounds) | TTFB p50 ms | added over pass-through ms |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const side of all) {
    const t = median(side.ttft);
    console.log(`| ${side.name} | ${side.cpuUs.length ? fmt(median(side.cpuUs), 0) : '—'} | ${fmt(t)} | ${side.name === 'direct' || side.name === 'pass-through' ? '—' : fmt(t - passTtft)} |`);
  }
  const points = ['received', 'bodyParsed', 'upstreamCreated', 'upstreamSent', 'upstreamHeaders', 'upstreamFirstByte', 'firstWrite'];
  console.log('\nIn-server timeline, ms after the client sent the request (median):\n');
  console.log(`| side | ${points.join(' | ')} |`);
  console.log(`| --- |${points.map(() => ' ---: |').join('')}`);
  for (const side of built) {
    console.log(`| ${side.name} | ${points.map((p) => fmt(median(side.marks.map((m) => (m[p] === undefined ? Number.NaN : m[p]! - m.sent!))))).join(' | ')} |`);
  }
  console.log('\nThe same, ms after the server received the request (what the server itself adds):\n');
  console.log(`| side | ${points.slice(1).join(' | ')} |`);
  console.log(`| --- |${points.slice(1).map(() => ' ---: |').join('')}`);
  for (const side of built) {
    console.log(`| ${side.name} | ${points.slice(1).map((p) => fmt(median(side.marks.map((m) => (m[p] === undefined ? Number.NaN : m[p]! - m.received!))))).join(' | ')} |`);
  }
}

await main();
