/**
 * `delta.tool_calls` of an OpenAI-compatible chunk stream as `tool-call-delta` events.
 * OpenAI sends a call's `index`, `id`, `type` and `function.name` in its first delta (with
 * `arguments: ""`), then only `index` and pieces of `function.arguments`. Servers differ:
 * some send a whole call in one delta, repeat the id or name on every delta, leave out
 * `index`, or give every call index 0. So calls are told apart by id first, then by index,
 * and renumbered 0, 1, 2… in the order they appear, which is what clients index by.
 */
import type { StreamEvent, ToolCallDeltaEvent } from '../../core/events.js';

/** One entry of `delta.tool_calls`, as far as it is read. */
export interface ToolCallChunk {
  index?: unknown;
  id?: unknown;
  type?: unknown;
  function?: { name?: unknown; arguments?: unknown } | null;
}

export interface ToolCallDeltas {
  /** Appends the events of one chunk's `delta.tool_calls` to `out`. */
  push(chunks: readonly ToolCallChunk[], out: StreamEvent[]): void;
}

export function createToolCallDeltas(): ToolCallDeltas {
  const byId = new Map<string, number>();
  const byIndex = new Map<number, number>();
  const named: boolean[] = [];

  /** The call a chunk belongs to, and whether it is a new one. */
  const resolve = (chunk: ToolCallChunk, id: string | undefined): { index: number; isNew: boolean } => {
    const upstreamIndex = typeof chunk.index === 'number' ? chunk.index : undefined;
    let index = id !== undefined ? byId.get(id) : upstreamIndex !== undefined ? byIndex.get(upstreamIndex) : named.length - 1;
    const isNew = index === undefined || index < 0;
    if (isNew) {
      index = named.length;
      named.push(false);
    }
    if (id !== undefined) byId.set(id, index as number);
    if (upstreamIndex !== undefined) byIndex.set(upstreamIndex, index as number);
    return { index: index as number, isNew };
  };

  return {
    push(chunks, out) {
      for (const chunk of chunks) {
        if (chunk === null || typeof chunk !== 'object') continue;
        const id = typeof chunk.id === 'string' && chunk.id.length > 0 ? chunk.id : undefined;
        const { index, isNew } = resolve(chunk, id);
        const name = typeof chunk.function?.name === 'string' && chunk.function.name.length > 0 ? chunk.function.name : undefined;
        const args = typeof chunk.function?.arguments === 'string' ? chunk.function.arguments : '';
        const newName = name !== undefined && !named[index];
        if (!isNew && !newName && args.length === 0) continue;
        if (newName) named[index] = true;
        const event: ToolCallDeltaEvent = {
          type: 'tool-call-delta',
          index,
          ...(isNew && id !== undefined ? { id } : {}),
          ...(newName ? { name } : {}),
          argumentsDelta: args,
        };
        out.push(event);
      }
    },
  };
}
