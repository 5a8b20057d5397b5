/**
 * In-process microbenchmark of the chat chunk encoder (OpenAI and lm-v2 dialects): this
 * tree's `src/encoders/chat-chunk-encoder.ts` against the same file at another git revision
 * (default `main`), interleaved A/B, the order swapped every round. Each message is framed
 * by `formatSseMessage` and flattened, as the writer would, so the cost of building the
 * string is counted whole. Reports CPU ns per text delta and the ratio; first checks that
 * both give the same bytes.
 *
 *   npx tsx bench/micro/chat-encoder.ts [revision=main] [rounds=7]
 */
import { execFileSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { StreamEvent } from '../../src/core/events.js';
import { formatSseMessage } from '../../src/core/sse.js';
import type { WireMessage } from '../../src/encoders/types.js';
import * as current from '../../src/encoders/chat-chunk-encoder.js';

const REVISION = process.argv[2] ?? 'main';
const ROUNDS = Number(process.argv[3] ?? 7);
const STREAMS = 2000;

// The other revision's encoder, written beside this one so its relative imports resolve.
const root = fileURLToPath(new URL('../..', import.meta.url));
const baselinePath = `${root}src/encoders/.bench-baseline-chat-chunk-encoder.ts`;
writeFileSync(baselinePath, execFileSync('git', ['show', `${REVISION}:src/encoders/chat-chunk-encoder.ts`], { cwd: root }));
let baseline: typeof current;
try {
  baseline = (await import(baselinePath)) as typeof current;
} finally {
  rmSync(baselinePath);
}

const WORDS = [' The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', '\n\n', ' "quoted"', ' 北京'];
const EVENTS: StreamEvent[] = [
  ...Array.from({ length: 200 }, (_, i): StreamEvent => ({ type: 'text-delta', text: WORDS[i % WORDS.length] as string })),
  { type: 'finish', reason: 'end' },
];

type Module = typeof current;
const dialects = {
  openai: { finishReasons: current.OPENAI_FINISH_REASONS, roleInEveryDelta: false },
  'lm-v2': { finishReasons: current.LM_V2_FINISH_REASONS, roleInEveryDelta: true },
};

/** Encodes `STREAMS` streams; returns the wire bytes' total length (and the text of the first, to compare). */
function run(module: Module, dialect: keyof typeof dialects): { chars: number; first: string } {
  let chars = 0;
  let first = '';
  for (let s = 0; s < STREAMS; s++) {
    const encoder = module.createChatChunkEncoder({ id: 'chatcmpl-0123456789abcdef', created: 1700000000, model: 'gpt-4o-mini', reasoningFormat: 'separate', includeUsage: true, ...dialects[dialect] });
    const out: WireMessage[] = [];
    for (const event of EVENTS) encoder.encode(event, out);
    encoder.end(out);
    for (const message of out) {
      const wire = formatSseMessage(message);
      chars += wire.charCodeAt(0) > 0 ? wire.length : 0; // charCodeAt flattens the string, as a socket write would
      if (s === 0) first += wire;
    }
  }
  return { chars, first };
}

function time(module: Module, dialect: keyof typeof dialects): number {
  const c0 = process.cpuUsage();
  run(module, dialect);
  const c = process.cpuUsage(c0);
  return ((c.user + c.system) * 1000) / (STREAMS * EVENTS.length);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

console.log(`node ${process.version}; this tree against ${REVISION}; ${ROUNDS} rounds of ${STREAMS} streams × ${EVENTS.length} events per side\n`);
for (const dialect of Object.keys(dialects) as Array<keyof typeof dialects>) {
  if (run(current, dialect).first !== run(baseline, dialect).first) throw new Error(`${dialect}: the two revisions write different bytes`);
  const a: number[] = [];
  const b: number[] = [];
  const ratios: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let now: number;
    let before: number;
    if (round % 2 === 0) {
      before = time(baseline, dialect);
      now = time(current, dialect);
    } else {
      now = time(current, dialect);
      before = time(baseline, dialect);
    }
    a.push(now);
    b.push(before);
    ratios.push((now / before).toFixed(2));
  }
  console.log(`${dialect}: ${REVISION} ${median(b).toFixed(0)} ns/event, this tree ${median(a).toFixed(0)} ns/event, ratio median ${(median(a) / median(b)).toFixed(2)} (rounds: ${ratios.join(' ')})`);
}
