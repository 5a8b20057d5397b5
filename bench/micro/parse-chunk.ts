/**
 * In-process microbenchmark of the OpenAI chunk parser: the exact path (`JSON.parse` of
 * every chunk) against the fast path (`fast-chunk.ts` for content-only chunks), on
 * realistic streams. The `data` strings come out of the real SSE decoder (reads of 8
 * chunks), as in the server. A and B are interleaved, the order swapped every round; each
 * round reports CPU ns per chunk (process CPU time, so other processes on a shared machine
 * count less) and the fast/exact ratio; the summary gives medians.
 *
 *   npx tsx bench/micro/parse-chunk.ts [rounds=7]
 */
import { createSseDecoder } from '../../src/providers/http/sse-decoder.js';
import { createChunkScanner, type ChunkScanCounts } from '../../src/providers/openai/fast-chunk.js';
import { createOpenAIStreamParser } from '../../src/providers/openai/parse-stream.js';

const ROUNDS = Number(process.argv[2] ?? 7);
const TARGET_CHUNKS = 400_000;

const WORDS = [' The', ' quick', ' brown', ' fox', ' jumps', ' over', ' the', ' lazy', ' dog', ' and', ' keeps', ' on', ' running', ' far', ' away', '.'];

/** `bench/fake-upstream.ts`'s stream, 200 tokens. */
function benchStream(): string[] {
  const head = '{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":';
  const chunk = (delta: string, finish = 'null') => `${head}${delta},"logprobs":null,"finish_reason":${finish}}]}`;
  const out = [chunk('{"role":"assistant","content":""}')];
  for (let i = 0; i < 200; i++) out.push(chunk(`{"content":${JSON.stringify(WORDS[i % WORDS.length])}}`));
  out.push(chunk('{}', '"stop"'), '[DONE]');
  return out;
}

/**
 * OpenAI's current shape: service tier, fingerprint, `usage: null`, `obfuscation`; some
 * newlines, quotes and non-ASCII. OpenAI's `obfuscation` is random padding that changes
 * every chunk (`varying`): then the suffix never repeats and only the prefix helps.
 */
function openAIStream(varying: boolean): string[] {
  const pieces = [' Bei', 'jing', ' is', ' the', ' capital', ' of', ' China', '.', '\n\n', '北京', '是', '首都', ' "', 'quoted', '"', ' ok'];
  let n = 0;
  const pad = () => (varying ? 'aB3xYq7Lm0Zt'.slice(0, 2 + (n++ % 10)) : 'aB3xY');
  const line = (delta: string, finish = 'null', usage = 'null') =>
    `{"id":"chatcmpl-BQ3nT8x0Y1bE7kZ","object":"chat.completion.chunk","created":1745480000,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_0392822090","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}],"usage":${usage},"obfuscation":"${pad()}"}`;
  const out = [line('{"role":"assistant","content":"","refusal":null}')];
  for (let i = 0; i < 200; i++) out.push(line(`{"content":${JSON.stringify(pieces[i % pieces.length])}}`));
  out.push(line('{}', '"stop"'), '[DONE]');
  return out;
}

/** DeepSeek: 100 `reasoning_content` chunks (exact path), then 100 content chunks with `reasoning_content: null`. */
function deepSeekStream(): string[] {
  const line = (delta: string, finish = 'null') =>
    `{"id":"6f1c2e0a-9d3b-4c8e-b1a2-0c7d5e9f4a31","object":"chat.completion.chunk","created":1745480100,"model":"deepseek-reasoner","system_fingerprint":"fp_5417b77867_prod0425fp8","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}]}`;
  const out = [line('{"role":"assistant","content":null,"reasoning_content":""}')];
  for (let i = 0; i < 100; i++) out.push(line(`{"content":null,"reasoning_content":${JSON.stringify(WORDS[i % WORDS.length])}}`));
  for (let i = 0; i < 100; i++) out.push(line(`{"content":${JSON.stringify(WORDS[i % WORDS.length])},"reasoning_content":null}`));
  out.push(line('{"content":"","reasoning_content":null}', '"stop"'), '[DONE]');
  return out;
}

/** Every token with an escape (`\n`, `\"`, `\u00e9`): the fast path's slowest content chunk. */
function escapedStream(): string[] {
  const pieces = ['\n', 'a\nb', ' "x"', '\\', 'caf\u00e9', '\t|'];
  const head = '{"id":"chatcmpl-e","object":"chat.completion.chunk","created":1700000000,"model":"m","choices":[{"index":0,"delta":';
  const out: string[] = [];
  for (let i = 0; i < 200; i++) {
    const json = JSON.stringify(pieces[i % pieces.length]).replace('é', '\\u00e9');
    out.push(`${head}{"content":${json}},"logprobs":null,"finish_reason":null}]}`);
  }
  out.push(`${head}{},"logprobs":null,"finish_reason":"stop"}]}`, '[DONE]');
  return out;
}

/** The stream's `data` strings as the server sees them: out of the SSE decoder, 8 chunks a read. */
function throughDecoder(datas: string[]): string[] {
  const decoder = createSseDecoder();
  const encoder = new TextEncoder();
  const out: string[] = [];
  for (let i = 0; i < datas.length; i += 8) {
    const read = datas.slice(i, i + 8).map((d) => `data: ${d}\n\n`).join('');
    for (const m of decoder.push(encoder.encode(read))) out.push(m.data);
  }
  for (const m of decoder.end()) out.push(m.data);
  return out;
}

type Scan = ((data: string) => string | undefined) | null;

/** One way to parse: what each parser gets as its `scanChunk` (`undefined`: the parser's default). */
interface Side {
  name: string;
  scanner: () => Scan | undefined;
}

const SIDES: Side[] = [
  { name: 'exact', scanner: () => null },
  { name: 'fast', scanner: () => undefined },
  // The other design the issue asked to measure: no decoding, any backslash goes to JSON.parse.
  {
    name: 'fast, escapes to JSON.parse',
    scanner: () => {
      const scan = createChunkScanner();
      return (data) => (data.includes('\\') ? undefined : scan(data));
    },
  },
];

/** Parses the stream `repeat` times with a fresh parser each time; returns a checksum so nothing is dead code. */
function run(datas: readonly string[], repeat: number, side: Side): number {
  let sum = 0;
  for (let r = 0; r < repeat; r++) {
    const scanChunk = side.scanner();
    const parser = createOpenAIStreamParser('bench', scanChunk === undefined ? {} : { scanChunk });
    for (const d of datas) sum += parser.push(d).length;
    sum += parser.end().length;
  }
  return sum;
}

/** CPU time (not wall time: the machine is shared) per chunk, in ns. */
function time(datas: readonly string[], repeat: number, side: Side): number {
  const c0 = process.cpuUsage();
  const sum = run(datas, repeat, side);
  const c = process.cpuUsage(c0);
  if (sum <= 0) throw new Error('no events');
  return ((c.user + c.system) * 1000) / (datas.length * repeat);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const streams: Array<[string, string[]]> = [
  ['bench (fake-upstream.ts)', throughDecoder(benchStream())],
  ['openai (fixed obfuscation)', throughDecoder(openAIStream(false))],
  ['openai (obfuscation varies per chunk)', throughDecoder(openAIStream(true))],
  ['deepseek (half reasoning)', throughDecoder(deepSeekStream())],
  ['every token escaped', throughDecoder(escapedStream())],
];

// Every side must give the same events before they are timed.
const eventsOf = (datas: readonly string[], scanChunk: Scan | undefined) => {
  const parser = createOpenAIStreamParser('x', scanChunk === undefined ? {} : { scanChunk });
  return JSON.stringify([...datas.map((d) => parser.push(d)), parser.end()]);
};
for (const [name, datas] of streams) {
  const exact = eventsOf(datas, null);
  for (const side of SIDES) if (eventsOf(datas, side.scanner()) !== exact) throw new Error(`${name}: "${side.name}" gives other events`);
}

console.log(`node ${process.version}, ${ROUNDS} rounds, ~${TARGET_CHUNKS} chunks per side per round; CPU ns per chunk (median of rounds), ratio to exact per round\n`);
for (const [name, datas] of streams) {
  const repeat = Math.ceil(TARGET_CHUNKS / datas.length);
  for (const side of SIDES) run(datas, Math.ceil(repeat / 4), side); // warm-up
  const ns = SIDES.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    // Interleaved, the order rotated every round.
    for (let k = 0; k < SIDES.length; k++) {
      const i = (k + round) % SIDES.length;
      ns[i]?.push(time(datas, repeat, SIDES[i] as Side));
    }
  }
  const counts: ChunkScanCounts = { suffix: 0, prefix: 0, full: 0, exact: 0 };
  eventsOf(datas, createChunkScanner(counts));
  console.log(`${name} (fast path's chunks by way: ${JSON.stringify(counts)})`);
  const exact = ns[0] as number[];
  SIDES.forEach((side, i) => {
    const mine = ns[i] as number[];
    const ratios = mine.map((v, r) => (v / (exact[r] as number)).toFixed(2));
    console.log(`  ${side.name.padEnd(28)} ${median(mine).toFixed(0).padStart(5)} ns/chunk  ×${(median(mine) / median(exact)).toFixed(2)}  (rounds: ${ratios.join(' ')})`);
  });
}
