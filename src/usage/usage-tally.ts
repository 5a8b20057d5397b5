/**
 * The one place a stream's usage is worked out (see `Usage` in `core/events.ts`): the
 * provider's last running total wins, whatever it says (an explicit 0 stays 0); text
 * streamed after that total, or with none at all, is counted with the simulator's
 * tokenizer and the result is marked `estimated`. Pure: events in, figures out.
 */
import type { FinishReason, StreamEvent, Usage } from '../core/events.js';
import { countTokens } from '../core/tokenize.js';

/** Where a stream's token counts come from: the provider's own report, or (partly) streamgate's estimate. */
export type UsageSource = 'provider' | 'estimated';

export interface MeasuredUsage {
  promptTokens: number;
  completionTokens: number;
  /** Of `completionTokens`, thinking, when the provider said. */
  reasoningTokens?: number;
  totalTokens: number;
  source: UsageSource;
}

export class UsageTally {
  private reported: Usage | null = null;
  /** Text, thinking and tool-call arguments streamed since the last report (all of it without one). */
  private unreported: string[] = [];
  /** Why the model stopped, once it did. */
  finishReason: FinishReason | null = null;

  observe(event: StreamEvent): void {
    switch (event.type) {
      case 'text-delta':
      case 'reasoning-delta':
        if (event.text.length > 0) this.unreported.push(event.text);
        return;
      case 'tool-call-delta':
        if (event.argumentsDelta.length > 0) this.unreported.push(event.argumentsDelta);
        return;
      case 'usage':
        // A running total: it replaces the last one and covers everything streamed before it.
        this.reported = event.usage;
        this.unreported.length = 0;
        return;
      case 'finish':
        this.finishReason = event.reason;
        return;
      case 'error':
        return;
    }
  }

  /** True once the provider reported usage. */
  get hasReport(): boolean {
    return this.reported !== null;
  }

  /** The usage so far; `estimatePrompt` is asked only when the provider never reported one. */
  measure(estimatePrompt: () => number): MeasuredUsage {
    const streamed = this.unreported.length > 0 ? countTokens(this.unreported.join('')) : 0;
    const reported = this.reported;
    if (reported && streamed === 0) {
      return {
        promptTokens: reported.promptTokens,
        completionTokens: reported.completionTokens,
        ...(reported.reasoningTokens !== undefined ? { reasoningTokens: reported.reasoningTokens } : {}),
        totalTokens: reported.promptTokens + reported.completionTokens,
        source: 'provider',
      };
    }
    const promptTokens = reported ? reported.promptTokens : estimatePrompt();
    const completionTokens = (reported?.completionTokens ?? 0) + streamed;
    return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, source: 'estimated' };
  }
}
