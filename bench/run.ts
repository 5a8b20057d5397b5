/**
 * `npm run bench`: streamgate against a raw `node:http` pass-through and against calling
 * the upstream directly, all on loopback, every dialect and every figure measured side by
 * side in one run. Writes `docs/bench/latest.{json,md,svg}` and prints the tables.
 *
 *   npm run bench                       # everything, under 10 minutes
 *   npm run bench -- --quick            # shorter phases, for trying changes
 *   npm run bench -- --dialects chat,complete --phases ttft,saturation
 *   npm run bench -- --phases saturation --sides chat,passThrough --profile   # --cpu-prof of streamgate under load
 */
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { renderChart } from './chart.js';
import { CHAT_WIRE, DIALECTS, selectDialects, type Dialect } from './dialects.js';
import { openStream, target, type Target } from './load.js';
import { idleStreams, meanThroughput, rotate, saturation, ttftConcurrent, ttftOneAtATime, type Side, type Throughput } from './phases.js';
import { describeMachine, spawnChild, type Child } from './processes.js';
import { expected, gatewayConfig, HEARTBEAT_MS, SCENARIOS, upstreamPath, type Scenario } from './gateway-config.js';
import { startStopUpstream, stopCases, stopLatency } from './stop.js';
import { checkTargets, renderReport, type Results } from './report.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const PHASES = ['ttft', 'saturation', 'stop', 'idle'] as const;
/** The whole run stops itself past this (the phases are sized to end well before it). */
const WATCHDOG_MS = 570_000;

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    phases: { type: 'string', default: PHASES.join(',') },
    /** Dialect ids (`dialects.ts`), comma-separated, or `all`. */
    dialects: { type: 'string', default: 'all' },
    streams: { type: 'string' },
    profile: { type: 'boolean', default: false },
    /** Only these sides, e.g. `chat,passThrough` (for profiling). */
    sides: { type: 'string' },
    out: { type: 'string', default: join(ROOT, 'docs/bench') },
  },
});
/** A wrong option: said in one line, no stack. */
function usage(message: string): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}
const phases = new Set(args.phases.split(','));
for (const p of phases) if (!(PHASES as readonly string[]).includes(p)) usage(`unknown phase "${p}" (known: ${PHASES.join(', ')})`);
const dialects = (() => {
  try {
    return selectDialects(args.dialects);
  } catch (err) {
    return usage((err as Error).message);
  }
})();
const only = args.sides ? new Set(args.sides.split(',')) : undefined;
const wanted = (name: string) => !only || only.has(name);
const quick = args.quick;
/** Streams stopped per case and dialect in the stop phase (10 ms apart: about 2 s each). */
const STOP_STREAMS = quick ? 50 : 200;
const QUESTION = 'Say something about foxes.';
/** The side with the logs off (chat only: what logging costs is the same in every dialect). */
const LOGS_OFF = 'chat-logs-off';

/** Config files and data directories the gateways were given, removed when the run exits. */
const leftovers = new Set<string>();
process.once('exit', () => {
  for (const path of leftovers) rmSync(path, { recursive: true, force: true });
});

async function startGateway(name: string, upstreamPort: number, stopPort: number, logLevel: 'info' | 'silent', profile: boolean): Promise<Child> {
  const file = `/tmp/streamgate-bench-${name}-${process.pid}.json`;
  // A fresh directory per process: each starts with empty databases, as a fresh install does.
  const dataDir = mkdtempSync(join(tmpdir(), `streamgate-bench-${name}-`));
  leftovers.add(file).add(dataDir);
  writeFileSync(file, JSON.stringify(gatewayConfig(upstreamPort, stopPort, logLevel, dataDir)));
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
}

function openFilesHardLimit(): number {
  const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
  const hard = line?.split(/\s+/)[4];
  return hard === 'unlimited' ? Infinity : Number(hard ?? 1024);
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  const log = (s: string) => process.stderr.write(`bench: [${Math.round((performance.now() - startedAt) / 1000)} s] ${s}\n`);
  log('building the server (tsc)');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
  const limit = openFilesHardLimit();
  // streamgate and the pass-through hold two sockets per stream; keep room for the rest.
  const idleCount = Math.min(Number(args.streams ?? (quick ? 1000 : 3000)), Math.floor((limit - 500) / 2));
  const jsonPort = (line: string) => (line.startsWith('{') ? (JSON.parse(line) as { port: number }).port : undefined);
  const children = new Set<Child>();
  const watchdog = setTimeout(() => {
    process.stderr.write(`bench: took longer than ${WATCHDOG_MS / 60_000} minutes, stopping\n`);
    for (const c of children) c.process.kill('SIGKILL');
    process.exit(1);
  }, WATCHDOG_MS);
  watchdog.unref();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      for (const c of children) c.process.kill('SIGKILL');
      process.exit(130);
    });
  }

  let closeStopUpstream: (() => Promise<void>) | undefined;
  try {
    const upstream = await spawnChild({ name: 'upstream', cwd: ROOT, args: ['--import', 'tsx', 'bench/fake-upstream.ts'], portOf: jsonPort });
    children.add(upstream);
    // In this process, so a client's abort and the upstream's close share one clock.
    const stopUpstream = await startStopUpstream();
    closeStopUpstream = stopUpstream.close;
    const startPassThrough = () =>
      spawnChild({ name: 'pass-through', cwd: ROOT, args: ['--import', 'tsx', 'bench/pass-through.ts', String(upstream.port)], portOf: jsonPort });
    const startLogged = () => startGateway('streamgate', upstream.port, stopUpstream.port, 'info', args.profile);
    const startQuiet = () => startGateway('streamgate-quiet', upstream.port, stopUpstream.port, 'silent', false);
    let [pass, gw, quiet] = await Promise.all([startPassThrough(), startLogged(), startQuiet()]);
    for (const c of [pass, gw, quiet]) children.add(c);
    /**
     * Fresh processes for the sides a phase measures: a phase's streams can outlive it
     * (streamgate keeps a left resumable stream for its grace period, 30 s by default),
     * and memory is measured from a process's own start, not from a heap earlier phases grew.
     * Killed, not drained: a graceful stop would wait for those very streams.
     */
    const restart = async (which: { pass?: boolean; gw?: boolean; quiet?: boolean }) => {
      const kill = async (c: Child) => {
        const exited = once(c.process, 'exit');
        c.process.kill('SIGKILL');
        await exited;
      };
      await Promise.all([which.pass && kill(pass), which.gw && kill(gw), which.quiet && kill(quiet)]);
      [pass, gw, quiet] = await Promise.all([which.pass ? startPassThrough() : pass, which.gw ? startLogged() : gw, which.quiet ? startQuiet() : quiet]);
      for (const c of [pass, gw, quiet]) children.add(c);
    };
    const restartAll = () => restart({ pass: true, gw: true, quiet: true });

    /** Every side of scenario `s`, in report order: the baselines, each dialect, logs off, the simulator. */
    const sides = (s: Scenario): Array<[string, Side]> => {
      const upstreamBody = { model: 'bench', messages: [{ role: 'user', content: QUESTION }], stream: true };
      const path = `${upstreamPath(s)}/v1/chat/completions`;
      const model = `bench-${s}`;
      const dialectTarget = (name: string, d: Dialect, port: number): Target => target(name, port, d.path, d.body(model, QUESTION), d.wire, expected(s));
      const chat = DIALECTS.find((d) => d.id === 'chat')!;
      const list: Array<[string, Side]> = [
        ['direct', { target: target('direct', upstream.port, path, upstreamBody, CHAT_WIRE, expected(s)), pid: upstream.pid }],
        ['passThrough', { target: target('passThrough', pass.port, path, upstreamBody, CHAT_WIRE, expected(s)), pid: pass.pid }],
        ...dialects.map((d): [string, Side] => [d.id, { target: dialectTarget(d.id, d, gw.port), pid: gw.pid }]),
      ];
      if (dialects.includes(chat)) list.push([LOGS_OFF, { target: dialectTarget(LOGS_OFF, chat, quiet.port), pid: quiet.pid }]);
      const simBody = { model: 'sim-chat', messages: [{ role: 'user', content: QUESTION }], stream: true, max_tokens: SCENARIOS[s].tokens, sim: SCENARIOS[s].sim };
      list.push(['simulator', { target: target('simulator', gw.port, '/v1/chat/completions', simBody, CHAT_WIRE), pid: gw.pid }]);
      return list.filter(([name]) => wanted(name));
    };
    const pick = (s: Scenario, exclude: string[]): Target[] => sides(s).flatMap(([n, side]) => (exclude.includes(n) ? [] : [side.target]));

    const results: Results = {
      machine: describeMachine(limit),
      settings: {
        quick,
        heartbeatMs: HEARTBEAT_MS,
        idleStreams: idleCount,
        stopStreams: STOP_STREAMS,
        scenarios: SCENARIOS,
        dialects: dialects.map((d) => ({ id: d.id, label: d.label, path: d.path, endMarker: d.wire.endMarker, stopsOnLeave: d.stopsOnLeave })),
      },
    };

    // One short stream per side first: a side that cannot stream at all is named before minutes are spent on it.
    for (const [name, side] of sides('short')) {
      await openStream(side.target).done.catch((err: Error) => log(`${name} fails before any phase: ${err.message}`));
    }

    if (phases.has('ttft')) {
      const rounds = quick ? 50 : 200;
      log(`time to first token, one stream at a time, ${rounds} rounds`);
      results.ttftOne = await ttftOneAtATime(pick('short', [LOGS_OFF]), rounds, quick ? 10 : 20);
      log('time to first token, 100 streams at a time');
      results.ttftHundred = await ttftConcurrent(pick('paced', [LOGS_OFF]), 100, quick ? 1000 : 2000);
    }
    if (phases.has('saturation')) {
      if (phases.has('ttft')) await restartAll();
      // Rounds with the sides interleaved, each round in another order, so a slow moment of
      // the machine hits all of them.
      const rounds: Record<string, Throughput[]> = {};
      const list = sides('full');
      const count = quick ? 1 : 3;
      for (let round = 0; round < count; round++) {
        log(`saturation, round ${round + 1} of ${count}: ${list.length} sides`);
        for (const [name, side] of rotate(list, round)) {
          (rounds[name] ??= []).push(await saturation(side, 100, quick ? 500 : 600, quick ? 1500 : 2000));
        }
      }
      // In report order, not the last round's.
      results.saturation = Object.fromEntries(list.map(([name]) => [name, meanThroughput(rounds[name]!)]));
    }

    const stopping = dialects.filter((d) => wanted(d.id));
    if (phases.has('stop') && stopping.length > 0) {
      if (phases.has('ttft') || phases.has('saturation')) await restart({ gw: true });
      results.stop = {};
      for (const d of stopping) {
        for (const c of stopCases(d.stopsOnLeave)) {
          log(`stop (${c}), ${STOP_STREAMS} ${d.id} streams`);
          (results.stop[d.id] ??= {})[c] = await stopLatency(stopUpstream, gw.port, d, `bench-stop-${c}`, c, STOP_STREAMS, 10);
        }
      }
    }

    // Last: thousands of streams leave every process with more to collect and, in streamgate,
    // runs kept for resuming; the phases before it are not measured in their wake.
    if (phases.has('idle')) {
      results.idle = {};
      let fresh = !phases.has('ttft') && !phases.has('saturation') && !phases.has('stop');
      let longestMs = 20_000;
      for (const [name] of sides('idle')) {
        if (name === 'direct' || name === LOGS_OFF) continue;
        // A side that might not end before the watchdog is left out (and said so), not the whole run.
        const left = WATCHDOG_MS - (performance.now() - startedAt);
        if (left < 1.5 * longestMs) {
          log(`no time left for ${idleCount} idle streams through ${name}: not measured`);
          continue;
        }
        const sideStarted = performance.now();
        // Every side from a fresh process of its own (the dialects and the simulator share streamgate's).
        if (!fresh) await restart(name === 'passThrough' ? { pass: true } : { gw: true });
        fresh = false;
        // Taken after the restart: the side's port and pid are the new process's.
        const side = sides('idle').find(([n]) => n === name)![1];
        log(`${idleCount} idle streams through ${name}`);
        results.idle[name] = await idleStreams(side, idleCount, 4 * HEARTBEAT_MS + 500);
        longestMs = Math.max(longestMs, performance.now() - sideStarted);
      }
    }
    results.targets = checkTargets(results);
    const report = renderReport(results);
    process.stdout.write(`${report}\n`);
    log('done');
    if (!args.quick && !only && phases.size === PHASES.length && dialects.length === DIALECTS.length) {
      mkdirSync(args.out, { recursive: true });
      writeFileSync(join(args.out, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(join(args.out, 'latest.md'), `${report}\n`);
      writeFileSync(join(args.out, 'latest.svg'), renderChart(results));
      log(`wrote ${join(args.out, 'latest.{json,md,svg}')}`);
    }
  } finally {
    await Promise.all([...children].map((c) => c.stop()));
    await closeStopUpstream?.();
    clearTimeout(watchdog);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
