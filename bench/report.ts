/** The benchmark's results, the targets of issue 18 checked against them per dialect, and the Markdown tables. */
import type { IdleStreams, Throughput, WithErrors } from './phases.js';
import type { Machine } from './processes.js';
import { stopCases, type StopCase, type StopLatency } from './stop.js';
import { round, type Summary } from './stats.js';

export interface DialectInfo {
  id: string;
  label: string;
  path: string;
  endMarker: string;
  stopsOnLeave: boolean;
}

export interface Results {
  machine: Machine;
  settings: Record<string, unknown> & { heartbeatMs: number; idleStreams: number; dialects: DialectInfo[] };
  /** Per side: `direct`, `passThrough`, a dialect id (`chat`, `complete`, …), `chat-logs-off`, `simulator`. */
  idle?: Record<string, IdleStreams>;
  ttftOne?: Record<string, WithErrors<Summary>>;
  ttftHundred?: Record<string, WithErrors<Summary>>;
  saturation?: Record<string, Throughput>;
  /** Per dialect whose streams stop when the client leaves: how long the stop took to reach the upstream. */
  stop?: Record<string, Partial<Record<StopCase, StopLatency>>>;
  targets?: TargetCheck[];
}

export interface TargetCheck {
  name: string;
  /** The side the figure is of (a dialect id). */
  side: string;
  goal: string;
  measured: string;
  /** null when the figure could not be measured in this run. */
  met: boolean | null;
}

const BASE_LABELS: Record<string, string> = {
  direct: 'upstream, direct',
  passThrough: 'raw pass-through',
  'chat-logs-off': 'chat completions, logs off',
  simulator: 'simulator alone (chat)',
};

const f = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '–' : String(round(v)));

export const GOALS = {
  addedTtftMs: 0.5,
  throughputRatio: 0.8,
  memoryRatio: 1.5,
  stopP99Ms: 100,
  /** Heartbeat gap p99 at most this many intervals. */
  heartbeatSlack: 1.1,
} as const;

/** p50 (or p99) of `side` minus the same of `base`. */
export function added(table: Record<string, Summary> | undefined, side: string, base: string, key: 'p50' | 'p99' = 'p50'): number | undefined {
  const b = table?.[base]?.[key];
  const v = table?.[side]?.[key];
  return b === undefined || v === undefined || Number.isNaN(b) || Number.isNaN(v) ? undefined : v - b;
}

/** `side`'s figure over the pass-through's. */
function ratio<T>(table: Record<string, T> | undefined, side: string, value: (t: T) => number): number | undefined {
  const b = table?.passThrough;
  const v = table?.[side];
  return b === undefined || v === undefined ? undefined : value(v) / value(b);
}

const errorsNote = (errors: number) => (errors > 0 ? `, ${errors} failed streams` : '');

/** One row per target per dialect: each target of issue 18, and the stop latency of issue 12. */
export function checkTargets(r: Results): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const notMeasured = (name: string, side: string, goal: string): TargetCheck => ({ name, side, goal, measured: 'not measured', met: null });
  for (const d of r.settings.dialects) {
    const ttftName = 'added time to first token, p50, one stream, vs the pass-through';
    const ttftGoal = `<= ${GOALS.addedTtftMs} ms`;
    const ttft = added(r.ttftOne, d.id, 'passThrough');
    const ttftErrors = r.ttftOne?.[d.id]?.errors ?? 0;
    checks.push(
      ttft === undefined
        ? notMeasured(ttftName, d.id, ttftGoal)
        : { name: ttftName, side: d.id, goal: ttftGoal, measured: `${f(ttft)} ms${errorsNote(ttftErrors)}`, met: ttft <= GOALS.addedTtftMs && ttftErrors === 0 },
    );

    const satName = 'chunks per second at saturation, vs the pass-through';
    const satGoal = `>= ${GOALS.throughputRatio}x`;
    const sat = ratio(r.saturation, d.id, (t) => t.chunksPerSecond);
    const satErrors = r.saturation?.[d.id]?.errors ?? 0;
    checks.push(
      sat === undefined
        ? notMeasured(satName, d.id, satGoal)
        : { name: satName, side: d.id, goal: satGoal, measured: `${f(sat)}x${errorsNote(satErrors)}`, met: sat >= GOALS.throughputRatio && satErrors === 0 },
    );

    const memName = 'resident memory per open idle stream, vs the pass-through';
    const memGoal = `<= ${GOALS.memoryRatio}x`;
    const mem = ratio(r.idle, d.id, (t) => t.kibPerStream);
    const idle = r.idle?.[d.id];
    if (mem !== undefined && idle) {
      const problems = idle.withoutFirstToken + idle.errors;
      checks.push({
        name: memName,
        side: d.id,
        goal: memGoal,
        measured: `${f(mem)}x (${f(idle.kibPerStream)} vs ${f(r.idle!.passThrough!.kibPerStream)} KiB)${idle.withoutFirstToken ? `, ${idle.withoutFirstToken} without a first token` : ''}${errorsNote(idle.errors)}`,
        met: mem <= GOALS.memoryRatio && problems === 0,
      });
      const limit = r.settings.heartbeatMs * GOALS.heartbeatSlack;
      checks.push({
        name: `heartbeats on time with ${idle.streams} open streams`,
        side: d.id,
        goal: `p99 gap <= ${round(limit)} ms, none missing`,
        measured: `p99 ${f(idle.heartbeatGapMs.p99)} ms, max ${f(idle.heartbeatGapMs.max)} ms, ${idle.silentStreams} without`,
        met: idle.heartbeatGapMs.p99 <= limit && idle.silentStreams === 0,
      });
    } else checks.push(notMeasured(memName, d.id, memGoal));

    for (const c of stopCases(d.stopsOnLeave)) {
      const stop = r.stop?.[d.id]?.[c];
      const name = `a stop reaches the upstream, ${STOP_LABELS[c]}, p99`;
      const goal = `< ${GOALS.stopP99Ms} ms, every one, no retry`;
      checks.push(
        stop
          ? {
              name,
              side: d.id,
              goal,
              measured: `p99 ${f(stop.latencyMs.p99)} ms (p50 ${f(stop.latencyMs.p50)}), ${stop.notStopped} not stopped, ${stop.retried} retried${errorsNote(stop.errors)}`,
              met: stop.latencyMs.n > 0 && stop.latencyMs.p99 < GOALS.stopP99Ms && stop.notStopped === 0 && stop.retried === 0 && stop.errors === 0,
            }
          : notMeasured(name, d.id, goal),
      );
    }
  }
  return checks;
}

const STOP_LABELS: Record<StopCase, string> = {
  afterFirstByte: 'after its first byte',
  beforeFirstByte: 'before its first byte',
  cancelAfterFirstByte: 'by DELETE /v1/streams/:id after its first byte',
};

/** A Markdown table: the first `textColumns` columns left-aligned, the figures after them right-aligned. */
function table(head: string[], rows: string[][], textColumns = 1): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map((_, i) => (i < textColumns ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** Failed streams, with the first one's reason (cut short for a table cell). */
function errorsCell(s: { errors: number; firstError?: string } | undefined): string {
  if (!s) return '';
  return s.errors > 0 && s.firstError ? `${s.errors} (${s.firstError.replaceAll('|', '/').slice(0, 100)})` : String(s.errors);
}

export function renderReport(r: Results): string {
  const m = r.machine;
  const labels: Record<string, string> = { ...BASE_LABELS };
  for (const d of r.settings.dialects) labels[d.id] = d.label;
  const label = (name: string) => labels[name] ?? name;
  const out: string[] = [
    `streamgate benchmark, ${m.date.slice(0, 16).replace('T', ' ')} UTC: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}${r.settings.quick ? ' (--quick)' : ''}`,
    '',
    '**Dialects**: each asked for the same upstream stream as the pass-through; a stream counts only when its end marker came and every upstream chunk did.',
    '',
    table(
      ['', 'request', 'end marker', 'a client leaving'],
      r.settings.dialects.map((d) => [d.label, `\`POST ${d.path}\` (\`${d.id}\`)`, `\`${d.endMarker}\``, d.stopsOnLeave ? 'stops the run' : 'keeps it running (resumable)']),
      4,
    ),
    '',
  ];
  const ratioCell = (v: number | undefined) => (v === undefined ? '–' : `${f(v)}x`);
  const addedCell = (table: Record<string, Summary> | undefined, n: string, base: string) =>
    n === 'direct' || n === 'simulator' || n === base ? '' : f(added(table, n, base));
  if (r.ttftOne || r.ttftHundred) {
    const names = Object.keys(r.ttftOne ?? r.ttftHundred ?? {});
    out.push(
      '**Time to first token (ms)**, client side, to the first chunk with text; "added" is the p50 over the pass-through\'s (the target) and over calling the upstream directly.',
      '',
      table(
        ['', 'p50 @1', 'p99 @1', 'added p50 @1 vs pass-through', 'added p50 @1 vs direct', 'p50 @100', 'p99 @100', 'added p50 @100 vs pass-through', 'failed streams'],
        names.map((n) => [
          label(n),
          f(r.ttftOne?.[n]?.p50),
          f(r.ttftOne?.[n]?.p99),
          addedCell(r.ttftOne, n, 'passThrough'),
          addedCell(r.ttftOne, n, 'direct'),
          f(r.ttftHundred?.[n]?.p50),
          f(r.ttftHundred?.[n]?.p99),
          addedCell(r.ttftHundred, n, 'passThrough'),
          [errorsCell(r.ttftOne?.[n]), errorsCell(r.ttftHundred?.[n])].filter((s) => s !== '').join(' / '),
        ]),
      ),
      '',
    );
  }
  if (r.saturation) {
    out.push(
      '**Saturation**: 100 streams at once, 200 chunks each at full speed, the sides interleaved over rounds; CPU of the process doing the work. A chunk is one upstream chunk (one event with text in each dialect); bytes and events are what the client received per chunk.',
      '',
      table(
        ['', 'chunks/s', 'vs pass-through', 'per round', 'CPU ms / 1,000 chunks', 'CPU cores used', 'wire bytes / chunk', 'events / chunk', 'streams', 'failed streams'],
        Object.entries(r.saturation).map(([n, s]) => [
          label(n),
          f(s.chunksPerSecond),
          ratioCell(ratio(r.saturation, n, (t) => t.chunksPerSecond)),
          ((s as Throughput & { rounds?: number[] }).rounds ?? []).join(', '),
          f(s.cpuMsPer1000Chunks),
          f(s.cpuCores),
          f(s.bytesPerChunk),
          f(s.eventsPerChunk),
          String(s.streams),
          errorsCell(s),
        ]),
      ),
      '',
    );
  }
  if (r.idle) {
    out.push(
      `**${r.settings.idleStreams} open idle streams** (first token, then quiet; heartbeat every ${r.settings.heartbeatMs} ms), each side in a fresh process.`,
      '',
      table(
        ['', 'RSS before (MiB)', 'RSS open (MiB)', 'KiB / stream', 'vs pass-through', 'heartbeat gap p50 / p99 / max (ms)', 'no first token', 'failed streams'],
        Object.entries(r.idle).map(([n, s]) => [
          label(n),
          f(s.rssBeforeMiB),
          f(s.rssOpenMiB),
          f(s.kibPerStream),
          ratioCell(ratio(r.idle, n, (t) => t.kibPerStream)),
          s.heartbeatGapMs.n > 0 ? `${f(s.heartbeatGapMs.p50)} / ${f(s.heartbeatGapMs.p99)} / ${f(s.heartbeatGapMs.max)}` : 'none sent',
          String(s.withoutFirstToken),
          errorsCell(s),
        ]),
      ),
      '',
    );
  }
  if (r.stop) {
    out.push(
      '**Stop**: a client aborts a stream that is not resumable, or cancels a resumable one (`DELETE /v1/streams/:id`, from its `X-Stream-Id`); time until the upstream sees its socket close (ms). After the first byte: at the client\'s first chunk with text; before it: the upstream holds its headers.',
      '',
      table(
        ['', 'case', 'streams', 'p50', 'p99', 'max', 'not stopped in 5 s', 'retried', 'failed streams'],
        Object.entries(r.stop).flatMap(([n, cases]) =>
          (Object.entries(cases) as Array<[StopCase, StopLatency]>).map(([c, s]) => [
            label(n),
            STOP_LABELS[c],
            String(s.latencyMs.n),
            f(s.latencyMs.p50),
            f(s.latencyMs.p99),
            f(s.latencyMs.max),
            String(s.notStopped),
            String(s.retried),
            errorsCell(s),
          ]),
        ),
        2,
      ),
      '',
    );
  }
  const targets = r.targets ?? checkTargets(r);
  const met = targets.filter((t) => t.met === true).length;
  const measured = targets.filter((t) => t.met !== null).length;
  out.push(
    `**Targets**: ${met} of ${measured} measured met${measured < targets.length ? `, ${targets.length - measured} not measured` : ''}.`,
    '',
    table(
      ['target', 'dialect', 'goal', 'measured', 'met'],
      targets.map((t) => [t.name, label(t.side), t.goal, t.measured, t.met === null ? '–' : t.met ? 'yes' : 'no']),
      5,
    ),
  );
  return out.join('\n');
}
