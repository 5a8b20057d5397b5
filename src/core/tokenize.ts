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
  for (const { segment } of segmenter.segment(text)) {
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

/** Rough token count of a text, as the simulator would stream it (deterministic). */
export function countTokens(text: string): number {
  let n = 0;
  const fixed = () => 0.5;
  for (const _ of tokenize(text, fixed)) n++;
  return n;
}
