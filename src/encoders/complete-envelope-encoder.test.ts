import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createParser } from 'eventsource-parser';
import type { StreamEvent } from '../core/events.js';
import { GatewayError } from '../core/errors.js';
import { framed } from '../test-support/framed-encoder.js';
import { createCompleteEnvelopeEncoder, type CompleteEnvelopeEncoderOptions, type Envelope } from './complete-envelope-encoder.js';

const identity = { question: 'hello', requestId: '0d6fb6c6-2', sessionId: 'SessionId:x:u:1' };

function encoder(overrides: Partial<CompleteEnvelopeEncoderOptions> = {}) {
  let clock = 1743675083420;
  const raw = createCompleteEnvelopeEncoder({
    ...identity,
    reasoningFormat: 'inline',
    trace: () => [{ processType: 'start' }],
    now: () => clock++,
    ...overrides,
  });
  return Object.defineProperty(framed(raw), 'answer', { get: () => raw.answer }) as ReturnType<typeof framed> & { readonly answer: string };
}

function parse(wire: string): Array<{ id: string | undefined; event: string | undefined; envelope: Envelope }> {
  const out: Array<{ id: string | undefined; event: string | undefined; envelope: Envelope }> = [];
  createParser({ onEvent: (m) => out.push({ id: m.id, event: m.event, envelope: JSON.parse(m.data) as Envelope }) }).feed(wire);
  return out;
}

/** The normalized events of a thinking model, as `splitReasoning` hands them on. */
const THINKING_RUN: StreamEvent[] = [
  { type: 'reasoning-delta', text: '\nOkay,' },
  { type: 'reasoning-delta', text: ' the user said "hello".\n' },
  { type: 'text-delta', text: '\n\nHello! 😊' },
  { type: 'usage', usage: { promptTokens: 9, completionTokens: 4 } },
  { type: 'finish', reason: 'end' },
];

test('inline: the sample\'s deltas (`<think>` on its own), id = sequence from 1, end = the whole answer and the trace', () => {
  const enc = encoder();
  const wire = THINKING_RUN.map((e) => enc.encode(e)).join('') + enc.end();
  const events = parse(wire);
  assert.deepEqual(events.map((e) => e.envelope.data.answer), [
    '<think>', '\nOkay,', ' the user said "hello".\n', '</think>\n\nHello! 😊',
    '<think>\nOkay, the user said "hello".\n</think>\n\nHello! 😊',
  ]);
  // The stream run adds `id: <seq>` to each event (see routes/complete.test.ts): the encoder writes one event per call and no id.
  assert.deepEqual(events.map((e) => e.id), [undefined, undefined, undefined, undefined, undefined]);
  assert.ok(events.every((e) => e.event === undefined), 'no `event:` line');
  assert.deepEqual(events[0]?.envelope, {
    code: 200, created: 1743675083420,
    data: { answer: '<think>', answerDict: {}, ...identity },
    detail: [], event: 'message', msg: 'OK', sequence: 1,
  });
  assert.deepEqual(events[4]?.envelope.detail, [{ processType: 'start' }]);
  assert.equal(events[4]?.envelope.event, 'end');
  assert.equal(enc.answer, events[4]?.envelope.data.answer);
});

test('the trace callback gets the final answer, once, at end()', () => {
  const seen: string[] = [];
  const enc = encoder({ trace: ({ answer }) => (seen.push(answer), []) });
  for (const e of THINKING_RUN) enc.encode(e);
  assert.deepEqual(seen, []);
  enc.end();
  assert.deepEqual(seen, ['<think>\nOkay, the user said "hello".\n</think>\n\nHello! 😊']);
});

test('separate: thinking in answerDict.reasoning_content, the answer clean', () => {
  const enc = encoder({ reasoningFormat: 'separate' });
  const events = parse(THINKING_RUN.map((e) => enc.encode(e)).join('') + enc.end());
  const end = events.at(-1)?.envelope as Envelope;
  assert.equal(end.data.answer, 'Hello! 😊');
  assert.deepEqual(end.data.answerDict, { reasoning_content: 'Okay, the user said "hello".\n' });
  assert.deepEqual(events[0]?.envelope.data, { answer: '', answerDict: { reasoning_content: 'Okay,' }, ...identity });
  assert.equal(events.slice(0, -1).map((e) => e.envelope.data.answer).join(''), end.data.answer);
});

test('a stream cut while thinking still ends with a closed tag', () => {
  const enc = encoder();
  const events = parse(enc.encode({ type: 'reasoning-delta', text: 'hmm' }) + enc.encode({ type: 'finish', reason: 'length' }) + enc.end());
  assert.equal(events.at(-1)?.envelope.data.answer, '<think>hmm</think>');
});

test('error: the last event, with the HTTP status as code, the message as msg and the answer so far', () => {
  const enc = encoder();
  const error = new GatewayError(502, 'upstream_error', 'Upstream closed the connection', { code: 'upstream_error' });
  const wire = enc.encode({ type: 'text-delta', text: 'Hel' }) + enc.encode({ type: 'error', error });
  const last = parse(wire).at(-1)?.envelope as Envelope;
  assert.equal(last.event, 'error');
  assert.equal(last.code, 502);
  assert.equal(last.msg, 'Upstream closed the connection');
  assert.equal(last.sequence, 2);
  assert.equal(last.data.answer, 'Hel');
  assert.deepEqual(last.detail, [{ processType: 'error', processName: '错误', type: 'upstream_error', code: 'upstream_error', param: null }]);
});

test('question and ids with quotes, line breaks and non-ASCII stay one data line of valid JSON', () => {
  const enc = encoder({ question: 'line1\nline2 "q" 你好\u2028' });
  const wire = enc.encode({ type: 'text-delta', text: 'a\r\nb' });
  assert.equal(wire.split('\n').length, 3, 'one data line, then the blank line');
  assert.equal(parse(wire)[0]?.envelope.data.question, 'line1\nline2 "q" 你好\u2028');
});
