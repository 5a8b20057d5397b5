/**
 * Cuts text into pieces shaped like an LLM's tokens: English words with their leading
 * space (long words in sub-words), one or two CJK characters, punctuation on its own,
 * line breaks on their own, emoji and other grapheme clusters never split. Used by the
 * simulator to stream and to count tokens; not a real BPE tokenizer.
 */
import type { Random } from './random.js';

const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
const HAN = /\p{Script=Han}|\p{Script=Hiragana}|\p{Script=Katakana}|\p{Script=Hangul}/u;
const graphemes = new Intl.Segmenter('en', { granularity: 'grapheme' });

export function tokenize(text: string, random: Random = Math.random): string[] {
  const out: string[] = [];
  let space = '';
  for (const { segment } of segments(text)) {
    if (/^\s+$/.test(segment)) {
      if (segment === ' ') {
        space += ' ';
        continue;
      }
      if (space) out.push(space);
      space = '';
      out.push(segment);
      continue;
    }
    if (HAN.test(segment)) {
      if (space) out.push(space);
      space = '';
      pushCjk(segment, random, out);
      continue;
    }
    const word = space + segment;
    space = '';
    if (segment.length > 7) pushSubwords(word, random, out);
    else out.push(word);
  }
  if (space) out.push(space);
  return out;
}

/**
 * V8's word segmenter slows down more than linearly on long strings (16 Ki units: 30 ms,
 * 64 Ki: 3 s here), so a long text is segmented in pieces of at most `PIECE` units, cut
 * after a space or a CJK punctuation mark where there is one (where words end anyway).
 */
const PIECE = 2048;
const BREAK = /[\s。，、！？；：]/;

function* segments(text: string): Generator<Intl.SegmentData> {
  if (text.length <= PIECE) {
    yield* segmenter.segment(text);
    return;
  }
  for (let start = 0; start < text.length; ) {
    let end = Math.min(text.length, start + PIECE);
    if (end < text.length) {
      let cut = end;
      while (cut > start + PIECE / 2 && !BREAK.test(text[cut - 1]!)) cut--;
      end = cut > start + PIECE / 2 ? cut : end;
      // Never between the two halves of a surrogate pair.
      const code = text.charCodeAt(end - 1);
      if (code >= 0xd800 && code <= 0xdbff) end--;
    }
    yield* segmenter.segment(text.slice(start, end));
    start = end;
  }
}

function pushCjk(word: string, random: Random, out: string[]): void {
  const chars = Array.from(graphemes.segment(word), (s) => s.segment);
  for (let i = 0; i < chars.length; ) {
    const n = chars.length - i >= 2 && random() < 0.45 ? 2 : 1;
    out.push(chars.slice(i, i + n).join(''));
    i += n;
  }
}

function pushSubwords(word: string, random: Random, out: string[]): void {
  const chars = Array.from(graphemes.segment(word), (s) => s.segment);
  for (let i = 0; i < chars.length; ) {
    const n = Math.min(chars.length - i, 3 + Math.floor(random() * 4));
    out.push(chars.slice(i, i + n).join(''));
    i += n;
  }
}

/**
 * Above this many UTF-16 units a text is not segmented whole: its first `EXACT_UP_TO` are,
 * and the count is scaled by length. Word segmentation costs one to two microseconds per
 * unit here, all of it on the event loop: a 20 MB answer that reported no usage would
 * keep every other stream of the process waiting for half a minute.
 */
const EXACT_UP_TO = 16 * 1024;

/**
 * Rough token count of a text, as the simulator would stream it (deterministic): exact
 * up to `EXACT_UP_TO` units, extrapolated from that much beyond (it is an estimate anyway).
 */
export function countTokens(text: string): number {
  if (text.length <= EXACT_UP_TO) return countExactly(text);
  return Math.round((countExactly(text.slice(0, EXACT_UP_TO)) * text.length) / EXACT_UP_TO);
}

function countExactly(text: string): number {
  let n = 0;
  const fixed = () => 0.5;
  for (const _ of tokenize(text, fixed)) n++;
  return n;
}
