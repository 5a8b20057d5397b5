/**
 * The Messages API event stream as normalized events: `text_delta` → `text-delta`,
 * `thinking_delta` → `reasoning-delta`, usage from `message_start` (input) and
 * `message_delta` (output, cumulative), the finish reason from `message_delta`'s
 * `stop_reason`, emitted at `message_stop`. `tool_use` blocks become `tool-call-delta`s
 * (`tool-use-blocks.ts`). `ping`, signatures and other block types are skipped; an `error`
 * event fails the stream. Pure: no I/O.
 */
import type { FinishReason, StreamEvent, Usage } from '../../core/events.js';
import { UpstreamError } from '../../core/errors.js';
import { mapAnthropicStopReason } from './map-finish-reason.js';
import { createToolUseBlocks, type ContentBlock } from './tool-use-blocks.js';

interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
  cache_read_input_tokens?: number | null;
}

interface AnthropicEvent {
  type?: string;
  index?: number;
  message?: { usage?: AnthropicUsage };
  content_block?: ContentBlock;
  delta?: { type?: string; text?: string; thinking?: string; partial_json?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
  error?: { type?: string; message?: string };
}

export interface AnthropicStreamParser {
  /** One SSE `data:` payload; returns the events it completes. Throws on an `error` event or bad JSON. */
  push(data: string): StreamEvent[];
  /** The body ended; throws if `message_stop` never came. */
  end(): StreamEvent[];
}

export function createAnthropicStreamParser(providerId: string): AnthropicStreamParser {
  const usage: Usage = { promptTokens: 0, completionTokens: 0 };
  let finish: FinishReason = 'end';
  let done = false;
  const toolUse = createToolUseBlocks();

  const addUsage = (u: AnthropicUsage | undefined) => {
    if (!u) return;
    const input = (u.input_tokens ?? 0) + (u.cache_creation_input_tokens ?? 0) + (u.cache_read_input_tokens ?? 0);
    if (input > 0) usage.promptTokens = input;
    if (typeof u.output_tokens === 'number') usage.completionTokens = u.output_tokens;
  };

  return {
    push(data) {
      if (done) return [];
      const event = parseEvent(data, providerId);
      switch (event.type) {
        case 'message_start':
          addUsage(event.message?.usage);
          return [];
        case 'content_block_start':
          return toolUse.start(event.index, event.content_block);
        case 'content_block_delta': {
          const delta = event.delta;
          if (delta?.type === 'text_delta' && delta.text) return [{ type: 'text-delta', text: delta.text }];
          if (delta?.type === 'thinking_delta' && delta.thinking) return [{ type: 'reasoning-delta', text: delta.thinking }];
          if (delta?.type === 'input_json_delta') return toolUse.delta(event.index, delta.partial_json);
          return [];
        }
        case 'content_block_stop':
          return toolUse.stop(event.index);
        case 'message_delta':
          addUsage(event.usage);
          if (event.delta?.stop_reason) finish = mapAnthropicStopReason(event.delta.stop_reason);
          return [{ type: 'usage', usage: { ...usage } }];
        case 'message_stop':
          done = true;
          return [{ type: 'finish', reason: finish }];
        case 'error': {
          const message = event.error?.message ?? 'unknown error';
          const kind = event.error?.type ? ` (${event.error.type})` : '';
          throw new UpstreamError(`Upstream "${providerId}" failed mid-stream${kind}: ${message}`, { code: 'upstream_error' });
        }
        default:
          // ping and anything new: nothing for the client.
          return [];
      }
    },
    end() {
      if (!done) throw new UpstreamError(`Upstream "${providerId}" ended the stream before message_stop`, { code: 'upstream_incomplete' });
      return [];
    },
  };
}

function parseEvent(data: string, providerId: string): AnthropicEvent {
  try {
    const event = JSON.parse(data) as AnthropicEvent;
    if (event !== null && typeof event === 'object') return event;
  } catch {
    // fall through
  }
  throw new UpstreamError(`Upstream "${providerId}" sent malformed data: ${data.slice(0, 200)}`, { code: 'upstream_malformed' });
}
