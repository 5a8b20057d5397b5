/** The targets table: one row per target per dialect, met only by a figure within its goal and streams that all ended well. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IdleStreams, Throughput } from './phases.js';
import { rotate } from './phases.js';
import { renderChart } from './chart.js';
import { checkTargets, renderReport, type Results } from './report.js';
import type { StopLatency } from './stop.js';
import { summarize } from './stats.js';

const summary = (p50: number) => ({ n: 100, p50, p99: p50 * 2, max: p50 * 3, errors: 0 });
const throughput = (chunksPerSecond: number, errors = 0): Throughput => ({
  chunksPerSecond,
  cpuMsPer1000Chunks: 5,
  cpuCores: 1,
  ttftP50Ms: 1,
  bytesPerChunk: 200,
  eventsPerChunk: 1,
  streams: 100,
  errors,
});
const idle = (kibPerStream: number, extra: Partial<IdleStreams> = {}): IdleStreams => ({
  streams: 1000,
  rssBeforeMiB: 50,
  rssOpenMiB: 80,
  kibPerStream,
  heartbeatGapMs: summarize([1000, 1001, 1002]),
  silentStreams: 0,
  withoutFirstToken: 0,
  openSeconds: 2,
  errors: 0,
  ...extra,
});
const stop = (p99: number): StopLatency => ({ latencyMs: { n: 200, p50: p99 / 4, p99, max: p99 }, streams: 200, notStopped: 0, retried: 0, errors: 0 });

function results(): Results {
  return {
    machine: { cpu: 'test', cores: 2, memoryGiB: 4, node: 'v20', os: 'linux', date: '2026-12-02T00:00:00.000Z', openFilesLimit: 1 << 20 },
    settings: {
      heartbeatMs: 1000,
      idleStreams: 1000,
      dialects: [
        { id: 'chat', label: 'chat completions', path: '/v1/chat/completions', endMarker: 'data: [DONE]', stopsOnLeave: true },
        { id: 'complete', label: '/v1/complete', path: '/v1/complete', endMarker: 'end', stopsOnLeave: false },
      ],
    },
    ttftOne: { direct: summary(1), passThrough: summary(1.5), chat: summary(1.9), complete: summary(2.5) },
    saturation: { passThrough: throughput(100_000), chat: throughput(85_000), complete: throughput(50_000) },
    idle: { passThrough: idle(20), chat: idle(29), complete: idle(40) },
    stop: { chat: { afterFirstByte: stop(40), beforeFirstByte: stop(150) } },
  };
}

const row = (r: Results, side: string, name: RegExp) => {
  const found = checkTargets(r).filter((t) => t.side === side && name.test(t.name));
  assert.equal(found.length, 1, `one ${name} row for ${side}`);
  return found[0]!;
};

describe('checkTargets', () => {
  it('checks each target per dialect against the pass-through', () => {
    const r = results();
    assert.equal(row(r, 'chat', /first token/).met, true); // 0.4 ms over the pass-through
    assert.equal(row(r, 'complete', /first token/).met, false); // 1 ms
    assert.equal(row(r, 'chat', /saturation/).met, true); // 0.85x
    assert.equal(row(r, 'complete', /saturation/).met, false); // 0.5x
    assert.equal(row(r, 'chat', /memory/).met, true); // 1.45x
    assert.equal(row(r, 'complete', /memory/).met, false); // 2x
    assert.equal(row(r, 'chat', /heartbeats/).met, true);
    assert.equal(row(r, 'chat', /stop.*after/).met, true);
    assert.equal(row(r, 'chat', /stop.*before/).met, false);
  });

  it('measures added time to first token over the pass-through, not over the upstream', () => {
    const r = results();
    assert.match(row(r, 'chat', /first token/).measured, /^0\.4 ms/);
  });

  it('a resumable dialect is stopped by DELETE /v1/streams/:id, not by leaving', () => {
    const r = results();
    assert.deepEqual(checkTargets(r).filter((t) => t.side === 'complete' && /stop/.test(t.name)).map((t) => t.name), ['a stop reaches the upstream, by DELETE /v1/streams/:id after its first byte, p99']);
    assert.equal(row(r, 'complete', /DELETE/).met, null);
    r.stop!.complete = { cancelAfterFirstByte: stop(30) };
    assert.equal(row(r, 'complete', /DELETE/).met, true);
  });

  it('failed streams fail a figure within its goal', () => {
    const r = results();
    r.saturation!.chat = throughput(95_000, 3);
    r.idle!.chat = idle(25, { withoutFirstToken: 1 });
    r.ttftOne!.chat = { ...summary(1.6), errors: 1 };
    assert.equal(row(r, 'chat', /saturation/).met, false);
    assert.match(row(r, 'chat', /saturation/).measured, /3 failed streams/);
    assert.equal(row(r, 'chat', /memory/).met, false);
    assert.equal(row(r, 'chat', /first token/).met, false);
  });

  it('a figure not measured is neither met nor missed', () => {
    const r = results();
    delete r.idle;
    delete r.stop;
    assert.equal(row(r, 'chat', /memory/).met, null);
    assert.equal(row(r, 'chat', /stop.*after/).met, null);
  });

  it('renders a Targets table with a row per target per dialect', () => {
    const text = renderReport(results());
    assert.match(text, /\*\*Targets\*\*: 6 of 10 measured met/);
    assert.match(text, /\n\| chat completions \| 85000 \| 0\.85x \|/);
    assert.match(text, /\| chat completions \| `POST \/v1\/chat\/completions` \(`chat`\) \| `data: \[DONE\]` \| stops the run \|/);
  });
});

describe('renderChart', () => {
  it('draws a bar per dialect in every panel', () => {
    const svg = renderChart(results());
    assert.match(svg, /^<svg /);
    assert.equal(svg.match(/>\/v1\/complete</g)?.length, 4);
    assert.equal(svg.match(/>raw pass-through</g)?.length, 3);
  });
});

describe('rotate', () => {
  it('starts each round with the next side', () => {
    assert.deepEqual(rotate(['a', 'b', 'c'], 0), ['a', 'b', 'c']);
    assert.deepEqual(rotate(['a', 'b', 'c'], 1), ['b', 'c', 'a']);
    assert.deepEqual(rotate(['a', 'b', 'c'], 4), ['b', 'c', 'a']);
    assert.deepEqual(rotate([], 2), []);
  });
});
