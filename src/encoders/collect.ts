/** Collects a whole stream into one answer, for non-streaming responses. */
import type { EventStream, FinishReason, Usage } from '../core/events.js';
import type { ReasoningFormat } from '../config/schema.js';
import type { ToolCall } from '../providers/types.js';
import { ReasoningShaper } from './reasoning-shaper.js';
import { ToolCallAssembler } from './tool-calls.js';

export interface CollectedCompletion {
  content: string;
  /** The function calls the model made, when it made any. */
  toolCalls?: ToolCall[];
  /** Thinking, when the format is `separate` and the model thought. */
  reasoning: string | null;
  finishReason: FinishReason;
  /** Null when the model reported none. */
  usage: Usage | null;
}

/** Throws the stream's error event, if it ends with one. */
export async function collectCompletion(events: EventStream, format: ReasoningFormat): Promise<CollectedCompletion> {
  const shaper = new ReasoningShaper(format);
  let content = '';
  let reasoning: string | null = null;
  let finishReason: FinishReason = 'end';
  let usage: Usage | null = null;
  const toolCalls = new ToolCallAssembler();
  const emit = (field: 'content' | 'reasoning', text: string) => {
    if (field === 'content') content += text;
    else reasoning = (reasoning ?? '') + text;
  };
  for await (const batch of events) {
    for (const event of batch) {
      if (shaper.delta(event, emit)) continue;
      switch (event.type) {
        case 'tool-call-delta':
          shaper.finish(emit);
          toolCalls.push(event);
          break;
        case 'usage':
          usage = event.usage;
          break;
        case 'finish':
          finishReason = event.reason;
          shaper.finish(emit);
          break;
        case 'error':
          throw event.error;
      }
    }
  }
  const calls = toolCalls.result();
  return { content, reasoning, finishReason, usage, ...(calls ? { toolCalls: calls } : {}) };
}
