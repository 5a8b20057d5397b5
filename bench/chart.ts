/** The benchmark's chart as hand-written SVG: four small bar panels (one bar per dialect) and the machine it ran on. */
import { added, type Results } from './report.js';

/** Bar labels: short enough for the panel's label column. */
const SHORT: Record<string, string> = {
  passThrough: 'raw pass-through',
  direct: 'upstream, direct',
  chat: 'chat',
  'chat-resumable': 'chat, resumable',
  'lm-v2': 'lm-v2',
  complete: '/v1/complete',
  'complete-nonresumable': 'complete, not resumable',
  responses: 'responses',
  messages: 'messages',
  'chat-logs-off': 'chat, logs off',
  simulator: 'simulator alone',
};
import { round } from './stats.js';

interface Bar {
  label: string;
  value: number | undefined;
  /** streamgate's own bars stand out. */
  ours: boolean;
}

interface Panel {
  title: string;
  bars: Bar[];
}

const W = 920;
const PANEL_W = 440;
const BAR_H = 22;
const GAP = 8;
const LABEL_W = 170;
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, sans-serif"';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function panel(p: Panel, x: number, y: number): string {
  const values = p.bars.map((b) => b.value).filter((v): v is number => v !== undefined && Number.isFinite(v));
  const max = Math.max(...values.map((v) => Math.abs(v)), 1e-9);
  const span = PANEL_W - LABEL_W - 70;
  const parts = [`<text x="${x}" y="${y}" font-size="14" font-weight="600" ${FONT}>${esc(p.title)}</text>`];
  p.bars.forEach((b, i) => {
    const top = y + 14 + i * (BAR_H + GAP);
    const v = b.value;
    const width = v === undefined || !Number.isFinite(v) ? 0 : Math.max(1, (Math.max(0, v) / max) * span);
    parts.push(
      `<text x="${x + LABEL_W - 8}" y="${top + 15}" font-size="12" text-anchor="end" ${FONT}>${esc(b.label)}</text>`,
      `<rect x="${x + LABEL_W}" y="${top}" width="${round(width)}" height="${BAR_H}" rx="3" fill="${b.ours ? '#2f6fd6' : '#9aa5b1'}"/>`,
      `<text x="${x + LABEL_W + width + 6}" y="${top + 15}" font-size="12" ${FONT}>${v === undefined || Number.isNaN(v) ? 'n/a' : round(v).toLocaleString('en-US')}</text>`,
    );
  });
  return parts.join('\n');
}

function panelHeight(p: Panel): number {
  return 14 + p.bars.length * (BAR_H + GAP) + 28;
}

export function renderChart(r: Results): string {
  const s = r.saturation ?? {};
  const idle = r.idle ?? {};
  const dialects = r.settings.dialects;
  const bars = <T>(table: Record<string, T>, value: (t: T) => number, names: string[]): Bar[] =>
    names.map((n) => ({ label: SHORT[n] ?? n, value: table[n] === undefined ? undefined : value(table[n]!), ours: n !== 'passThrough' && n !== 'direct' }));
  const ids = dialects.map((d) => d.id);
  const panels: Panel[] = [
    {
      title: 'Added TTFT vs the pass-through, p50, 1 stream (ms)',
      bars: ids.map((n) => ({ label: SHORT[n] ?? n, value: added(r.ttftOne, n, 'passThrough'), ours: true })),
    },
    {
      title: 'Chunks per second at saturation',
      bars: bars(s, (t) => t.chunksPerSecond, ['passThrough', ...ids, 'chat-logs-off']),
    },
    {
      title: 'CPU ms per 1,000 chunks',
      bars: bars(s, (t) => t.cpuMsPer1000Chunks, ['passThrough', ...ids, 'chat-logs-off']),
    },
    {
      title: `Resident KiB per open idle stream (${r.settings.idleStreams} open)`,
      bars: bars(idle, (t) => t.kibPerStream, ['passThrough', ...ids]),
    },
  ];
  const rowH = [Math.max(panelHeight(panels[0]!), panelHeight(panels[1]!)), Math.max(panelHeight(panels[2]!), panelHeight(panels[3]!))];
  const top = 54;
  const height = top + rowH[0]! + rowH[1]! + 30;
  const m = r.machine;
  const body = panels.map((p, i) => panel(p, 20 + (i % 2) * (PANEL_W + 20), top + 20 + (i < 2 ? 0 : rowH[0]!)));
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="20" y="28" font-size="18" font-weight="700" ${FONT}>streamgate vs a raw node:http pass-through (loopback)</text>`,
    `<text x="20" y="${top - 8}" font-size="12" fill="#555" ${FONT}>${esc(`${m.cpu}, ${m.cores} cores, Node ${m.node}, ${m.date.slice(0, 10)}`)}</text>`,
    ...body,
    `<text x="20" y="${height - 12}" font-size="11" fill="#777" ${FONT}>npm run bench; blue: streamgate, grey: baselines. Figures in docs/bench/latest.json.</text>`,
    '</svg>',
    '',
  ].join('\n');
}
