/**
 * `tool-call-delta` events in OpenAI's shapes: as `delta.tool_calls` entries of a chunk
 * stream (the first for a call with `index`, `id`, `type` and `function.name`, the rest
 * with `index` and `function.arguments` only), or assembled into `message.tool_calls`.
 * A call whose upstream gave no id gets one, since OpenAI clients need it to answer.
 */
import { randomBytes } from 'node:crypto';
import type { ToolCallDeltaEvent } from '../core/events.js';
import type { ToolCall } from '../providers/types.js';

function newToolCallId(): string {
  return `call_${randomBytes(12).toString('base64url')}`;
}

/** Returns, per event, the JSON of one `delta.tool_calls` entry. */
export function createToolCallDeltaWriter(): (event: ToolCallDeltaEvent) => string {
  const started = new Set<number>();
  return (event) => {
    const index = `{"index":${event.index}`;
    const name = event.name !== undefined ? `"name":${JSON.stringify(event.name)},` : '';
    const args = `"arguments":${JSON.stringify(event.argumentsDelta)}`;
    if (started.has(event.index)) return `${index},"function":{${name}${args}}}`;
    started.add(event.index);
    const id = JSON.stringify(event.id ?? newToolCallId());
    return `${index},"id":${id},"type":"function","function":{${name || '"name":"",'}${args}}}`;
  };
}

/** Joins the deltas of each call, for a non-streaming answer. */
export class ToolCallAssembler {
  private readonly calls: ToolCall[] = [];

  push(event: ToolCallDeltaEvent): void {
    let call = this.calls[event.index];
    if (!call) {
      call = { id: event.id ?? '', type: 'function', function: { name: '', arguments: '' } };
      this.calls[event.index] = call;
    }
    if (event.id !== undefined && call.id === '') call.id = event.id;
    if (event.name !== undefined) call.function.name = event.name;
    call.function.arguments += event.argumentsDelta;
  }

  /** The calls in index order (none missing), or undefined when the model made none. */
  result(): ToolCall[] | undefined {
    const calls = this.calls.filter((call) => call !== undefined);
    if (calls.length === 0) return undefined;
    for (const call of calls) if (call.id === '') call.id = newToolCallId();
    return calls;
  }
}
