/**
 * Splits the raw text of a `/v1/complete` stream into thinking and answer, one delta at a
 * time. The server sends thinking inline as `<think>` … `</think>` and cuts its deltas
 * anywhere, so a tag may arrive in pieces (`"</thi"` + `"nk>"`): whatever could still be
 * the start of a tag is held back until the next delta (or `finish`) decides it.
 *
 * Like thinking models, only one thinking block at the very start of the text counts
 * (leading whitespace allowed); an answer that later mentions `<think>` stays answer text.
 * Pure and DOM-free, so it is unit-tested in Node.
 */

const OPEN = '<think>';
const CLOSE = '</think>';

/** Where the stream is: nothing decided yet, inside the thinking block, or in the answer. */
export type ThinkPhase = 'start' | 'thinking' | 'answer';

/** Text that became certain with one `push`/`finish`, split by destination. */
export interface SplitDelta {
  thinking: string;
  answer: string;
}

export class ThinkSplitter {
  private state: ThinkPhase = 'start';
  private held = '';

  get phase(): ThinkPhase {
    return this.state;
  }

  push(chunk: string): SplitDelta {
    const out: SplitDelta = { thinking: '', answer: '' };
    let buf = this.held + chunk;
    this.held = '';
    while (buf.length > 0) {
      if (this.state === 'answer') {
        out.answer += buf;
        break;
      }
      if (this.state === 'start') {
        const rest = buf.trimStart();
        if (rest.length === 0 || (rest.length < OPEN.length && OPEN.startsWith(rest))) {
          this.held = buf; // blank so far, or a possible `<think>` in pieces
          break;
        }
        if (rest.startsWith(OPEN)) {
          this.state = 'thinking';
          buf = rest.slice(OPEN.length);
        } else {
          this.state = 'answer';
        }
        continue;
      }
      const close = buf.indexOf(CLOSE);
      if (close !== -1) {
        out.thinking += buf.slice(0, close);
        this.state = 'answer';
        buf = buf.slice(close + CLOSE.length);
        continue;
      }
      const keep = heldTagPrefix(buf, CLOSE);
      out.thinking += buf.slice(0, buf.length - keep);
      this.held = buf.slice(buf.length - keep);
      break;
    }
    return out;
  }

  /** The stream ended: text held back for a tag that never completed is real text. */
  finish(): SplitDelta {
    const rest = this.held;
    this.held = '';
    if (this.state === 'thinking') return { thinking: rest, answer: '' };
    if (rest.length > 0) this.state = 'answer';
    return { thinking: '', answer: rest };
  }
}

/** Splits a whole text at once (history turns, the `end` event's full answer). */
export function splitThinking(text: string): SplitDelta & { hadThinking: boolean } {
  const s = new ThinkSplitter();
  const a = s.push(text);
  const b = s.finish();
  const hadThinking = text.trimStart().startsWith(OPEN);
  return { thinking: a.thinking + b.thinking, answer: a.answer + b.answer, hadThinking };
}

/** Length of the longest end of `s` that is a proper beginning of `tag`. */
function heldTagPrefix(s: string, tag: string): number {
  for (let n = Math.min(tag.length - 1, s.length); n > 0; n--) {
    if (s.endsWith(tag.slice(0, n))) return n;
  }
  return 0;
}
