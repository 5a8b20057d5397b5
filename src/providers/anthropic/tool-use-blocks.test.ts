import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { StreamEvent, ToolCallDeltaEvent } from '../../core/events.js';
import { createAnthropicStreamParser } from './parse-stream.js';

const start = JSON.stringify({ type: 'message_start', message: { usage: { input_tokens: 10, output_tokens: 1 } } });
const end = [
  JSON.stringify({ type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 20 } }),
  JSON.stringify({ type: 'message_stop' }),
];
const blockStart = (index: number, block: object) => JSON.stringify({ type: 'content_block_start', index, content_block: block });
const jsonDelta = (index: number, partial_json: string) => JSON.stringify({ type: 'content_block_delta', index, delta: { type: 'input_json_delta', partial_json } });
const blockStop = (index: number) => JSON.stringify({ type: 'content_block_stop', index });

function parse(payloads: string[]): StreamEvent[] {
  const parser = createAnthropicStreamParser('claude');
  return [...[start, ...payloads, ...end].flatMap((p) => parser.push(p)), ...parser.end()];
}

const toolDeltas = (events: StreamEvent[]) => events.filter((e): e is ToolCallDeltaEvent => e.type === 'tool-call-delta');

describe('Anthropic tool_use blocks', () => {
  it('keeps input cut anywhere whole once joined', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.nat(), { maxLength: 12 }), (value, cuts) => {
        const json = JSON.stringify({ value });
        const points = [...new Set(cuts.map((c) => c % (json.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points].map((from, i) => json.slice(from, points[i] ?? json.length));
        const events = parse([blockStart(0, { type: 'tool_use', id: 'toolu_1', name: 'f', input: {} }), ...pieces.map((p) => jsonDelta(0, p)), blockStop(0)]);
        const deltas = toolDeltas(events);
        assert.deepEqual(deltas[0], { type: 'tool-call-delta', index: 0, id: 'toolu_1', name: 'f', argumentsDelta: '' });
        assert.equal(deltas.map((d) => d.argumentsDelta).join(''), json);
        assert.ok(deltas.every((d) => d.index === 0));
        assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool-calls' });
      }),
      { numRuns: 200 },
    );
  });

  it('numbers tool calls from 0 whatever the block index, skipping text and thinking blocks', () => {
    const events = parse([
      blockStart(0, { type: 'thinking', thinking: '' }),
      blockStop(0),
      blockStart(1, { type: 'text', text: '' }),
      blockStop(1),
      blockStart(2, { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} }),
      jsonDelta(2, '{"x":1}'),
      blockStop(2),
      blockStart(3, { type: 'tool_use', id: 'toolu_b', name: 'b', input: {} }),
      jsonDelta(3, '{"y":2}'),
      blockStop(3),
    ]);
    assert.deepEqual(
      toolDeltas(events).map((d) => [d.index, d.id, d.name, d.argumentsDelta]),
      [[0, 'toolu_a', 'a', ''], [0, undefined, undefined, '{"x":1}'], [1, 'toolu_b', 'b', ''], [1, undefined, undefined, '{"y":2}']],
    );
  });

  it('gives "{}" for a tool without input, and the start input when no delta comes', () => {
    const events = parse([
      blockStart(0, { type: 'tool_use', id: 'toolu_a', name: 'a', input: {} }),
      jsonDelta(0, ''),
      blockStop(0),
      blockStart(1, { type: 'tool_use', id: 'toolu_b', name: 'b', input: { q: 'x' } }),
      blockStop(1),
    ]);
    const joined = (i: number) => toolDeltas(events).filter((d) => d.index === i).map((d) => d.argumentsDelta).join('');
    assert.equal(joined(0), '{}');
    assert.equal(joined(1), '{"q":"x"}');
  });

  it('ignores server tool blocks, which the client does not run', () => {
    const events = parse([blockStart(0, { type: 'server_tool_use', id: 'srvtoolu_1', name: 'web_search', input: {} }), jsonDelta(0, '{"query":"x"}'), blockStop(0)]);
    assert.deepEqual(toolDeltas(events), []);
  });
});
