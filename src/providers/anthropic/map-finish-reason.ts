/** Anthropic `stop_reason` values in streamgate's words. */
import type { FinishReason } from '../../core/events.js';

const STOP_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'end',
  pause_turn: 'end',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  stop_sequence: 'stop-sequence',
  tool_use: 'tool-calls',
  refusal: 'content-filter',
};

/** Unknown reasons count as a natural end. */
export function mapAnthropicStopReason(reason: string | null | undefined): FinishReason {
  return (reason && STOP_REASONS[reason]) || 'end';
}
