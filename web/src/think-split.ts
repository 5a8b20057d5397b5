/**
 * Splits the raw text of a `/v1/complete` stream into thinking and answer, one delta at a
 * time: the page's view of the server's own splitter (`src/core/think-splitter.ts`, pure and
 * DOM-free, bundled by Vite), so the page and the server never disagree on where thinking
 * ends. A tag cut across deltas (`"</thi"` + `"nk>"`) is held back until the next delta (or
 * `finish`) decides it; only one thinking block at the very start of the text counts.
 */
import { THINK_OPEN, ThinkTagSplitter, type ThinkPart } from '../../src/core/think-splitter.js';

/** Where the stream is: nothing decided yet, inside the thinking block, or in the answer. */
export type ThinkPhase = 'start' | 'thinking' | 'answer';

/** Text that became certain with one `push`/`finish`, split by destination. */
export interface SplitDelta {
  thinking: string;
  answer: string;
}

export class ThinkSplitter {
  private readonly splitter = new ThinkTagSplitter();
  private out: SplitDelta = { thinking: '', answer: '' };
  private answered = false;
  private readonly emit = (part: ThinkPart, text: string): void => {
    if (part === 'reasoning') this.out.thinking += text;
    else {
      this.out.answer += text;
      this.answered = true;
    }
  };

  get phase(): ThinkPhase {
    const phase = this.splitter.phase;
    return phase === 'text' || (phase === 'start' && this.answered) ? 'answer' : phase;
  }

  push(chunk: string): SplitDelta {
    this.splitter.push(chunk, this.emit);
    return this.take();
  }

  /** The stream ended: text held back for a tag that never completed is real text. */
  finish(): SplitDelta {
    this.splitter.flush(this.emit);
    return this.take();
  }

  private take(): SplitDelta {
    const out = this.out;
    this.out = { thinking: '', answer: '' };
    return out;
  }
}

/** Splits a whole text at once (history turns, the `end` event's full answer). */
export function splitThinking(text: string): SplitDelta & { hadThinking: boolean } {
  const s = new ThinkSplitter();
  const a = s.push(text);
  const b = s.finish();
  const hadThinking = text.trimStart().startsWith(THINK_OPEN);
  return { thinking: a.thinking + b.thinking, answer: a.answer + b.answer, hadThinking };
}
