/**
 * Splits a model's text into thinking and answer at `<think>` … `</think>`, however the
 * upstream cuts its chunks: a tag split across any number of chunks, text glued to a
 * tag, several tags in one chunk. Pure and incremental: `push` what arrives, `flush` at
 * the end. Text is passed through byte for byte (no trimming), so re-wrapping the
 * reasoning in tags gives back the original text.
 *
 * One thinking block, at the start of the output, is recognised: that is what thinking
 * models produce, and an answer that later talks *about* `<think>` tags stays text.
 */

export const THINK_OPEN = '<think>';
export const THINK_CLOSE = '</think>';

export type ThinkPart = 'reasoning' | 'text';
export type ThinkEmit = (part: ThinkPart, text: string) => void;

export interface ThinkSplitterOptions {
  /**
   * The model starts thinking without an opening tag (DeepSeek-R1 distills whose chat
   * template already printed `<think>`): text before `</think>` is thinking even when
   * `<think>` never comes. This is `reasoning: tags`. Without it (`auto`), thinking
   * needs the opening tag at the start of the output.
   */
  implicitOpen?: boolean;
}

type State = 'start' | 'thinking' | 'text';

export class ThinkTagSplitter {
  private state: State = 'start';
  private pending = '';
  private readonly implicitOpen: boolean;

  constructor(options: ThinkSplitterOptions = {}) {
    this.implicitOpen = options.implicitOpen ?? false;
  }

  /** Where the text is: nothing decided yet, inside the thinking block, or in the answer. */
  get phase(): 'start' | 'thinking' | 'text' {
    return this.state;
  }

  /** True once the answer part has begun (after `</think>`, or without thinking). */
  get inText(): boolean {
    return this.state === 'text';
  }

  /** True while text is held back for a possible tag (it comes out with the next push or `flush`). */
  get holding(): boolean {
    return this.pending.length > 0;
  }

  push(chunk: string, emit: ThinkEmit): void {
    let buf = this.pending.length === 0 ? chunk : this.pending + chunk;
    this.pending = '';
    for (;;) {
      if (buf.length === 0) return;
      if (this.state === 'text') {
        emit('text', buf);
        return;
      }
      if (this.state === 'start') {
        const lead = leadingWhitespace(buf);
        if (lead === buf.length || (buf.length - lead < THINK_OPEN.length && THINK_OPEN.startsWith(buf.slice(lead)))) {
          // Only whitespace, or a possible start of `<think>` cut short: wait for more.
          this.pending = buf;
          return;
        }
        if (buf.startsWith(THINK_OPEN, lead)) {
          this.state = 'thinking';
          buf = buf.slice(lead + THINK_OPEN.length);
          continue;
        }
        this.state = this.implicitOpen ? 'thinking' : 'text';
        continue;
      }
      // thinking
      const close = buf.indexOf(THINK_CLOSE);
      if (close !== -1) {
        if (close > 0) emit('reasoning', buf.slice(0, close));
        this.state = 'text';
        buf = buf.slice(close + THINK_CLOSE.length);
        continue;
      }
      const keep = partialSuffix(buf, THINK_CLOSE);
      if (keep < buf.length) emit('reasoning', buf.slice(0, buf.length - keep));
      this.pending = keep === 0 ? '' : buf.slice(buf.length - keep);
      return;
    }
  }

  /** The stream ended: whatever was held back for a possible tag is real text. */
  flush(emit: ThinkEmit): void {
    const rest = this.pending;
    this.pending = '';
    if (rest.length === 0) return;
    if (this.state === 'thinking' || (this.state === 'start' && this.implicitOpen)) emit('reasoning', rest);
    else emit('text', rest);
  }
}

function leadingWhitespace(s: string): number {
  let i = 0;
  while (i < s.length) {
    const c = s.charCodeAt(i);
    if (c !== 32 && c !== 10 && c !== 13 && c !== 9) break;
    i++;
  }
  return i;
}

/** Length of the longest suffix of `s` that is a proper prefix of `tag`. */
export function partialSuffix(s: string, tag: string): number {
  const max = Math.min(tag.length - 1, s.length);
  outer: for (let n = max; n > 0; n--) {
    const from = s.length - n;
    for (let j = 0; j < n; j++) {
      if (s.charCodeAt(from + j) !== tag.charCodeAt(j)) continue outer;
    }
    return n;
  }
  return 0;
}
