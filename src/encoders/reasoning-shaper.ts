/**
 * Gives each client the form of thinking it asked for (`reasoning_format`):
 * `separate` puts thinking in its own field and keeps the content clean, `inline` writes
 * it into the content between `<think>` and `</think>`, `hidden` drops it.
 */
import type { ReasoningFormat } from '../config/schema.js';
import type { StreamEvent } from '../core/events.js';
import { THINK_CLOSE, THINK_OPEN } from '../core/think-splitter.js';

export type ShapedField = 'content' | 'reasoning';
export type ShapedEmit = (field: ShapedField, text: string) => void;

export class ReasoningShaper {
  private thinking = false;
  private sawText = false;
  private sawReasoning = false;

  constructor(readonly format: ReasoningFormat) {}

  /** Routes a text or reasoning delta through the shaper; false for any other event, which the caller handles. */
  delta(event: StreamEvent, emit: ShapedEmit): boolean {
    if (event.type === 'text-delta') this.text(event.text, emit);
    else if (event.type === 'reasoning-delta') this.reasoning(event.text, emit);
    else return false;
    return true;
  }

  reasoning(text: string, emit: ShapedEmit): void {
    if (this.format === 'hidden' || this.sawText) return;
    if (this.format === 'inline') {
      if (!this.thinking) {
        this.thinking = true;
        emit('content', THINK_OPEN);
      }
      emit('content', text);
      return;
    }
    if (!this.sawReasoning) {
      text = trimStart(text);
      if (text.length === 0) return;
      this.sawReasoning = true;
    }
    emit('reasoning', text);
  }

  text(text: string, emit: ShapedEmit): void {
    if (this.thinking) {
      this.thinking = false;
      this.sawText = true;
      emit('content', THINK_CLOSE + text);
      return;
    }
    if (!this.sawText && this.format !== 'inline') {
      // The blank lines after `</think>` are not part of a clean answer.
      text = trimStart(text);
      if (text.length === 0) return;
    }
    this.sawText = true;
    emit('content', text);
  }

  /** The stream ended while still thinking: close the tag so the content stays well-formed. */
  finish(emit: ShapedEmit): void {
    if (this.thinking) {
      this.thinking = false;
      emit('content', THINK_CLOSE);
    }
  }
}

function trimStart(text: string): string {
  const c = text.charCodeAt(0);
  return c === 10 || c === 13 || c === 32 || c === 9 ? text.trimStart() : text;
}
