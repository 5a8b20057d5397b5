/**
 * Each dialect's string-search classifier against a `JSON.parse` reference, on the event
 * shapes each dialect sends with arbitrary text in every string (quotes, backslashes,
 * `"content":"` and `"event":"end"` inside values, surrogates), and `selectDialects`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  CHAT_WIRE,
  COMPLETE_WIRE,
  DIALECTS,
  MESSAGES_WIRE,
  RESPONSES_WIRE,
  isHeartbeat,
  lastStringValue,
  nonEmptyString,
  selectDialects,
  type EventKind,
  type WireEvent,
} from './dialects.js';

const SEED = 18;
const RUNS = 400;
const nonEmpty = (v: unknown) => typeof v === 'string' && v.length > 0;

/** What each event means, read with `JSON.parse`: the reference the fast classifiers must match. */
const REFERENCE = {
  chat(e: WireEvent): EventKind {
    if (e.data === '[DONE]') return 'end';
    const o = JSON.parse(e.data) as { error?: unknown; choices?: Array<{ delta?: { content?: unknown } }> };
    if (o.error !== undefined) return 'error';
    return nonEmpty(o.choices?.[0]?.delta?.content) ? 'text' : 'other';
  },
  complete(e: WireEvent): EventKind {
    const o = JSON.parse(e.data) as { event: string; data: { answer: string } };
    if (o.event === 'end' || o.event === 'error') return o.event;
    return o.event === 'message' && nonEmpty(o.data.answer) ? 'text' : 'other';
  },
  responses(e: WireEvent): EventKind {
    if (e.event === 'response.completed') return 'end';
    if (e.event === 'response.failed' || e.event === 'response.incomplete' || e.event === 'error') return 'error';
    return e.event === 'response.output_text.delta' && nonEmpty((JSON.parse(e.data) as { delta: unknown }).delta) ? 'text' : 'other';
  },
  messages(e: WireEvent): EventKind {
    if (e.event === 'message_stop') return 'end';
    if (e.event === 'error') return 'error';
    if (e.event !== 'content_block_delta') return 'other';
    const delta = (JSON.parse(e.data) as { delta: { type: string; text?: unknown } }).delta;
    return delta.type === 'text_delta' && nonEmpty(delta.text) ? 'text' : 'other';
  },
};

const data = (o: unknown): WireEvent => ({ data: JSON.stringify(o) });
const named = (event: string, o: unknown): WireEvent => ({ event, data: JSON.stringify(o) });

/** Every chat chunk shape (OpenAI's and lm-v2's), each string holding `t`. */
function chatEvents(t: string): WireEvent[] {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null, extra: Record<string, unknown> = {}) =>
    data({ id: `chatcmpl-${t}`, object: 'chat.completion.chunk', created: 1, model: t, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...extra });
  return [
    chunk({ role: 'assistant', content: '' }),
    chunk({ content: t }),
    chunk({ role: 'assistant', content: t }, null, { usage: null }),
    chunk({ reasoning_content: t }),
    chunk({ content: null, tool_calls: [{ index: 0, id: t, type: 'function', function: { name: 'f', arguments: t } }] }),
    chunk({}, 'stop'),
    chunk({ role: 'assistant' }, 'normal'),
    data({ id: 'x', object: 'chat.completion.chunk', created: 1, model: t, choices: [], usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 } }),
    data({ error: { message: t, type: 'server_error', param: null, code: t } }),
    { data: '[DONE]' },
  ];
}

function completeEvents(t: string, q: string): WireEvent[] {
  const envelope = (event: string, answer: string, extra: Record<string, unknown> = {}) =>
    data({ code: 200, created: 1, data: { answer, answerDict: {}, question: q, requestId: 'r-1', sessionId: 's' }, detail: [], event, msg: 'OK', sequence: 1, ...extra });
  return [
    envelope('message', t),
    envelope('message', '', { data: { answer: '', answerDict: { reasoning_content: t }, question: q, requestId: 'r', sessionId: 's' } }),
    envelope('end', t, { detail: [{ processType: 'model', processName: '大模型', result: t, prompt: q }] }),
    envelope('error', t, { code: 502, msg: t }),
  ];
}

function responsesEvents(t: string): WireEvent[] {
  return [
    named('response.created', { type: 'response.created', response: { id: 'r', instructions: t, output: [] }, sequence_number: 0 }),
    named('response.output_text.delta', { type: 'response.output_text.delta', item_id: t, output_index: 0, content_index: 0, delta: t, logprobs: [], sequence_number: 4 }),
    named('response.reasoning_summary_text.delta', { type: 'response.reasoning_summary_text.delta', delta: t, sequence_number: 5 }),
    named('response.output_text.done', { type: 'response.output_text.done', text: t, sequence_number: 6 }),
    named('response.completed', { type: 'response.completed', response: { id: 'r', status: 'completed', output: [{ content: [{ text: t }] }] } }),
    named('response.failed', { type: 'response.failed', response: { error: { message: t } } }),
    named('error', { type: 'error', code: 'x', message: t, param: null }),
  ];
}

function messagesEvents(t: string): WireEvent[] {
  return [
    named('message_start', { type: 'message_start', message: { id: 'm', model: t, content: [] } }),
    named('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
    named('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } }),
    named('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: t } }),
    named('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: t } }),
    named('message_delta', { type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: t } }),
    named('ping', { type: 'ping' }),
    named('message_stop', { type: 'message_stop' }),
    named('error', { type: 'error', error: { type: 'overloaded_error', message: t } }),
  ];
}

/** Strings that aim at the searches: keys and quotes inside values, escapes, lone surrogates. */
const tricky = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  fc.constantFrom('', '"', '\\', '\\"', '"content":"', '\\"content\\":\\"x', '"event":"end"', '","event":"end', '"answer":"x', '"delta":""', '\ud800', '你好', '\n\n', '[DONE]'),
  fc.array(fc.constantFrom('"', '\\', 'content', 'answer', ':', 'x', 'event', 'end', 'text_delta', '{', '}'), { maxLength: 12 }).map((a) => a.join('')),
);

describe('the dialect classifiers agree with JSON.parse', () => {
  const check = (events: (t: string, q: string) => WireEvent[], fast: (e: WireEvent) => EventKind, reference: (e: WireEvent) => EventKind) =>
    fc.assert(
      fc.property(tricky, tricky, (t, q) => {
        for (const e of events(t, q)) assert.equal(fast(e), reference(e), `${e.event ?? ''} ${e.data}`);
      }),
      { seed: SEED, numRuns: RUNS },
    );

  it('chat and lm-v2 chunks', () => check(chatEvents, (e) => CHAT_WIRE.classify(e), REFERENCE.chat));
  it('/v1/complete envelopes', () => check(completeEvents, (e) => COMPLETE_WIRE.classify(e), REFERENCE.complete));
  it('responses events', () => check(responsesEvents, (e) => RESPONSES_WIRE.classify(e), REFERENCE.responses));
  it('messages events', () => check(messagesEvents, (e) => MESSAGES_WIRE.classify(e), REFERENCE.messages));

  it('each dialect has its text, its end marker and its error', () => {
    const kinds = (list: WireEvent[], classify: (e: WireEvent) => EventKind) => new Set(list.map(classify));
    for (const [list, wire] of [
      [chatEvents('x'), CHAT_WIRE],
      [completeEvents('x', 'q'), COMPLETE_WIRE],
      [responsesEvents('x'), RESPONSES_WIRE],
      [messagesEvents('x'), MESSAGES_WIRE],
    ] as const) {
      assert.deepEqual([...kinds(list, (e) => wire.classify(e))].sort(), ['end', 'error', 'other', 'text']);
    }
  });
});

describe('string helpers', () => {
  it('nonEmptyString finds a key with a value of at least one character', () => {
    assert.equal(nonEmptyString('{"content":"a"}', 'content'), true);
    assert.equal(nonEmptyString('{"content":""}', 'content'), false);
    assert.equal(nonEmptyString('{"reasoning_content":"a"}', 'content'), false);
    assert.equal(nonEmptyString('{"content":"', 'content'), false);
  });

  it('lastStringValue reads the last value of a key', () => {
    assert.equal(lastStringValue('{"event":"a","x":{"event":"b"}}', 'event'), 'b');
    assert.equal(lastStringValue('{"x":1}', 'event'), undefined);
  });

  it('isHeartbeat knows the comment and Anthropic\'s ping event', () => {
    assert.equal(isHeartbeat({ comment: 'ping' }), true);
    assert.equal(isHeartbeat({ comment: 'other' }), false);
    assert.equal(isHeartbeat({ event: 'ping', data: '{"type": "ping"}' }), true);
    assert.equal(isHeartbeat({ data: 'ping' }), false);
  });
});

describe('selectDialects', () => {
  it('keeps the order of DIALECTS and takes all', () => {
    assert.deepEqual(selectDialects('complete,chat').map((d) => d.id), ['chat', 'complete']);
    assert.equal(selectDialects('all').length, DIALECTS.length);
  });

  it('names an unknown dialect', () => {
    assert.throws(() => selectDialects('chat,nope'), /unknown dialect "nope"/);
    assert.throws(() => selectDialects(''), /at least one/);
  });
});
