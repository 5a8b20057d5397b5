/**
 * `delta.tool_calls` of an OpenAI-compatible chunk stream as `tool-call-delta` events.
 * OpenAI sends a call's `index`, `id`, `type` and `function.name` in its first delta (with
 * `arguments: ""`), then only `index` and pieces of `function.arguments`. Servers differ:
 * some send a whole call in one delta, repeat the id or name on every delta, leave out
 * `index`, or give every call index 0. So calls are told apart by id first, then by index,
 * and renumbered 0, 1, 2… in the order they appear, which is what clients index by. With
 * neither id nor index, a delta naming another function, or naming one again after the
 * last call's arguments are complete JSON, starts a new call.
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
  /** Each call's function name and arguments so far (to tell a repeated name from a new call). */
  const names: (string | undefined)[] = [];
  const args: string[] = [];

  /** Without id or index: whether a delta is the next call rather than more of the last one. */
  const startsAnother = (last: number, name: string | undefined, moreArgs: string): boolean => {
    if (last < 0 || name === undefined || names[last] === undefined) return false;
    return name !== names[last] || (moreArgs.length > 0 && isCompleteJson(args[last] as string));
  };

  /** The call a chunk belongs to, and whether it is a new one. */
  const resolve = (chunk: ToolCallChunk, id: string | undefined, name: string | undefined, moreArgs: string): { index: number; isNew: boolean } => {
    const upstreamIndex = typeof chunk.index === 'number' ? chunk.index : undefined;
    let index: number | undefined;
    if (id !== undefined) index = byId.get(id);
    else if (upstreamIndex !== undefined) index = byIndex.get(upstreamIndex);
    else if (!startsAnother(named.length - 1, name, moreArgs)) index = named.length - 1;
    const isNew = index === undefined || index < 0;
    if (isNew) {
      index = named.length;
      named.push(false);
      names.push(undefined);
      args.push('');
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
        const name = typeof chunk.function?.name === 'string' && chunk.function.name.length > 0 ? chunk.function.name : undefined;
        const piece = typeof chunk.function?.arguments === 'string' ? chunk.function.arguments : '';
        const { index, isNew } = resolve(chunk, id, name, piece);
        const newName = name !== undefined && !named[index];
        args[index] += piece;
        if (!isNew && !newName && piece.length === 0) continue;
        if (newName) {
          named[index] = true;
          names[index] = name;
        }
        const event: ToolCallDeltaEvent = {
          type: 'tool-call-delta',
          index,
          ...(isNew && id !== undefined ? { id } : {}),
          ...(newName ? { name } : {}),
          argumentsDelta: piece,
        };
        out.push(event);
      }
    },
  };
}

function isCompleteJson(text: string): boolean {
  if (text.trim().length === 0) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
