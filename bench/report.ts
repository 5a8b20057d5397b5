/** The benchmark's results, the targets of issue 8 checked against them, and the Markdown table. */
import type { IdleStreams, Throughput } from './phases.js';
import type { Machine } from './processes.js';
import type { StopCase, StopLatency } from './stop.js';
import { round, type Summary } from './stats.js';

export interface Results {
  machine: Machine;
  settings: Record<string, unknown> & { heartbeatMs: number; idleStreams: number };
  /** Per side (`direct`, `passThrough`, `streamgate`, `streamgateNoLogs`, `simulator`). */
  idle?: Record<string, IdleStreams>;
  ttftOne?: Record<string, Summary>;
  ttftHundred?: Record<string, Summary & { errors: number }>;
  saturation?: Record<string, Throughput>;
  /** How long a client's stop took to reach the upstream, after and before its first byte. */
  stop?: Partial<Record<StopCase, StopLatency>>;
  targets?: TargetCheck[];
}

export interface TargetCheck {
  name: string;
  goal: string;
  measured: string;
  /** null when the figure could not be measured in this run. */
  met: boolean | null;
}

const LABELS: Record<string, string> = {
  direct: 'upstream, direct',
  passThrough: 'raw pass-through',
  streamgate: 'streamgate',
  streamgateNoLogs: 'streamgate, logs off',
  simulator: 'simulator alone',
};
const label = (name: string) => LABELS[name] ?? name;
const f = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : String(round(v)));

/** Added TTFT over calling the upstream directly, at a percentile. */
function added(table: Record<string, Summary> | undefined, side: string, key: 'p50' | 'p99'): number | undefined {
  const base = table?.direct?.[key];
  const value = table?.[side]?.[key];
  return base === undefined || value === undefined ? undefined : value - base;
}

export function checkTargets(r: Results): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const ttft = added(r.ttftOne, 'streamgate', 'p50');
  checks.push({
    name: 'added time to first token, p50, one stream',
    goal: '<= 0.5 ms',
    measured: ttft === undefined ? 'not measured' : `${f(ttft)} ms`,
    met: ttft === undefined ? null : ttft <= 0.5,
  });
  const sat = r.saturation;
  const ratio = sat?.streamgate && sat.passThrough ? sat.streamgate.chunksPerSecond / sat.passThrough.chunksPerSecond : undefined;
  checks.push({
    name: 'chunks per second at saturation (metrics and logs on), vs the pass-through',
    goal: '>= 0.8x',
    measured: ratio === undefined ? 'not measured' : `${f(ratio)}x`,
    met: ratio === undefined ? null : ratio >= 0.8,
  });
  const idle = r.idle;
  const mem = idle?.streamgate && idle.passThrough ? idle.streamgate.kibPerStream / idle.passThrough.kibPerStream : undefined;
  checks.push({
    name: 'resident memory per open idle stream, vs the pass-through',
    goal: '<= 1.5x',
    measured: mem === undefined ? 'not measured' : `${f(mem)}x (${f(idle!.streamgate!.kibPerStream)} vs ${f(idle!.passThrough!.kibPerStream)} KiB)`,
    met: mem === undefined ? null : mem <= 1.5 && idle!.streamgate!.withoutFirstToken === 0,
  });
  const hb = idle?.streamgate ?? idle?.simulator;
  const limit = r.settings.heartbeatMs * 1.1;
  checks.push({
    name: `heartbeats on time with ${r.settings.idleStreams} open streams`,
    goal: `p99 gap <= ${round(limit)} ms, none missing`,
    measured: hb ? `p99 ${f(hb.heartbeatGapMs.p99)} ms, max ${f(hb.heartbeatGapMs.max)} ms, ${hb.silentStreams} without` : 'not measured',
    met: hb ? hb.heartbeatGapMs.p99 <= limit && hb.silentStreams === 0 : null,
  });
  const STOP_GOAL_MS = 100;
  for (const [c, what] of Object.entries(STOP_LABELS) as Array<[StopCase, string]>) {
    const stop = r.stop?.[c];
    checks.push({
      name: `a stop reaches the upstream, ${what}, p99`,
      goal: `< ${STOP_GOAL_MS} ms, every one, no retry`,
      measured: stop ? `p99 ${f(stop.latencyMs.p99)} ms (p50 ${f(stop.latencyMs.p50)}), ${stop.notStopped} not stopped, ${stop.retried} retried` : 'not measured',
      met: stop ? stop.latencyMs.n > 0 && stop.latencyMs.p99 < STOP_GOAL_MS && stop.notStopped === 0 && stop.retried === 0 && stop.errors === 0 : null,
    });
  }
  return checks;
}

const STOP_LABELS: Record<StopCase, string> = {
  afterFirstByte: 'after its first byte',
  beforeFirstByte: 'before its first byte',
};

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

export function renderReport(r: Results): string {
  const m = r.machine;
  const out: string[] = [
    `streamgate benchmark, ${m.date.slice(0, 16).replace('T', ' ')} UTC: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}`,
    '',
  ];
  if (r.ttftOne || r.ttftHundred) {
    const names = Object.keys(r.ttftOne ?? r.ttftHundred ?? {});
    out.push(
      '**Time to first token (ms)**, client side; "added" is over calling the upstream directly.',
      '',
      table(
        ['', 'p50 @1', 'p99 @1', 'added p50 @1', 'added p99 @1', 'p50 @100', 'p99 @100', 'added p50 @100', 'added p99 @100'],
        names.map((n) => [
          label(n),
          f(r.ttftOne?.[n]?.p50),
          f(r.ttftOne?.[n]?.p99),
          n === 'direct' || n === 'simulator' ? '' : f(added(r.ttftOne, n, 'p50')),
          n === 'direct' || n === 'simulator' ? '' : f(added(r.ttftOne, n, 'p99')),
          f(r.ttftHundred?.[n]?.p50),
          f(r.ttftHundred?.[n]?.p99),
          n === 'direct' || n === 'simulator' ? '' : f(added(r.ttftHundred, n, 'p50')),
          n === 'direct' || n === 'simulator' ? '' : f(added(r.ttftHundred, n, 'p99')),
        ]),
      ),
      '',
    );
  }
  if (r.saturation) {
    const base = r.saturation.passThrough?.chunksPerSecond;
    out.push(
      '**Saturation**: 100 streams at once, 200 chunks each at full speed; CPU of the process doing the work.',
      '',
      table(
        ['', 'chunks/s', 'vs pass-through', 'CPU ms / 1,000 chunks', 'CPU cores used', 'errors'],
        Object.entries(r.saturation).map(([n, s]) => [
          label(n),
          f(s.chunksPerSecond),
          base ? `${f(s.chunksPerSecond / base)}x` : '–',
          f(s.cpuMsPer1000Chunks),
          f(s.cpuCores),
          String(s.errors),
        ]),
      ),
      '',
    );
  }
  if (r.idle) {
    const base = r.idle.passThrough?.kibPerStream;
    out.push(
      `**${r.settings.idleStreams} open idle streams** (first token, then quiet; heartbeat every ${r.settings.heartbeatMs} ms).`,
      '',
      table(
        ['', 'RSS before (MiB)', 'RSS open (MiB)', 'KiB / stream', 'vs pass-through', 'heartbeat gap p50 / p99 / max (ms)', 'no first token', 'errors'],
        Object.entries(r.idle).map(([n, s]) => [
          label(n),
          f(s.rssBeforeMiB),
          f(s.rssOpenMiB),
          f(s.kibPerStream),
          base ? `${f(s.kibPerStream / base)}x` : '–',
          s.heartbeatGapMs.n > 0 ? `${f(s.heartbeatGapMs.p50)} / ${f(s.heartbeatGapMs.p99)} / ${f(s.heartbeatGapMs.max)}` : 'none sent',
          String(s.withoutFirstToken),
          String(s.errors),
        ]),
      ),
      '',
    );
  }
  if (r.stop) {
    out.push(
      "**Stop**: a client aborts a chat stream (no `resumable`); time until the upstream sees its socket close (ms). After the first byte: at the client's first token; before it: the upstream holds its headers.",
      '',
      table(
        ['', 'streams', 'p50', 'p99', 'max', 'not stopped in 5 s', 'retried', 'errors'],
        (Object.entries(r.stop) as Array<[StopCase, StopLatency]>).map(([c, s]) => [
          `stop ${STOP_LABELS[c]}`,
          String(s.latencyMs.n),
          f(s.latencyMs.p50),
          f(s.latencyMs.p99),
          f(s.latencyMs.max),
          String(s.notStopped),
          String(s.retried),
          s.firstError ? `${s.errors} (${s.firstError.slice(0, 80)})` : String(s.errors),
        ]),
      ),
      '',
    );
  }
  const targets = r.targets ?? checkTargets(r);
  out.push(
    '**Targets**',
    '',
    table(
      ['target', 'goal', 'measured', 'met'],
      targets.map((t) => [t.name, t.goal, t.measured, t.met === null ? '–' : t.met ? 'yes' : 'no']),
    ),
  );
  return out.join('\n');
}
