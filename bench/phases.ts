/**
 * The benchmark's measurements. Each takes the sides to compare (same scenario, same
 * client) and measures them in the same run, one after the other or interleaved.
 */
import { closedLoop, counters, openStream, type StreamHandle, type Target } from './load.js';
import { cpuMs, rssKiB } from './processes.js';
import { percentile, summarize, type Summary } from './stats.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A side of the comparison: where to ask, and which process does the work. */
export interface Side {
  target: Target;
  pid: number;
}

/** A figure of one side and the streams that failed while it was measured (the first failure's message). */
export type WithErrors<T> = T & { errors: number; firstError?: string };

/** TTFT of one stream at a time; the sides take turns request by request, so drift hits all alike. */
export async function ttftOneAtATime(targets: Target[], rounds: number, warmup: number): Promise<Record<string, WithErrors<Summary>>> {
  const samples: Record<string, number[]> = {};
  const failed: Record<string, { errors: number; firstError?: string }> = {};
  for (const t of targets) {
    samples[t.name] = [];
    failed[t.name] = { errors: 0 };
  }
  for (let i = 0; i < warmup + rounds; i++) {
    for (const t of targets) {
      try {
        const r = await openStream(t).done;
        if (i >= warmup) samples[t.name]!.push(r.ttftMs);
      } catch (err) {
        const f = failed[t.name]!;
        f.errors++;
        f.firstError ??= (err as Error).message;
      }
    }
  }
  return Object.fromEntries(Object.entries(samples).map(([name, values]) => [name, { ...summarize(values), ...failed[name]! }]));
}

/** TTFT with `concurrency` streams open all the time (a closed loop), one side after the other. */
export async function ttftConcurrent(
  targets: Target[],
  concurrency: number,
  durationMs: number,
): Promise<Record<string, WithErrors<Summary>>> {
  const out: Record<string, WithErrors<Summary>> = {};
  for (const t of targets) {
    await closedLoop(t, concurrency, Math.min(1000, durationMs / 4));
    const r = await closedLoop(t, concurrency, durationMs);
    out[t.name] = { ...summarize(r.ttftMs), errors: r.errors, ...(r.firstError ? { firstError: r.firstError } : {}) };
  }
  return out;
}

export interface Throughput {
  chunksPerSecond: number;
  /** CPU time (user + system) of the side's process per 1,000 chunks delivered. */
  cpuMsPer1000Chunks: number;
  /** Share of one core the side's process used. */
  cpuCores: number;
  ttftP50Ms: number;
  /** Bytes on the wire to the client per chunk with text, and SSE events per chunk with text (each dialect's framing). */
  bytesPerChunk: number;
  eventsPerChunk: number;
  streams: number;
  errors: number;
  firstError?: string;
}

/** Chunks per second at saturation: `concurrency` streams at full speed, counted after a warm-up. */
export async function saturation(side: Side, concurrency: number, warmMs: number, measureMs: number): Promise<Throughput> {
  const loop = closedLoop(side.target, concurrency, warmMs + measureMs);
  await sleep(warmMs);
  const c0 = { ...counters };
  const cpu0 = cpuMs(side.pid);
  const t0 = performance.now();
  await sleep(measureMs);
  const chunks = counters.chunks - c0.chunks;
  const bytes = counters.bytes - c0.bytes;
  const events = counters.events - c0.events;
  const cpu = cpuMs(side.pid) - cpu0;
  const seconds = (performance.now() - t0) / 1000;
  const r = await loop;
  return {
    chunksPerSecond: chunks / seconds,
    cpuMsPer1000Chunks: chunks > 0 ? (cpu / chunks) * 1000 : Number.NaN,
    cpuCores: cpu / 1000 / seconds,
    ttftP50Ms: percentile(r.ttftMs, 50),
    bytesPerChunk: chunks > 0 ? bytes / chunks : Number.NaN,
    eventsPerChunk: chunks > 0 ? events / chunks : Number.NaN,
    streams: r.streams,
    errors: r.errors,
    ...(r.firstError ? { firstError: r.firstError } : {}),
  };
}

/** `list` turned `shift` places: each round of an interleaved phase starts with another side. */
export function rotate<T>(list: readonly T[], shift: number): T[] {
  const n = list.length;
  return n === 0 ? [] : list.map((_, i) => list[(i + shift) % n]!);
}

/** The mean of several rounds of one side (rounds interleaved with the other sides). */
export function meanThroughput(rounds: Throughput[]): Throughput & { rounds: number[] } {
  const mean = (key: 'chunksPerSecond' | 'cpuMsPer1000Chunks' | 'cpuCores' | 'ttftP50Ms' | 'bytesPerChunk' | 'eventsPerChunk') =>
    rounds.reduce((sum, r) => sum + r[key], 0) / rounds.length;
  const firstError = rounds.find((r) => r.firstError)?.firstError;
  return {
    chunksPerSecond: mean('chunksPerSecond'),
    cpuMsPer1000Chunks: mean('cpuMsPer1000Chunks'),
    cpuCores: mean('cpuCores'),
    ttftP50Ms: mean('ttftP50Ms'),
    bytesPerChunk: mean('bytesPerChunk'),
    eventsPerChunk: mean('eventsPerChunk'),
    streams: rounds.reduce((sum, r) => sum + r.streams, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
    ...(firstError ? { firstError } : {}),
    rounds: rounds.map((r) => Math.round(r.chunksPerSecond)),
  };
}

export interface IdleStreams {
  streams: number;
  rssBeforeMiB: number;
  rssOpenMiB: number;
  kibPerStream: number;
  /** Gaps between consecutive heartbeats of a stream, in ms (none for sides that send none). */
  heartbeatGapMs: Summary;
  /** Streams that got no heartbeat while held. */
  silentStreams: number;
  /** Streams whose first token had not come when the memory was measured (queued somewhere). */
  withoutFirstToken: number;
  openSeconds: number;
  errors: number;
  firstError?: string;
}

/**
 * Opens `count` streams that stay quiet after their first token, holds them `holdMs`,
 * and measures the side's resident memory before and with them open, and its heartbeats.
 */
export async function idleStreams(side: Side, count: number, holdMs: number): Promise<IdleStreams> {
  // A few streams first, so code paths are compiled before the baseline is taken.
  const warm = Array.from({ length: 20 }, () => openStream(side.target));
  await Promise.all(warm.map((h) => h.firstToken));
  for (const h of warm) h.close();
  await Promise.allSettled(warm.map((h) => h.done));
  await sleep(1500);
  const before = rssKiB(side.pid);

  const started = performance.now();
  const handles: StreamHandle[] = [];
  let tokens = 0;
  let errors = 0;
  let firstError: string | undefined;
  let closing = false;
  const batch = 250;
  for (let i = 0; i < count; i += batch) {
    const wave = Array.from({ length: Math.min(batch, count - i) }, () => openStream(side.target));
    for (const h of wave) {
      h.done.then(
        () => {
          if (closing) return;
          errors++;
          firstError ??= `${side.target.name}: an idle stream ended while held`;
        },
        (err: Error) => {
          if (closing) return;
          errors++;
          firstError ??= err.message;
        },
      );
      void h.firstToken.then(() => tokens++);
    }
    handles.push(...wave);
    // A side that queues streams (no first token) must not stall the whole benchmark.
    await Promise.race([Promise.all(wave.map((h) => h.firstToken)), sleep(2000)]);
  }
  // A slow machine may still be answering the last waves: their first tokens are waited for
  // (up to 15 s), so the memory is read with every stream open, not some still queued.
  await Promise.race([Promise.all(handles.map((h) => h.firstToken)), sleep(15_000)]);
  const openSeconds = (performance.now() - started) / 1000;
  await sleep(holdMs);
  const open = rssKiB(side.pid);
  const withFirstToken = tokens;

  const gaps: number[] = [];
  let silent = 0;
  for (const h of handles) {
    if (h.pings.length === 0) silent++;
    for (let i = 1; i < h.pings.length; i++) gaps.push(h.pings[i]! - h.pings[i - 1]!);
  }
  closing = true;
  for (const h of handles) h.close();
  await Promise.allSettled(handles.map((h) => h.done));
  await sleep(1000);
  return {
    streams: count,
    rssBeforeMiB: before / 1024,
    rssOpenMiB: open / 1024,
    kibPerStream: (open - before) / count,
    heartbeatGapMs: summarize(gaps),
    silentStreams: silent,
    withoutFirstToken: count - withFirstToken,
    openSeconds,
    errors,
    ...(firstError ? { firstError } : {}),
  };
}
