/**
 * The fast path for content-only chunks (`fast-chunk.ts`) against the exact one
 * (`JSON.parse`), through the real parser: generated streams of chunks, the common shape
 * and near misses (thinking, usage, tool calls, a finish reason, repeated keys, escaped
 * keys, look-alike nesting, whitespace, odd numbers, bad escapes, trailing or missing text),
 * must give the same events and the same errors chunk by chunk. Fixed seed, printed in the
 * test names; `FAST_CHUNK_SEED=n` explores another, `FAST_CHUNK_RUNS=n` changes the count.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createChunkScanner, scanContentChunk, type ChunkScanCounts } from './fast-chunk.js';
import { createOpenAIStreamParser, type OpenAIStreamParserOptions } from './parse-stream.js';

const SEED = Number(process.env.FAST_CHUNK_SEED ?? 20261202);
const RUNS = Number(process.env.FAST_CHUNK_RUNS ?? 2000);

// ---- JSON text, written the many ways JSON allows ----

const ws = fc.oneof({ weight: 12, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom(' ', '\n', '\t', '\r', '  ', '\r\n ') });

/** Text for the content: mostly plain, with everything that needs care in JSON and in the think splitter. */
const textValue = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(' The', ' quick', 'fox', '', '.', ' 北京', '😀', '\n\n', ' "quoted"', 'back\\slash', '</think>', '<think>', '</thi', 'nk>', 'a'.repeat(40)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  // Lone surrogates and control characters.
  { weight: 1, arbitrary: fc.array(fc.constantFrom('\ud800', '\udfff', '\ud83d', '\ude00', '\0', '\u001f', '\u2028', '\u007f', 'x'), { maxLength: 6 }).map((a) => a.join('')) },
  { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map((s) => `${s}</think>\n\n${s}`) },
);

/** One UTF-16 code unit as JSON may write it inside a string. */
function unitForms(unit: string): string[] {
  const code = unit.charCodeAt(0);
  const hex = code.toString(16).padStart(4, '0');
  const escapes = [`\\u${hex}`, `\\u${hex.toUpperCase()}`];
  const short: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '/': '\\/' };
  const forms = short[unit] ? [short[unit], ...escapes] : escapes;
  // Quote, backslash and control characters must be escaped; anything else may also be raw.
  return unit === '"' || unit === '\\' || code < 0x20 ? forms : [unit, unit, unit, ...forms];
}

/** A JSON string token for `value`, each code unit written one of the ways JSON allows. */
const stringToken = (value: string): fc.Arbitrary<string> =>
  value.length === 0 ? fc.constant('""') : fc.tuple(...Array.from(value, (_, i) => fc.constantFrom(...unitForms(value[i] as string)))).map((parts) => `"${parts.join('')}"`);
const anyStringToken = (values: fc.Arbitrary<string>) => values.chain(stringToken);

/** JSON numbers in their odd but valid forms. */
const numberToken = fc.constantFrom('0', '-0', '1700000000', '1745480000', '12', '1e5', '1E+5', '2e-3', '0.5', '-1.25e-3', '10.0', '9007199254740993');
/** Numbers JSON does not allow. */
const badNumber = fc.constantFrom('01', '-01', '1.', '.5', '+1', '1e', '1e+', '1E-', '-', '0x1', 'NaN', 'Infinity', '-Infinity', '1_000', '1.e5', '00');

/** Any JSON value, with whitespace, some shaped like the members read (look-alikes inside skipped values). */
const anyValue: fc.Arbitrary<string> = fc.letrec<{ value: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('null', 'true', 'false', '""', '{}', '[]'),
    numberToken,
    anyStringToken(textValue),
    fc.constantFrom('{"choices":[{"delta":{"content":"x"}}]}', '"\\"content\\":\\"x\\""', '{"content":"in","reasoning_content":"no"}', '[{"delta":{"content":"y"}}]'),
    fc.array(fc.tuple(ws, tie('value'), ws), { maxLength: 3 }).map((items) => `[${items.map(([a, v, b]) => a + v + b).join(',')}]`),
    fc.array(fc.tuple(anyStringToken(fc.constantFrom('content', 'delta', 'k', 'choices')), ws, tie('value')), { maxLength: 3 }).map((ms) => `{${ms.map(([k, w, v]) => `${k}:${w}${v}`).join(',')}}`),
  ),
})).value;

/** A key: mostly plain, sometimes written with an escape (`JSON.parse` reads `"cont\u0065nt"` as `content`). */
const keyToken = (key: string) => fc.oneof({ weight: 60, arbitrary: fc.constant(`"${key}"`) }, { weight: 1, arbitrary: stringToken(key) });

/** A member: its key, its value, and how often it is there (1 = always). */
type Member = [key: string, value: fc.Arbitrary<string>, presence?: number];

/** Rarely, the same key again with any value. */
const repeated = fc.oneof({ weight: 12, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.tuple(fc.nat(), anyValue) });

/** An object from its members: some left out, order sometimes shuffled, a member sometimes repeated with another value, whitespace around it all. */
function object(members: Member[]): fc.Arbitrary<string> {
  const present = (p: number) => (p >= 1 ? fc.constant(true) : fc.double({ min: 0, max: 1, noNaN: true }).map((x) => x < p));
  const picked = fc.tuple(...members.map(([key, value, presence = 1]) => fc.tuple(fc.constant(key), keyToken(key), value, present(presence))));
  return fc
    .tuple(picked, fc.nat({ max: 9 }), fc.nat(), repeated, fc.array(fc.tuple(ws, ws, ws), { minLength: members.length + 1, maxLength: members.length + 1 }))
    .map(([all, shuffle, seedOrder, repeat, spaces]) => {
      let parts = all.filter(([, , , keep]) => keep).map(([, key, value]) => [key, value] as [string, string]);
      if (shuffle === 0) parts = parts.map((p, i) => [(seedOrder * (i + 7)) % 31, p] as const).sort((a, b) => a[0] - b[0]).map(([, p]) => p);
      if (repeat && parts.length > 0) parts.push([(parts[repeat[0] % parts.length] as [string, string])[0], repeat[1]]);
      const body = parts.map(([k, v], i) => `${spaces[i]?.[0] ?? ''}${k}${spaces[i]?.[1] ?? ''}:${spaces[i]?.[2] ?? ''}${v}`).join(',');
      return `{${body}${spaces[members.length]?.[0] ?? ''}}`;
    });
}

/** Mostly `common`; each miss about one time in 40. */
const nearMiss = <T>(common: fc.Arbitrary<T>, ...misses: fc.Arbitrary<T>[]) =>
  fc.oneof({ weight: 40 * misses.length, arbitrary: common }, ...misses.map((arbitrary) => ({ weight: 1, arbitrary })));

const delta = object([
  ['role', nearMiss(fc.constant('"assistant"'), anyValue), 0.3],
  ['content', nearMiss(anyStringToken(textValue), fc.constant('null'), anyValue), 0.95],
  ['reasoning_content', nearMiss(fc.constantFrom('null', '""'), anyStringToken(textValue), anyValue), 0.2],
  ['reasoning', nearMiss(fc.constantFrom('null', '""'), anyStringToken(textValue)), 0.1],
  ['tool_calls', nearMiss(fc.constant('null'), fc.constant('[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{\\"a\\""}}]'), anyValue), 0.1],
  ['refusal', fc.constant('null'), 0.2],
]);

const choice = object([
  ['index', nearMiss(fc.constant('0'), numberToken, badNumber), 0.9],
  ['delta', nearMiss(delta, fc.constant('null'), fc.constant('{}'), anyValue)],
  ['logprobs', nearMiss(fc.constant('null'), anyValue), 0.6],
  ['finish_reason', nearMiss(fc.constant('null'), fc.constantFrom('"stop"', '"length"', '"tool_calls"', '""', 'false', '0'), anyValue), 0.9],
  ['stop_reason', fc.oneof(fc.constant('null'), anyStringToken(textValue)), 0.1],
]);

const choices = nearMiss(
  choice.map((c) => `[${c}]`),
  fc.constant('[]'),
  fc.tuple(choice, choice).map(([a, b]) => `[${a},${b}]`),
  anyValue,
  fc.constant('null'),
);

const usage = fc.oneof(
  { weight: 40, arbitrary: fc.constant('null') },
  { weight: 1, arbitrary: fc.constantFrom('{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}', '{"completion_tokens":5,"completion_tokens_details":{"reasoning_tokens":2}}', '{}', '0', 'false') },
  { weight: 1, arbitrary: anyValue },
);

const chunkBody = object([
  ['id', nearMiss(fc.constantFrom('"chatcmpl-1"', '"6f1c2e0a"'), anyStringToken(textValue))],
  ['object', fc.constant('"chat.completion.chunk"')],
  ['created', nearMiss(numberToken, badNumber)],
  ['model', nearMiss(fc.constantFrom('"gpt-4o-mini"', '"deepseek-reasoner"', '"qwen-plus"'), anyStringToken(textValue))],
  ['system_fingerprint', fc.oneof(fc.constant('null'), anyStringToken(fc.constantFrom('fp_ollama', 'fp_0392822090'))), 0.4],
  ['choices', choices],
  ['usage', usage, 0.5],
  ['error', nearMiss(fc.constant('null'), fc.constantFrom('{"message":"boom"}', '"boom"', '{}')), 0.1],
  ['obfuscation', anyStringToken(fc.string({ maxLength: 6 })), 0.3],
]);

/** Damage to a whole chunk: trailing text, a cut, a changed or inserted code unit (often near the content string). */
const damage = fc.oneof(
  { weight: 30, arbitrary: fc.constant((s: string) => s) },
  { weight: 1, arbitrary: fc.constantFrom('x', ',', '}', ']', ' x', '{}', '\u00a0', '\v', '\f', '\0', '"').map((tail) => (s: string) => s + tail) },
  { weight: 1, arbitrary: fc.nat().map((n) => (s: string) => s.slice(0, n % (s.length + 1))) },
  {
    weight: 2,
    arbitrary: fc.tuple(fc.integer({ min: -3, max: 40 }), fc.constantFrom('"', '\\', 'x', ',', '}', ']', ' ', '\n', '\0', 'n', '\u00a0'), fc.boolean()).map(
      ([offset, unit, insert]) =>
        (s: string) => {
          // Near the last `"content":` most often, since the fast path reads from there on.
          const at = s.lastIndexOf('"content":');
          const i = Math.max(0, Math.min(s.length - 1, (at < 0 ? s.length >> 1 : at + 10) + offset));
          return s.slice(0, i) + unit + s.slice(insert ? i : i + 1);
        },
    ),
  },
);

const chunk = fc.tuple(ws, chunkBody, ws, damage).map(([a, body, b, hurt]) => hurt(a + body + b));

/** A content string for a chunk that repeats another's prefix: mostly valid, sometimes not quite a string. */
const repeatToken = fc.oneof(
  { weight: 20, arbitrary: anyStringToken(textValue) },
  {
    weight: 1,
    arbitrary: fc.tuple(anyStringToken(textValue), fc.constantFrom('x', '\\', '"', ' ', '\0', ',"content":"dup"', '}')).chain(([token, bad]) =>
      fc.constantFrom(bad + token.slice(1), token.slice(0, -1), token + bad, token.slice(0, -1) + bad + '"', bad + token, 'null', '1', token.replace('\\', '\\x')),
    ),
  },
);

/**
 * A stream: a few chunk shapes, each repeated with another content string (so the fast
 * path's prefix and suffix are learned and then hit) and sometimes with the rest of another
 * chunk after it (same prefix, another ending: a finish reason, usage, a repeated key…),
 * mixed with one-off chunks. Then `[DONE]` or not.
 */
const stream = fc
  .tuple(
    fc.array(fc.tuple(chunk, fc.array(fc.tuple(repeatToken, fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: chunk })), { minLength: 1, maxLength: 6 })), { minLength: 1, maxLength: 3 }),
    fc.array(chunk, { maxLength: 3 }),
    fc.nat(),
    fc.constantFrom<string[]>([], ['[DONE]'], [' [DONE] ']),
  )
  .map(([shapes, others, mix, done]) => {
    const out: string[] = [];
    for (const [shape, repeats] of shapes) {
      out.push(shape);
      const [head, tail] = aroundContent(shape);
      if (head === undefined) continue;
      for (const [token, other] of repeats) out.push(head + token + ((other && aroundContent(other)[1]) ?? tail));
    }
    others.forEach((o, i) => out.splice((mix + i * 7) % (out.length + 1), 0, o));
    return [...out, ...done];
  });

/** A chunk's text before and after its last `content` string, if it has one. */
function aroundContent(s: string): [string | undefined, string | undefined] {
  const at = s.lastIndexOf('"content":');
  const end = at < 0 ? -1 : endOfToken(s, at + 10);
  return end < 0 ? [undefined, undefined] : [s.slice(0, at + 10), s.slice(end)];
}

/** Past the JSON string token at `i` (the generator's own helper; -1 if none). */
function endOfToken(s: string, i: number): number {
  if (s[i] !== '"') return -1;
  for (let k = i + 1; k < s.length; k++) {
    if (s[k] === '\\') k++;
    else if (s[k] === '"') return k + 1;
  }
  return -1;
}

// ---- the property ----

type Outcome = { events: unknown } | { error: string };

/** What the parser makes of each `data` and of the end: events, or the error it throws. */
function outcomes(datas: readonly string[], options: OpenAIStreamParserOptions): Outcome[] {
  const parser = createOpenAIStreamParser('up', options);
  const run = (f: () => unknown): Outcome => {
    try {
      return { events: f() };
    } catch (err) {
      const e = err as { name: string; message: string; code?: string };
      return { error: `${e.name} ${e.code ?? ''} ${e.message}` };
    }
  };
  return [...datas.map((d) => run(() => parser.push(d))), run(() => parser.end())];
}

/** fast-check's verdict on `scanner` (a fresh one per stream) against the exact path. */
function verdict(scanner: () => (data: string) => string | undefined, options: { counts?: ChunkScanCounts; shrink?: boolean } = {}) {
  const { counts, shrink = true } = options;
  return fc.check(
    fc.property(stream, (datas) => {
      const scan = scanner();
      const counted = counts ? createChunkScanner(counts) : undefined;
      if (counted) for (const d of datas) counted(d);
      assert.deepEqual(outcomes(datas, { scanChunk: scan }), outcomes(datas, { scanChunk: null }));
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: !shrink },
  );
}

const assertHolds = <T>(result: fc.RunDetails<T>) => {
  if (result.failed) assert.fail(fc.defaultReportMessage(result) ?? 'failed');
};

describe('content-only chunk fast path', () => {
  it(`the stream scanner (prefix, suffix, full scan) gives the exact path's events and errors: ${RUNS} streams (seed ${SEED})`, (t) => {
    const counts: ChunkScanCounts = { suffix: 0, prefix: 0, full: 0, exact: 0 };
    assertHolds(verdict(() => createChunkScanner(), { counts }));
    // Not a vacuous pass: every way through the fast path was taken often, and so was the exact path.
    const total = counts.suffix + counts.prefix + counts.full + counts.exact;
    t.diagnostic(`chunks: ${JSON.stringify(counts)}`);
    for (const [way, n] of Object.entries(counts)) assert.ok(n > total * 0.03, `${way}: ${n} of ${total} chunks (${JSON.stringify(counts)})`);
  });

  it(`the full scan alone gives the exact path's events and errors: ${RUNS} streams (seed ${SEED})`, () => {
    assertHolds(verdict(() => scanContentChunk));
  });

  it('fails wrong scanners: the property can tell', () => {
    const wrong: Record<string, () => (data: string) => string | undefined> = {
      // The `indexOf` shortcut: first `"content":"`, up to the next quote.
      'indexOf for "content"': () => (data) => {
        const at = data.indexOf('"content":"');
        return at < 0 ? undefined : data.slice(at + 11, data.indexOf('"', at + 11));
      },
      'trailing text ignored': () => (data) => scanContentChunk(data.replace(/[^}\]]+$/, '')),
      'a prefix hit trusted without checking the string': () => {
        const real = createChunkScanner();
        let prefix = '';
        return (data) => {
          const found = real(data);
          const at = data.lastIndexOf('"content":"');
          if (found !== undefined && at > 0) prefix = data.slice(0, at + 10);
          if (found === undefined && prefix && data.startsWith(prefix)) return data.slice(prefix.length + 1, data.indexOf('"', prefix.length + 1));
          return found;
        };
      },
    };
    for (const [name, scanner] of Object.entries(wrong)) {
      // Caught at the first counterexample: no time spent shrinking it.
      const result = verdict(scanner, { shrink: false });
      assert.ok(result.failed, `${name}: not caught in ${RUNS} streams`);
    }
  });

  it('reads the common chunks of real servers fast, and takes the exact path for the rest', () => {
    const fast = [
      '{"id":"chatcmpl-bench","object":"chat.completion.chunk","created":1700000000,"model":"bench","choices":[{"index":0,"delta":{"content":" fox"},"logprobs":null,"finish_reason":null}]}',
      '{"choices":[{"delta":{"content":"x","reasoning_content":null},"finish_reason":null,"index":0,"logprobs":null}],"object":"chat.completion.chunk","usage":null,"created":1,"system_fingerprint":null,"model":"qwen-plus","id":"c"}',
      '{"id":"c","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null,"obfuscation":"aB3"}',
      '{"choices":[{"delta":{"content":"a\\n\\"b\\" \\u00e9\\ud83d\\ude00 \\ud800"}}]}',
      ' { "choices" : [ { "delta" : { "content" : null } } ] } ',
    ];
    for (const d of fast) assert.equal(scanContentChunk(d), (JSON.parse(d) as { choices: [{ delta: { content: string | null } }] }).choices[0].delta.content ?? '', d);
    const exact = [
      '{"choices":[{"delta":{"reasoning_content":"think"}}]}',
      '{"choices":[{"delta":{"content":"a"},"finish_reason":"stop"}]}',
      '{"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":2}}',
      '{"choices":[{"delta":{"tool_calls":[{"index":0}]}}]}',
      '{"choices":[{"delta":{"cont\\u0065nt":"a"}}]}',
      '{"choices":[{"delta":{"content":"a"}}]}x',
      '{"choices":[{"delta":{"content":"a\u0001"}}]}',
      '{"choices":[{"delta":{"content":"\\x"}}]}',
      '{"error":{"message":"boom"}}',
      '{"created":01,"choices":[]}',
    ];
    for (const d of exact) assert.equal(scanContentChunk(d), undefined, d);
    // A repeated key counts its last occurrence, as in JSON.parse.
    assert.equal(scanContentChunk('{"choices":[{"delta":{"content":"a","content":"b"}}]}'), 'b');
    assert.equal(scanContentChunk('{"choices":[{"delta":{"content":"a"}}],"choices":[]}'), '');
  });

  it('after the first chunks of a stream, reads only the content string', () => {
    const counts: ChunkScanCounts = { suffix: 0, prefix: 0, full: 0, exact: 0 };
    const scan = createChunkScanner(counts);
    const head = '{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":';
    const texts = ['"a"', '"b\\n"', '"\\u4e2d"', '"long text, longer than a slice would copy"', '"c"'];
    assert.deepEqual(texts.map((t) => scan(`${head}${t}},"logprobs":null,"finish_reason":null}]}`)), ['a', 'b\n', '中', 'long text, longer than a slice would copy', 'c']);
    assert.deepEqual(counts, { full: 1, prefix: 1, suffix: 3, exact: 0 });
  });
});
