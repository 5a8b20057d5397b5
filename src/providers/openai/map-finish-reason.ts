/** OpenAI-compatible `finish_reason` values in streamgate's words. */
import type { FinishReason } from '../../core/events.js';

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  stop: 'end',
  eos: 'end',
  length: 'length',
  content_filter: 'content-filter',
  tool_calls: 'tool-calls',
  function_call: 'tool-calls',
};

/**
 * `stopReason` is vLLM's `choices[].stop_reason`: the stop string that ended the text,
 * which tells a stop sequence from a natural end (both are `stop` in OpenAI's words).
 * Unknown reasons count as a natural end.
 */
export function mapOpenAIFinishReason(reason: string, stopReason?: unknown): FinishReason {
  if (reason === 'stop' && typeof stopReason === 'string' && stopReason.length > 0) return 'stop-sequence';
  return FINISH_REASONS[reason] ?? 'end';
}
