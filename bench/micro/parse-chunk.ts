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

/** OpenAI's current shape: service tier, fingerprint, `usage: null`, `obfuscation`; some newlines, quotes and non-ASCII. */
function openAIStream(): string[] {
  const pieces = [' Bei', 'jing', ' is', ' the', ' capital', ' of', ' China', '.', '\n\n', '北京', '是', '首都', ' "', 'quoted', '"', ' ok'];
  const line = (delta: string, finish = 'null', usage = 'null') =>
    `{"id":"chatcmpl-BQ3nT8x0Y1bE7kZ","object":"chat.completion.chunk","created":1745480000,"model":"gpt-4o-mini-2024-07-18","service_tier":"default","system_fingerprint":"fp_0392822090","choices":[{"index":0,"delta":${delta},"logprobs":null,"finish_reason":${finish}}],"usage":${usage},"obfuscation":"aB3xY"}`;
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

/** Parses the stream `repeat` times with a fresh parser each time; returns a checksum so nothing is dead code. */
function run(datas: readonly string[], repeat: number, scanChunk: Scan | undefined): number {
  let sum = 0;
  for (let r = 0; r < repeat; r++) {
    const parser = createOpenAIStreamParser('bench', scanChunk === undefined ? {} : { scanChunk });
    for (const d of datas) sum += parser.push(d).length;
    sum += parser.end().length;
  }
  return sum;
}

/** CPU time (not wall time: the machine is shared) per chunk, in ns. */
function time(datas: readonly string[], repeat: number, scanChunk: Scan | undefined): number {
  const c0 = process.cpuUsage();
  const sum = run(datas, repeat, scanChunk);
  const c = process.cpuUsage(c0);
  if (sum <= 0) throw new Error('no events');
  return ((c.user + c.system) * 1000) / (datas.length * repeat);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const streams: Array<[string, string[]]> = [
  ['bench (fake-upstream.ts)', throughDecoder(benchStream())],
  ['openai (current shape)', throughDecoder(openAIStream())],
  ['deepseek (half reasoning)', throughDecoder(deepSeekStream())],
  ['every token escaped', throughDecoder(escapedStream())],
];

// The two paths must agree before they are timed.
const eventsOf = (datas: readonly string[], scanChunk: Scan | undefined) => {
  const parser = createOpenAIStreamParser('x', scanChunk === undefined ? {} : { scanChunk });
  return JSON.stringify([...datas.map((d) => parser.push(d)), parser.end()]);
};
for (const [name, datas] of streams) {
  if (eventsOf(datas, null) !== eventsOf(datas, undefined)) throw new Error(`${name}: the fast path gives other events`);
}

console.log(`node ${process.version}, ${ROUNDS} rounds, ~${TARGET_CHUNKS} chunks per side per round\n`);
for (const [name, datas] of streams) {
  const repeat = Math.ceil(TARGET_CHUNKS / datas.length);
  run(datas, Math.ceil(repeat / 4), null); // warm both paths up
  run(datas, Math.ceil(repeat / 4), undefined);
  const exact: number[] = [];
  const fast: number[] = [];
  const ratios: string[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    let e: number;
    let f: number;
    if (round % 2 === 0) {
      e = time(datas, repeat, null);
      f = time(datas, repeat, undefined);
    } else {
      f = time(datas, repeat, undefined);
      e = time(datas, repeat, null);
    }
    exact.push(e);
    fast.push(f);
    ratios.push((f / e).toFixed(2));
  }
  console.log(`${name}: exact ${median(exact).toFixed(0)} ns/chunk, fast ${median(fast).toFixed(0)} ns/chunk, fast/exact median ${(median(fast) / median(exact)).toFixed(2)} (rounds: ${ratios.join(' ')})`);
}
