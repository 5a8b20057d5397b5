import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StreamEvent } from '../core/events.js';
import { createChatChunkEncoder, OPENAI_FINISH_REASONS } from './chat-chunk-encoder.js';
import { collectCompletion } from './collect.js';
import { createCompleteEnvelopeEncoder } from './complete-envelope-encoder.js';
import { framed } from '../test-support/framed-encoder.js';

const EVENTS: StreamEvent[] = [
  { type: 'reasoning-delta', text: 'need weather' },
  { type: 'tool-call-delta', index: 0, id: 'call_a', name: 'get_weather', argumentsDelta: '' },
  { type: 'tool-call-delta', index: 0, argumentsDelta: '{"city":"東京"}' },
  { type: 'tool-call-delta', index: 1, name: 'ping', argumentsDelta: '{}' },
  { type: 'finish', reason: 'tool-calls' },
];

/** The events as one batch, as one upstream read delivers them. */
async function* from(events: StreamEvent[]) {
  yield events;
}

describe('tool calls in the encoders', () => {
  it('writes delta.tool_calls byte for byte as OpenAI does, closing an open inline <think> first', () => {
    const encoder = framed(createChatChunkEncoder({ id: 'x', created: 1, model: 'm', reasoningFormat: 'inline', includeUsage: false, finishReasons: OPENAI_FINISH_REASONS }));
    const wire = EVENTS.map((e) => encoder.encode(e)).join('') + encoder.end();
    const head = 'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":';
    const tail = ',"logprobs":null,"finish_reason":null}]}\n\n';
    const lines = wire.split(/(?<=\n\n)/);
    assert.deepEqual(lines.slice(0, 4), [
      `${head}{"role":"assistant","content":""}${tail}`,
      `${head}{"content":"<think>"}${tail}`,
      `${head}{"content":"need weather"}${tail}`,
      `${head}{"content":"</think>"}${tail}`,
    ]);
    assert.equal(lines[4], `${head}{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]}${tail}`);
    assert.equal(lines[5], `${head}{"tool_calls":[{"index":0,"function":{"arguments":"{\\"city\\":\\"東京\\"}"}}]}${tail}`);
    // A call the upstream gave no id gets one.
    assert.match(lines[6]!, /^data: .*"tool_calls":\[\{"index":1,"id":"call_[\w-]{16}","type":"function","function":\{"name":"ping","arguments":"\{\}"\}\}\]/);
    assert.equal(lines[7], 'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]}\n\n');
    assert.equal(lines[8], 'data: [DONE]\n\n');
  });

  it('assembles the calls of a non-streaming answer', async () => {
    const result = await collectCompletion(from(EVENTS.slice(1)), 'separate');
    assert.equal(result.content, '');
    assert.equal(result.finishReason, 'tool-calls');
    assert.deepEqual(result.toolCalls?.[0], { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"東京"}' } });
    assert.match(result.toolCalls?.[1]?.id ?? '', /^call_/);
    assert.equal((await collectCompletion(from([{ type: 'text-delta', text: 'hi' }, { type: 'finish', reason: 'end' }]), 'separate')).toolCalls, undefined);
  });

  it('/v1/complete leaves tool calls out of its envelope', () => {
    const encoder = framed(createCompleteEnvelopeEncoder({ question: 'q', requestId: 'r', sessionId: 's', reasoningFormat: 'inline', trace: () => [] }));
    assert.equal(encoder.encode(EVENTS[2]!), '');
  });
});
