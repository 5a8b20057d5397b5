/**
 * `npm run bench`: streamgate against a raw `node:http` pass-through and against calling
 * the upstream directly, all on loopback, every figure measured side by side in one run.
 * Writes `docs/bench/latest.{json,md,svg}` and prints the table.
 *
 *   npm run bench                       # everything, under 5 minutes
 *   npm run bench -- --quick            # shorter phases, for trying changes
 *   npm run bench -- --phases saturation --profile   # --cpu-prof of streamgate under load
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderChart } from './chart.js';
import { target, type Target } from './load.js';
import { idleStreams, meanThroughput, saturation, ttftConcurrent, ttftOneAtATime, type Side, type Throughput } from './phases.js';
import { describeMachine, spawnChild, type Child } from './processes.js';
import { startStopUpstream, stopLatency, STOP_PATHS, type StopCase } from './stop.js';
import { checkTargets, renderReport, type Results } from './report.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PHASES = ['ttft', 'saturation', 'stop', 'idle'] as const;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    phases: { type: 'string', default: PHASES.join(',') },
    streams: { type: 'string' },
    profile: { type: 'boolean', default: false },
    /** Only these sides, e.g. `streamgate,passThrough` (for profiling). */
    sides: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'docs/bench') },
  },
});
const phases = new Set(args.phases.split(','));
const only = args.sides ? new Set(args.sides.split(',')) : undefined;
const wanted = (name: string) => !only || only.has(name);
const quick = args.quick;
const HEARTBEAT_MS = 1000;
/** Streams stopped per case of the stop phase (10 ms apart: about 2 s each). */
const STOP_STREAMS = 200;
const MESSAGES = [{ role: 'user', content: 'Say something about foxes.' }];

/** Upstream scenarios (path `/s/<tokens>/<delayMs>`) and the simulator options that match them. */
const SCENARIOS = {
  short: { tokens: 8, delayMs: 1, sim: { tokens_per_second: 1000, first_token_ms: 0 } },
  paced: { tokens: 16, delayMs: 20, sim: { tokens_per_second: 50, first_token_ms: 0 } },
  full: { tokens: 200, delayMs: 0, sim: { tokens_per_second: 0, first_token_ms: 0 } },
  idle: { tokens: 1_000_000, delayMs: 600_000, sim: { tokens_per_second: 0.001, first_token_ms: 0 } },
} as const;
type Scenario = keyof typeof SCENARIOS;
const upstreamPath = (s: Scenario) => `/s/${SCENARIOS[s].tokens}/${SCENARIOS[s].delayMs}`;

const STOP_CASES = Object.keys(STOP_PATHS) as StopCase[];

function gatewayConfig(upstreamPort: number, stopPort: number, logLevel: string, withProviders: boolean) {
  const names = Object.keys(SCENARIOS) as Scenario[];
  return {
    logLevel,
    heartbeatMs: HEARTBEAT_MS,
    providers: withProviders
      ? [
          ...names.map((s) => ({ id: `up-${s}`, type: 'openai', baseURL: `http://127.0.0.1:${upstreamPort}${upstreamPath(s)}/v1`, apiKey: 'bench-key', maxRetries: 0 })),
          // The default retries (2): a stop must drop them, which the stop phase checks.
          ...STOP_CASES.map((c) => ({ id: `up-stop-${c}`, type: 'openai', baseURL: `http://127.0.0.1:${stopPort}${STOP_PATHS[c]}/v1`, apiKey: 'bench-key' })),
        ]
      : [],
    models: withProviders
      ? [
          ...names.map((s) => ({ name: `bench-${s}`, provider: `up-${s}`, model: 'bench', reasoning: 'auto' })),
          ...STOP_CASES.map((c) => ({ name: `bench-stop-${c}`, provider: `up-stop-${c}`, model: 'bench', reasoning: 'none' })),
        ]
      : [],
  };
}

async function startGateway(name: string, upstreamPort: number, stopPort: number, logLevel: string, profile: boolean): Promise<{ child: Child; proxies: boolean }> {
  const start = async (withProviders: boolean) => {
    const file = `/tmp/streamgate-bench-${name}-${process.pid}.json`;
    writeFileSync(file, JSON.stringify(gatewayConfig(upstreamPort, stopPort, logLevel, withProviders)));
    process.once('exit', () => rmSync(file, { force: true }));
    const flags = profile ? ['--cpu-prof', `--cpu-prof-dir=${join(ROOT, 'bench/profiles')}`] : [];
    return spawnChild({
      name,
      cwd: ROOT,
      // The built server, as `npm start` runs it: under tsx every named function is
      // re-labelled at creation (esbuild's keepNames), which costs memory and CPU per request.
      args: [...flags, 'dist/main.js', '--config', file, '--port', '0'],
      env: { NODE_ENV: 'production' },
      portOf: (line) => {
        const m = /listening on http:\/\/[^:]+:(\d+)/.exec(line);
        return m ? Number(m[1]) : undefined;
      },
    });
  };
  try {
    return { child: await start(true), proxies: true };
  } catch (err) {
    // Without an OpenAI-compatible provider only the simulator can be measured.
    if (!/provider type "openai" is not available/.test((err as Error).message)) throw err;
    return { child: await start(false), proxies: false };
  }
}

function openFilesHardLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const hard = line?.split(/\s+/)[4];
  return hard === 'unlimited' ? Infinity : Number(hard ?? 1024);
}

async function main(): Promise<void> {
  process.stderr.write('bench: building the server (tsc)\n');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  const limit = openFilesHardLimit();
  // streamgate and the pass-through hold two sockets per stream; keep room for the rest.
  const idleCount = Math.min(Number(args.streams ?? (quick ? 1000 : 5000)), Math.floor((limit - 500) / 2));
  const jsonPort = (line: string) => (line.startsWith('{') ? (JSON.parse(line) as { port: number }).port : undefined);
  const children: Child[] = [];
  const watchdog = setTimeout(() => {
    process.stderr.write('bench: took longer than 5 minutes, stopping\n');
    for (const c of children) c.process.kill('SIGKILL');
    process.exit(1);
  }, 295_000);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const c of children) c.process.kill('SIGKILL');
      process.exit(130);
    });
  }

  let closeStopUpstream: (() => Promise<void>) | undefined;
  try {
    const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
    const upstream = await spawnChild({ name: 'upstream', cwd: ROOT, args: ['--import', 'tsx', 'bench/fake-upstream.ts'], portOf: jsonPort });
    children.push(upstream);
    // In this process, so a client's abort and the upstream's close share one clock.
    const stopUpstream = await startStopUpstream();
    closeStopUpstream = stopUpstream.close;
    const startPassThrough = () =>
      spawnChild({ name: 'pass-through', cwd: ROOT, args: ['--import', 'tsx', 'bench/pass-through.ts', String(upstream.port)], portOf: jsonPort });
    let pass = await startPassThrough();
    children.push(pass);
    let gw = await startGateway('streamgate', upstream.port, stopUpstream.port, 'info', args.profile);
    let quiet = await startGateway('streamgate-quiet', upstream.port, stopUpstream.port, 'silent', false);
    children.push(gw.child, quiet.child);
    /**
     * Each phase gets fresh processes for every side it measures: a phase's streams can
     * outlive it (streamgate keeps a left stream resumable for its grace period, 30 s by
     * default), and memory is measured from a process's own start, not from a heap earlier
     * phases already grew.
     */
    const freshProcesses = async () => {
      // Killed, not drained: a graceful stop would wait for those very streams.
      await Promise.all([gw.child, quiet.child, pass].map((c) => {
        const exited = once(c.process, 'exit');
        c.process.kill('SIGKILL');
        return exited;
      }));
      pass = await startPassThrough();
      gw = await startGateway('streamgate', upstream.port, stopUpstream.port, 'info', args.profile);
      quiet = await startGateway('streamgate-quiet', upstream.port, stopUpstream.port, 'silent', false);
      children.push(pass, gw.child, quiet.child);
    };
    if (!gw.proxies) log('no "openai" provider type in this build: measuring the simulator only');

    const sides = (s: Scenario) => {
      const upstreamBody = { model: 'bench', messages: MESSAGES, stream: true };
      const path = `${upstreamPath(s)}/v1/chat/completions`;
      const list: Record<string, Side> = {};
      if (gw.proxies) {
        list.direct = { target: target('direct', upstream.port, path, upstreamBody), pid: upstream.pid };
        list.passThrough = { target: target('passThrough', pass.port, path, upstreamBody), pid: pass.pid };
        list.streamgate = { target: target('streamgate', gw.child.port, '/v1/chat/completions', { ...upstreamBody, model: `bench-${s}` }), pid: gw.child.pid };
        list.streamgateNoLogs = { target: target('streamgateNoLogs', quiet.child.port, '/v1/chat/completions', { ...upstreamBody, model: `bench-${s}` }), pid: quiet.child.pid };
      }
      const simBody = { model: 'sim-chat', messages: MESSAGES, stream: true, max_tokens: SCENARIOS[s].tokens, sim: SCENARIOS[s].sim };
      list.simulator = { target: target('simulator', gw.child.port, '/v1/chat/completions', simBody), pid: gw.child.pid };
      return list;
    };
    const pick = (s: Scenario, names: string[]): Target[] =>
      names.flatMap((n) => (sides(s)[n] && wanted(n) ? [sides(s)[n]!.target] : []));

    const results: Results = {
      machine: describeMachine(limit),
      settings: { quick, heartbeatMs: HEARTBEAT_MS, idleStreams: idleCount, scenarios: SCENARIOS, proxies: gw.proxies },
    };

    if (phases.has('ttft')) {
      const names = ['direct', 'passThrough', 'streamgate', 'simulator'];
      log('time to first token, one stream at a time');
      results.ttftOne = await ttftOneAtATime(pick('short', names), quick ? 100 : 300, 30);
      log('time to first token, 100 streams at a time');
      results.ttftHundred = await ttftConcurrent(pick('paced', names), 100, quick ? 2000 : 5000);
    }
    if (phases.has('saturation')) {
      if (phases.has('ttft')) await freshProcesses();
      // Two rounds, the sides interleaved, so a slow moment of the machine hits all of them.
      const rounds: Record<string, Throughput[]> = {};
      for (let round = 0; round < 2; round++) {
        for (const name of ['direct', 'passThrough', 'streamgate', 'streamgateNoLogs', 'simulator']) {
          const side = sides('full')[name];
          if (!side || !wanted(name)) continue;
          log(`saturation through ${name}, round ${round + 1}`);
          (rounds[name] ??= []).push(await saturation(side, 100, quick ? 1000 : 1500, quick ? 2500 : 6000));
        }
      }
      results.saturation = Object.fromEntries(Object.entries(rounds).map(([name, list]) => [name, meanThroughput(list)]));
    }

    if (phases.has('stop') && gw.proxies && wanted('streamgate')) {
      if (phases.has('ttft') || phases.has('saturation')) await freshProcesses();
      results.stop = {};
      for (const c of STOP_CASES) {
        log(`stop ${c === 'afterFirstByte' ? 'after' : 'before'} the upstream's first byte, ${STOP_STREAMS} streams through streamgate`);
        results.stop[c] = await stopLatency(stopUpstream, gw.child.port, `bench-stop-${c}`, c, STOP_STREAMS, 10);
      }
    }

    // Last: 5,000 streams leave every process with more to collect and, in streamgate, runs
    // kept for resuming; the phases before it are not measured in their wake.
    if (phases.has('idle')) {
      results.idle = {};
      let fresh = !phases.has('ttft') && !phases.has('saturation') && !phases.has('stop');
      for (const name of ['passThrough', 'streamgate', 'simulator']) {
        if (!sides('idle')[name] || !wanted(name)) continue;
        // The simulator runs in the streamgate process: each side starts from a fresh one.
        if (!fresh) await freshProcesses();
        fresh = false;
        const side = sides('idle')[name] as Side;
        log(`${idleCount} idle streams through ${name}`);
        results.idle[name] = await idleStreams(side, idleCount, 4 * HEARTBEAT_MS + 500);
      }
    }
    results.targets = checkTargets(results);
    const report = renderReport(results);
    process.stdout.write(`${report}\n`);
    if (!args.quick && !only && phases.size === PHASES.length) {
      mkdirSync(args.out, { recursive: true });
      writeFileSync(join(args.out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(join(args.out, 'latest.md'), `${report}\n`);
      writeFileSync(join(args.out, 'latest.svg'), renderChart(results));
      log(`wrote ${join(args.out, 'latest.{json,md,svg}')}`);
    }
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await closeStopUpstream?.();
    clearTimeout(watchdog);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
