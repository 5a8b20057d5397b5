import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { StreamEvent, ToolCallDeltaEvent } from '../../core/events.js';
import { createOpenAIStreamParser } from './parse-stream.js';

/** A chunk whose delta carries `toolCalls`, as an OpenAI-compatible server writes it. */
const chunk = (toolCalls: unknown[], finish: string | null = null) =>
  JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { tool_calls: toolCalls }, finish_reason: finish }] });

/** The events of `payloads`, then of a last chunk with `finish_reason: "tool_calls"` and `[DONE]`. */
function parse(payloads: string[]): StreamEvent[] {
  const parser = createOpenAIStreamParser('up');
  return [...payloads, chunk([], 'tool_calls'), '[DONE]'].flatMap((p) => parser.push(p));
}

/** Each call's id, name and joined arguments, by index: what a client assembles. */
function assemble(events: StreamEvent[]) {
  const calls: Array<{ id?: string; name?: string; arguments: string }> = [];
  for (const e of events.filter((e): e is ToolCallDeltaEvent => e.type === 'tool-call-delta')) {
    const call = (calls[e.index] ??= { arguments: '' });
    if (e.id !== undefined) call.id = e.id;
    if (e.name !== undefined) call.name = e.name;
    call.arguments += e.argumentsDelta;
  }
  return calls;
}

describe('OpenAI tool call deltas', () => {
  it('keeps arguments cut anywhere (inside keys, escapes and multi-byte text) whole once joined', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.nat(), { maxLength: 12 }), (value, cuts) => {
        const args = JSON.stringify({ value });
        const points = [...new Set(cuts.map((c) => c % (args.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points].map((from, i) => args.slice(from, points[i] ?? args.length));
        const events = parse([
          chunk([{ index: 0, id: 'call_1', type: 'function', function: { name: 'f', arguments: '' } }]),
          ...pieces.map((piece) => chunk([{ index: 0, function: { arguments: piece } }])),
        ]);
        assert.deepEqual(assemble(events), [{ id: 'call_1', name: 'f', arguments: args }]);
        assert.deepEqual(events.at(-1), { type: 'finish', reason: 'tool-calls' });
      }),
      { numRuns: 200 },
    );
  });

  it('tells parallel calls apart by index, even interleaved', () => {
    const events = parse([
      chunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '' } }]),
      chunk([{ index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"y":' } }]),
      chunk([{ index: 0, function: { arguments: '{"x":1}' } }]),
      chunk([{ index: 1, function: { arguments: '2}' } }], 'tool_calls'),
    ]);
    assert.deepEqual(assemble(events), [
      { id: 'call_a', name: 'a', arguments: '{"x":1}' },
      { id: 'call_b', name: 'b', arguments: '{"y":2}' },
    ]);
  });

  it('takes whole calls sent in one delta, several per chunk', () => {
    const events = parse([
      chunk([
        { index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
        { index: 1, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{}' } },
      ], 'tool_calls'),
    ]);
    assert.deepEqual(events.slice(0, 2), [
      { type: 'tool-call-delta', index: 0, id: 'call_a', name: 'a', argumentsDelta: '{"x":1}' },
      { type: 'tool-call-delta', index: 1, id: 'call_b', name: 'b', argumentsDelta: '{}' },
    ]);
  });

  it('sends id and name once when a server repeats them on every delta', () => {
    const events = parse([
      chunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"x"' } }]),
      chunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: ':1}' } }]),
    ]);
    assert.deepEqual(events.slice(0, 2), [
      { type: 'tool-call-delta', index: 0, id: 'call_a', name: 'a', argumentsDelta: '{"x"' },
      { type: 'tool-call-delta', index: 0, argumentsDelta: ':1}' },
    ]);
  });

  it('numbers calls 0, 1… when a server leaves out index or gives every call index 0', () => {
    const noIndex = parse([
      chunk([{ id: 'call_a', type: 'function', function: { name: 'a', arguments: '{"x":' } }]),
      chunk([{ function: { arguments: '1}' } }]),
      chunk([{ id: 'call_b', type: 'function', function: { name: 'b', arguments: '{}' } }]),
    ]);
    assert.deepEqual(assemble(noIndex), [
      { id: 'call_a', name: 'a', arguments: '{"x":1}' },
      { id: 'call_b', name: 'b', arguments: '{}' },
    ]);
    const allZero = parse([
      chunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '{}' } }]),
      chunk([{ index: 0, id: 'call_b', type: 'function', function: { name: 'b', arguments: '{"y":' } }]),
      chunk([{ index: 0, function: { arguments: '2}' } }]),
    ]);
    assert.deepEqual(assemble(allZero), [
      { id: 'call_a', name: 'a', arguments: '{}' },
      { id: 'call_b', name: 'b', arguments: '{"y":2}' },
    ]);
  });

  it('with neither id nor index: a new function name, or the same one after complete arguments, is a new call; a repeated name mid-arguments is not', () => {
    const events = parse([
      chunk([{ type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]),
      chunk([{ type: 'function', function: { name: 'get_time', arguments: '{"tz":' } }]),
      chunk([{ type: 'function', function: { name: 'get_time', arguments: '"CET"}' } }]),
      chunk([{ type: 'function', function: { name: 'get_time', arguments: '{"tz":"UTC"}' } }]),
    ]);
    const calls = assemble(events).map(({ name, arguments: a }) => ({ name, arguments: a }));
    assert.deepEqual(calls, [
      { name: 'get_weather', arguments: '{"city":"Paris"}' },
      { name: 'get_time', arguments: '{"tz":"CET"}' },
      { name: 'get_time', arguments: '{"tz":"UTC"}' },
    ]);
  });

  it('renumbers indexes that do not start at 0', () => {
    const events = parse([chunk([{ index: 3, id: 'call_a', type: 'function', function: { name: 'a', arguments: '{}' } }])]);
    assert.equal((events[0] as ToolCallDeltaEvent).index, 0);
  });

  it('emits nothing for empty deltas of a known call', () => {
    const events = parse([
      chunk([{ index: 0, id: 'call_a', type: 'function', function: { name: 'a', arguments: '' } }]),
      chunk([{ index: 0, function: { arguments: '' } }]),
      chunk([{ index: 0 }]),
    ]);
    assert.equal(events.filter((e) => e.type === 'tool-call-delta').length, 1);
  });
});
