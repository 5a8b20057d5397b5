/**
 * A fast path for the chunk most of a stream is made of: a `chat.completion.chunk` whose
 * first choice carries only answer text, e.g.
 * `{"id":…,"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]}`.
 *
 * `scanContentChunk` walks the whole text once, checking the JSON grammar as `JSON.parse`
 * does, and reads only what `parse-stream.ts` reads, without building the object:
 *
 * - top level: an object; `choices` an array whose first element is an object; `usage`
 *   and `error`, when present, `null`;
 * - `choices[0]`: `finish_reason`, when present, `null`; `delta`, when present, an object;
 * - `delta`: `content` a string or `null`; `reasoning_content` and `reasoning`, when
 *   present, `null` or `""`; `tool_calls`, when present, `null`.
 *
 * Every other member (id, model, role, logprobs, later choices, …) may hold any JSON value:
 * the parser never reads it, so it is checked for grammar and skipped. A repeated key counts
 * its last occurrence, as in `JSON.parse`. Anything else (another value for one of those
 * members, an escaped key, nesting past `MAX_DEPTH`, a grammar error, trailing text) answers
 * `undefined`: "not fast", and the caller takes the exact `JSON.parse` path, which also
 * reports every malformed chunk exactly as before.
 *
 * A JS scan of a whole chunk costs about what `JSON.parse` does, so `createChunkScanner`
 * adds what makes it fast: within one stream, chunks differ in little but their text. It
 * keeps the text before the `content` string of the last chunk it read in full (the
 * prefix). A chunk that starts with that prefix is, up to there, the same JSON text, so the
 * grammar and the members are known to be fine; the scan resumes at the content string and
 * reads only the rest (`},"logprobs":null,"finish_reason":null}]}`). When that rest also
 * repeats (the suffix), only the content string is read. The property tests in
 * `fast-chunk.test.ts` compare all three with `JSON.parse` on generated chunks and streams.
 *
 * Pure and synchronous. Speed notes (V8): the position is a local passed from function to
 * function (each returns the index after what it read, or `FAIL`), because module-level
 * `let`s cost a context load and a hole check per access, 3× slower here; every `charCodeAt`
 * is bounds-checked, because reading past the end yields NaN and turns the loop's integers
 * into doubles.
 */

/** Nesting inside skipped values past which the scan hands over to `JSON.parse`. */
const MAX_DEPTH = 32;

/** Returned instead of an index when the text is not a chunk this scan reads. */
const FAIL = -1;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;

/** The objects whose members the scan reads. */
const TOP = 0;
const CHOICE = 1;
const DELTA = 2;

/** Shorter text is copied by `slice` anyway; longer is copied on purpose (see `readContent`). */
const SLICE_COPIES_BELOW = 13;

/** A full scan that fails this many chunks in a row is then tried only on every `RETRY_EVERY`th. */
const GIVE_UP_AFTER = 4;
const RETRY_EVERY = 8;

/** Longest prefix kept (the chunks of a real stream have less than 400 characters before their text). */
const MAX_PREFIX = 1024;

/** The content of the last `delta` read so far, `''` for none or `null` (written a few times per chunk only). */
let text = '';
/** Where the string of the last `content` read opens, and the index past it. */
let contentAt = -1;
let contentEnd = -1;
/** Set by every member that changes `text`: `resumeAtContent` tells by it whether the rest of a chunk changed nothing. */
let acted = false;

/**
 * The answer text of a content-only chunk (`''` when it carries none), or `undefined` when
 * the chunk is anything else and must go through `JSON.parse`. Reads the whole chunk.
 */
export function scanContentChunk(data: string): string | undefined {
  text = '';
  contentAt = -1;
  let i = ws(data, 0);
  i = at(data, i) === OPEN_BRACE ? members(data, i, TOP) : FAIL;
  return finish(data, i);
}

/** The answer, or `undefined` when the scan failed or text follows the chunk. */
function finish(data: string, i: number): string | undefined {
  const found = text;
  text = '';
  return i !== FAIL && ws(data, i) === data.length ? found : undefined;
}

/**
 * The rest of a chunk from its `content` string, which opens at `i` in the grammar position
 * `choices[0].delta.content` (known from the prefix). Afterwards `acted` says whether the
 * text after the string changed the answer (a repeated key).
 */
function resumeAtContent(data: string, i: number): string | undefined {
  text = '';
  i = at(data, i) === QUOTE ? readContent(data, i) : FAIL;
  acted = false;
  if (i !== FAIL) i = restOfMembers(data, i, DELTA);
  if (i !== FAIL) i = restOfMembers(data, i, CHOICE);
  if (i !== FAIL) i = restOfChoices(data, i);
  if (i !== FAIL) i = restOfMembers(data, i, TOP);
  return finish(data, i);
}

/** How the chunks a scanner read were answered (for tests and the microbenchmark). */
export interface ChunkScanCounts {
  /** Prefix and suffix both matched: only the content string was read. */
  suffix: number;
  /** The prefix matched: read from the content string on. */
  prefix: number;
  /** Read in full, fast. */
  full: number;
  /** Not fast (`JSON.parse`). */
  exact: number;
}

/** Learning a new prefix or suffix copies it; after this many copies in a row without a hit, no more are made (a server whose chunks differ in more than their text). */
const MAX_COPIES = 2;

/**
 * `scanContentChunk` for one stream's chunks, remembering a prefix and a suffix (see the
 * top of this file):
 *
 * - prefix: the text before the `content` string of the last chunk read in full. A chunk
 *   with the same prefix is read from its content string on (`resumeAtContent`).
 * - suffix: the text after the content string of the last such chunk, when it changed
 *   nothing. A chunk that is prefix, one valid JSON string, suffix, is that string's text.
 *
 * It also stops paying for full scans that keep failing (a stretch of `reasoning_content`
 * chunks): after `GIVE_UP_AFTER` in a row it tries one chunk in `RETRY_EVERY`, so a stream
 * that turns to its answer gets the fast path back soon.
 */
export function createChunkScanner(counts?: ChunkScanCounts): (data: string) => string | undefined {
  let prefix = '';
  let suffix = '';
  let prefixCopies = 0;
  let suffixCopies = 0;
  let failures = 0;
  let skipped = 0;
  return (data) => {
    // `===` compares whole blocks of memory; `startsWith` goes code unit by code unit, 2-4× slower here.
    const prefixMatched = prefix.length > 0 && data.substring(0, prefix.length) === prefix;
    if (prefixMatched) {
      const at = prefix.length;
      if (suffix.length > 0) {
        const end = data.length - suffix.length;
        // Exactly one JSON string between prefix and suffix: it opens right after the prefix
        // and the first unescaped quote after that is the last code unit before the suffix.
        if (end > at && data.charCodeAt(at) === QUOTE && data.substring(end) === suffix && endOfString(data, at, true) === end) {
          prefixCopies = suffixCopies = failures = 0;
          if (counts) counts.suffix++;
          return contentText(data, at, end);
        }
      }
      const found = resumeAtContent(data, at);
      if (found !== undefined) {
        if (counts) counts.prefix++;
        prefixCopies = failures = 0;
        if (!acted && suffixCopies < MAX_COPIES) {
          suffixCopies++;
          suffix = copyOf(data.substring(contentEnd));
        }
        return found;
      }
    }
    const found = failures >= GIVE_UP_AFTER && ++skipped % RETRY_EVERY !== 0 ? undefined : scanContentChunk(data);
    if (found === undefined) {
      if (counts) counts.exact++;
      failures++;
      return undefined;
    }
    if (counts) counts.full++;
    failures = 0;
    if (!prefixMatched && contentAt > 0 && contentAt <= MAX_PREFIX && prefixCopies < MAX_COPIES) {
      prefixCopies++;
      prefix = copyOf(data.substring(0, contentAt));
      suffix = '';
    }
    return found;
  };
}

/**
 * A string of its own: a `slice` of a chunk would keep the whole upstream read the chunk
 * came from alive for the stream's life. `JSON.parse` builds new strings.
 */
function copyOf(s: string): string {
  return JSON.parse(JSON.stringify(s)) as string;
}

/** Past JSON whitespace (only these four, as `JSON.parse`). */
function ws(s: string, i: number): number {
  const n = s.length;
  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    i++;
  }
  return i;
}

/** The code unit at `i`, or -1 past the end. */
function at(s: string, i: number): number {
  return i < s.length ? s.charCodeAt(i) : -1;
}

/** An object of `level` from its `{`: each member the parser reads is checked, the others skipped. */
function members(s: string, i: number, level: number): number {
  i = ws(s, i + 1);
  if (at(s, i) === CLOSE_BRACE) return i + 1;
  i = keyAndValue(s, i, level);
  return i === FAIL ? FAIL : restOfMembers(s, i, level);
}

/** The members of an object of `level` after a value, to past its `}`. */
function restOfMembers(s: string, i: number, level: number): number {
  for (;;) {
    i = ws(s, i);
    const c = at(s, i);
    if (c === CLOSE_BRACE) return i + 1;
    if (c !== COMMA) return FAIL;
    i = keyAndValue(s, ws(s, i + 1), level);
    if (i === FAIL) return FAIL;
  }
}

/** One `"key": value` of an object of `level`. */
function keyAndValue(s: string, i: number, level: number): number {
  if (at(s, i) !== QUOTE) return FAIL;
  const start = i + 1;
  i = skipKey(s, i);
  if (i === FAIL) return FAIL;
  const length = i - 1 - start;
  i = ws(s, i);
  if (at(s, i) !== COLON) return FAIL;
  return member(s, ws(s, i + 1), level, start, length);
}

/** One member's value, from its first code unit; the key is `s.slice(start, start + length)`. */
function member(s: string, i: number, level: number, start: number, length: number): number {
  // Only keys as long as one read here are cut out and compared (`===` on strings is a memory compare).
  const key = length === 5 || length === 7 || length === 9 || length === 10 || length === 13 || length === 17 ? s.substring(start, start + length) : '';
  if (level === TOP) {
    if (key === 'choices') return choices(s, i);
    if (key === 'usage' || key === 'error') return isNull(s, i);
  } else if (level === CHOICE) {
    if (key === 'delta') {
      if (at(s, i) !== OPEN_BRACE) return FAIL;
      text = '';
      acted = true;
      return members(s, i, DELTA);
    }
    if (key === 'finish_reason') return isNull(s, i);
  } else {
    if (key === 'content') {
      if (at(s, i) === QUOTE) return readContent(s, i);
      text = '';
      acted = true;
      return isNull(s, i);
    }
    if (key === 'reasoning_content' || key === 'reasoning') return at(s, i) === QUOTE && at(s, i + 1) === QUOTE ? i + 2 : isNull(s, i);
    if (key === 'tool_calls') return isNull(s, i);
  }
  return skipValue(s, i, 0);
}

/** `choices` from its `[`: the first element is read as the choice, the rest skipped. */
function choices(s: string, i: number): number {
  if (at(s, i) !== OPEN_BRACKET) return FAIL;
  text = '';
  acted = true;
  i = ws(s, i + 1);
  const c = at(s, i);
  if (c === CLOSE_BRACKET) return i + 1;
  if (c !== OPEN_BRACE) return FAIL;
  i = members(s, i, CHOICE);
  return i === FAIL ? FAIL : restOfChoices(s, i);
}

/** The elements of `choices` after the first, skipped, to past its `]`. */
function restOfChoices(s: string, i: number): number {
  for (;;) {
    i = ws(s, i);
    const c = at(s, i);
    if (c === CLOSE_BRACKET) return i + 1;
    if (c !== COMMA) return FAIL;
    i = skipValue(s, ws(s, i + 1), 1);
    if (i === FAIL) return FAIL;
  }
}

/** `delta.content` from its opening quote. */
function readContent(s: string, i: number): number {
  const end = endOfString(s, i, true);
  if (end === FAIL) return FAIL;
  text = contentText(s, i, end);
  acted = true;
  contentAt = i;
  contentEnd = end;
  return end;
}

/** The text of the string from `i` to `end` that `endOfString` just checked. */
function contentText(s: string, i: number, end: number): string {
  // Escapes are decoded by `JSON.parse` itself, on this one string: exact by construction.
  // Long text is copied the same way: a `slice` would keep the whole upstream read it came
  // from alive for as long as the text is kept (the usage tally keeps a stream's text).
  return escapedString || end - i - 2 >= SLICE_COPIES_BELOW ? (JSON.parse(s.substring(i, end)) as string) : s.substring(i + 1, end - 1);
}

/** Whether the last string `endOfString` read had an escape. */
let escapedString = false;

/**
 * Past the closing quote of the string opening at `i`, checking it as `JSON.parse` does
 * (no raw control characters, only JSON's escapes). A key with an escape is not read here:
 * comparing it would need decoding, and no server sends one.
 */
function endOfString(s: string, i: number, escapes: boolean): number {
  const n = s.length;
  let escaped = false;
  for (i++; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c === QUOTE) {
      escapedString = escaped;
      return i + 1;
    }
    if (c === BACKSLASH) {
      if (!escapes) return FAIL;
      i = escapeEnd(s, i);
      if (i === FAIL) return FAIL;
      escaped = true;
    } else if (c < 0x20) return FAIL;
  }
  return FAIL;
}

function skipKey(s: string, i: number): number {
  return endOfString(s, i, false);
}

/** The last code unit of the escape whose backslash is at `i`. */
function escapeEnd(s: string, i: number): number {
  const c = at(s, i + 1);
  if (c === 0x75 /* u */) {
    return i + 5 < s.length && isHex(s.charCodeAt(i + 2)) && isHex(s.charCodeAt(i + 3)) && isHex(s.charCodeAt(i + 4)) && isHex(s.charCodeAt(i + 5)) ? i + 5 : FAIL;
  }
  // " \ / b f n r t
  return c === QUOTE || c === BACKSLASH || c === 0x2f || c === 0x62 || c === 0x66 || c === 0x6e || c === 0x72 || c === 0x74 ? i + 1 : FAIL;
}

function isHex(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
}

/** Past any JSON value starting at `i`. */
function skipValue(s: string, i: number, depth: number): number {
  const c = at(s, i);
  if (c === QUOTE) return endOfString(s, i, true);
  if (c === OPEN_BRACE) {
    if (depth >= MAX_DEPTH) return FAIL;
    i = ws(s, i + 1);
    if (at(s, i) === CLOSE_BRACE) return i + 1;
    for (;;) {
      if (at(s, i) !== QUOTE) return FAIL;
      i = endOfString(s, i, true);
      if (i === FAIL) return FAIL;
      i = ws(s, i);
      if (at(s, i) !== COLON) return FAIL;
      i = skipValue(s, ws(s, i + 1), depth + 1);
      if (i === FAIL) return FAIL;
      i = ws(s, i);
      const d = at(s, i);
      if (d === CLOSE_BRACE) return i + 1;
      if (d !== COMMA) return FAIL;
      i = ws(s, i + 1);
    }
  }
  if (c === OPEN_BRACKET) {
    if (depth >= MAX_DEPTH) return FAIL;
    i = ws(s, i + 1);
    if (at(s, i) === CLOSE_BRACKET) return i + 1;
    for (;;) {
      i = skipValue(s, i, depth + 1);
      if (i === FAIL) return FAIL;
      i = ws(s, i);
      const d = at(s, i);
      if (d === CLOSE_BRACKET) return i + 1;
      if (d !== COMMA) return FAIL;
      i = ws(s, i + 1);
    }
  }
  if (c === 0x6e /* n */) return isNull(s, i);
  if (c === 0x74 /* t */ || c === 0x66 /* f */) return isBoolean(s, i);
  return skipNumber(s, i);
}

/** Past `null` at `i` (code units compared inline: a `startsWith` call costs more than the four comparisons). */
function isNull(s: string, i: number): number {
  return i + 4 <= s.length && s.charCodeAt(i) === 0x6e && s.charCodeAt(i + 1) === 0x75 && s.charCodeAt(i + 2) === 0x6c && s.charCodeAt(i + 3) === 0x6c ? i + 4 : FAIL;
}

/** Past `true` or `false` at `i`. */
function isBoolean(s: string, i: number): number {
  if (i + 4 <= s.length && s.charCodeAt(i) === 0x74 && s.charCodeAt(i + 1) === 0x72 && s.charCodeAt(i + 2) === 0x75 && s.charCodeAt(i + 3) === 0x65) return i + 4;
  if (i + 5 <= s.length && s.charCodeAt(i) === 0x66 && s.charCodeAt(i + 1) === 0x61 && s.charCodeAt(i + 2) === 0x6c && s.charCodeAt(i + 3) === 0x73 && s.charCodeAt(i + 4) === 0x65) return i + 5;
  return FAIL;
}

/** Past `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, JSON's number. */
function skipNumber(s: string, i: number): number {
  if (at(s, i) === MINUS) i++;
  let c = at(s, i);
  if (c === ZERO) i++;
  else if (c > ZERO && c <= NINE) i = digits(s, i + 1);
  else return FAIL;
  if (at(s, i) === DOT) {
    if (!isDigit(at(s, i + 1))) return FAIL;
    i = digits(s, i + 2);
  }
  c = at(s, i);
  if (c === 0x65 /* e */ || c === 0x45 /* E */) {
    i++;
    c = at(s, i);
    if (c === PLUS || c === MINUS) i++;
    if (!isDigit(at(s, i))) return FAIL;
    i = digits(s, i + 1);
  }
  return i;
}

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/** Past a run of digits from `i`. */
function digits(s: string, i: number): number {
  while (isDigit(at(s, i))) i++;
  return i;
}
