/**
 * Cuts text at the first stop sequence, even when the sequence spans several pieces:
 * text that could be the start of a stop sequence is held back until it is known not
 * to be one. Pure and incremental.
 */
import { partialSuffix } from './think-splitter.js';

export interface StopPush {
  /** Text that is safe to emit now. */
  text: string;
  /** A stop sequence was found: `text` ends right before it and nothing may follow. */
  stopped: boolean;
}

export class StopSequenceMatcher {
  private held = '';
  private readonly stops: readonly string[];

  constructor(stops: readonly string[]) {
    this.stops = stops.filter((s) => s.length > 0);
  }

  get active(): boolean {
    return this.stops.length > 0;
  }

  push(piece: string): StopPush {
    if (this.stops.length === 0) return { text: piece, stopped: false };
    const buf = this.held + piece;
    let cut = -1;
    for (const stop of this.stops) {
      const i = buf.indexOf(stop);
      if (i !== -1 && (cut === -1 || i < cut)) cut = i;
    }
    if (cut !== -1) {
      this.held = '';
      return { text: buf.slice(0, cut), stopped: true };
    }
    let hold = 0;
    for (const stop of this.stops) hold = Math.max(hold, partialSuffix(buf, stop));
    this.held = buf.slice(buf.length - hold);
    return { text: buf.slice(0, buf.length - hold), stopped: false };
  }

  /** The text ended: what was held back was not a stop sequence after all. */
  flush(): string {
    const rest = this.held;
    this.held = '';
    return rest;
  }
}
