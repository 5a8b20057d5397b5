import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { buildTrace, conditionResult, formatLocalTime, type TraceInput } from './build-trace.js';

const SAMPLE_END = (JSON.parse(readFileSync(new URL('./__fixtures__/sample-events.json', import.meta.url), 'utf8')) as Array<{ detail: Array<Record<string, unknown>> }>)[3]!;

/** 2025-04-03 18:11:23.133 local time, as in the sample, plus `ms`. */
const at = (ms: number) => new Date(2025, 3, 3, 18, 11, 23, 133).getTime() + ms;

function input(overrides: Partial<TraceInput> = {}): TraceInput {
  return {
    question: 'hello',
    requestId: '0d6fb6c6-2',
    sessionId: 'SessionId:xgAAAZTfwwM3:d2c-test-002:1743675083043',
    userId: 'd2c-test-002',
    system: '',
    parameters: { temperature: 0.6, top_p: 0.95, top_k: 40, max_tokens: null },
    timeoutSeconds: 600,
    memory: [],
    history: [],
    answer: '<think>\nOkay.\n</think>\n\nHello!',
    answerDict: {},
    modelName: 'sim-reasoner',
    finishReason: 'end',
    promptTokens: 9,
    outputTokens: 128,
    usageSource: 'provider',
    marks: {
      receivedAt: at(-42.4),
      executeAt: at(0),
      conditionStart: at(0.2),
      conditionEnd: at(1.3),
      modelStart: at(1.3),
      firstToken: at(51.3),
      modelEnd: at(3745.6),
      endAt: at(3752.3),
    },
    ...overrides,
  };
}

test('the four steps have the sample\'s fields in the sample\'s order (the model step adds finishReason)', () => {
  const trace = buildTrace(input()) as unknown as Array<Record<string, unknown>>;
  assert.equal(trace.length, 4);
  trace.forEach((s, i) => {
    const expected = Object.keys(SAMPLE_END.detail[i] as object);
    assert.deepEqual(Object.keys(s).filter((k) => k !== 'finishReason' && k !== 'deployment'), expected);
  });
});

test('times and counts are laid out from the measured marks', () => {
  const [start, condition, model, end] = buildTrace(input()) as unknown as Array<Record<string, any>>;
  assert.deepEqual(start?.variable.map((v: { name: string }) => v.name), ['memoryList', 'question', 'memories', 'sessionStatus', 'extraInfo']);
  assert.deepEqual(start?.variable[4].value, {
    top_p: 0.95, system: '', max_tokens: '', requestId: '0d6fb6c6-2', top_k: 40, temperature: 0.6,
    sessionId: 'SessionId:xgAAAZTfwwM3:d2c-test-002:1743675083043', history: '', do_sample: true, userId: 'd2c-test-002', timeout: 600,
  });
  assert.deepEqual(condition, {
    result: 'IF --> false\nELSE --> true',
    processName: '条件判断',
    costTime: 1,
    startTime: '2025-04-03 18:11:23.133',
    processType: 'condition',
    endTime: '2025-04-03 18:11:23.134',
  });
  assert.equal(model?.startTime, '2025-04-03 18:11:23.134');
  assert.equal(model?.endTime, '2025-04-03 18:11:26.878');
  assert.equal(model?.costTime, 3744);
  assert.deepEqual(model?.metrics, { numPromptTokens: 9, firstTokenTime: 0.05, numOutputTokens: 128, allTime: 3.744, usageSource: 'provider' });
  assert.equal(model?.result, '<think>\nOkay.\n</think>\n\nHello!');
  assert.equal(model?.prompt, 'hello\n');
  assert.deepEqual(end?.metrics, { costTime: 3795, programBuildTime: 42, inputTokens: 9, programExecuteTime: 3753, outputTokens: 128, usageSource: 'provider' });
  assert.deepEqual(end?.variable, [
    { name: 'sessionStatus', value: {} },
    { name: 'answerDict', value: {} },
    { name: 'answer', value: '<think>\nOkay.\n</think>\n\nHello!' },
  ]);
});

test('with memory: the IF branch, the turns in memoryList, the history as sent', () => {
  const memory = [{ requestId: 'r-1', question: 'hi', answer: 'Hello!', createdAt: 1 }];
  const history = [{ role: 'user' as const, content: 'hi' }, { role: 'assistant' as const, content: 'Hello!' }];
  const [start, condition, model] = buildTrace(input({ memory, history, parameters: { temperature: 0, top_p: 1, top_k: 1, max_tokens: 64 } })) as unknown as Array<Record<string, any>>;
  assert.equal(condition?.result, 'IF --> true\nELSE --> false');
  assert.deepEqual(start?.variable[0].value, memory);
  assert.equal(start?.variable[2].value, 'Q: hi\nA: Hello!');
  assert.equal(model?.parameter.history, JSON.stringify(history));
  assert.equal(model?.parameter.max_tokens, '64');
  assert.equal(model?.parameter.do_sample, false, 'temperature 0 is greedy decoding');
});

test('a model that sent no text: firstTokenTime is the whole model time', () => {
  const base = input();
  const [, , model] = buildTrace(input({ marks: { ...base.marks, firstToken: null } })) as unknown as Array<Record<string, any>>;
  assert.equal(model?.metrics.firstTokenTime, model?.metrics.allTime);
});

test('conditionResult and formatLocalTime', () => {
  assert.equal(conditionResult(false), 'IF --> false\nELSE --> true');
  assert.equal(formatLocalTime(new Date(2025, 0, 2, 3, 4, 5, 6).getTime() + 0.9), '2025-01-02 03:04:05.006');
});
