/**
 * The Messages API's `tool_use` content blocks as `tool-call-delta` events. A block opens
 * with `content_block_start` `{type: "tool_use", id, name, input: {}}`, its input arrives
 * as `input_json_delta` pieces of JSON text, and `content_block_stop` closes it. Blocks are
 * numbered across all types (text, thinking, tool use), so a tool block's index is mapped
 * to the 0-based tool call index OpenAI clients expect.
 */
import type { StreamEvent } from '../../core/events.js';

/** A `content_block_start`'s block, as far as it is read. */
export interface ContentBlock {
  type?: string;
  id?: string;
  name?: string;
  input?: unknown;
}

export interface ToolUseBlocks {
  start(blockIndex: number | undefined, block: ContentBlock | undefined): StreamEvent[];
  delta(blockIndex: number | undefined, partialJson: string | undefined): StreamEvent[];
  stop(blockIndex: number | undefined): StreamEvent[];
}

interface OpenCall {
  index: number;
  /** The block's `input` at its start: what the arguments are when no `input_json_delta` comes. */
  input: unknown;
  sentArguments: boolean;
}

export function createToolUseBlocks(): ToolUseBlocks {
  const open = new Map<number, OpenCall>();
  let calls = 0;

  return {
    start(blockIndex, block) {
      if (block?.type !== 'tool_use' || typeof blockIndex !== 'number') return [];
      const index = calls++;
      open.set(blockIndex, { index, input: block.input, sentArguments: false });
      return [{ type: 'tool-call-delta', index, ...(block.id ? { id: block.id } : {}), name: block.name ?? '', argumentsDelta: '' }];
    },
    delta(blockIndex, partialJson) {
      const call = typeof blockIndex === 'number' ? open.get(blockIndex) : undefined;
      if (!call || !partialJson) return [];
      call.sentArguments = true;
      return [{ type: 'tool-call-delta', index: call.index, argumentsDelta: partialJson }];
    },
    stop(blockIndex) {
      const call = typeof blockIndex === 'number' ? open.get(blockIndex) : undefined;
      if (!call) return [];
      open.delete(blockIndex as number);
      if (call.sentArguments) return [];
      // A tool without parameters streams no input at all; clients still need JSON to parse.
      const input = call.input !== null && typeof call.input === 'object' ? call.input : {};
      return [{ type: 'tool-call-delta', index: call.index, argumentsDelta: JSON.stringify(input) }];
    },
  };
}
