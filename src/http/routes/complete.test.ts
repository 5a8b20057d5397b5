import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import type { Envelope } from '../../encoders/complete-envelope-encoder.js';
import { startServer, type RunningServer } from '../../server.js';
import {
  completeUrl,
  fetchStream,
  postComplete,
  readWithEventSource,
  startTestServer,
  step,
  tempDataDir,
  variable,
  type ReceivedEvent,
} from '../test-support/complete-client.js';

/** The user's four sample events (a copy of `shared/spec/complete-sample-events.json`). */
const SAMPLE = JSON.parse(readFileSync(new URL('../../complete/__fixtures__/sample-events.json', import.meta.url), 'utf8')) as Envelope[];
const SAMPLE_MESSAGE = SAMPLE[0] as Envelope;
const SAMPLE_END = SAMPLE[3] as Envelope;
const LOCAL_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

/**
 * Every field of `sample` is in `actual` with the same JSON type (an integer where the
 * sample has an integer), recursively; arrays of the same length are compared item by item.
 */
function assertShapeCovers(sample: unknown, actual: unknown, path = '$'): void {
  const kind = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
  assert.equal(kind(actual), kind(sample), `${path}: expected ${kind(sample)}, got ${kind(actual)}`);
  if (typeof sample === 'number' && Number.isInteger(sample)) assert.ok(Number.isInteger(actual), `${path}: expected an integer, got ${String(actual)}`);
  if (Array.isArray(sample) && Array.isArray(actual) && sample.length > 0 && sample.length === actual.length) {
    sample.forEach((item, i) => assertShapeCovers(item, actual[i], `${path}[${i}]`));
  } else if (kind(sample) === 'object') {
    for (const [key, value] of Object.entries(sample as object)) {
      assert.ok(key in (actual as object), `${path}.${key} is missing`);
      assertShapeCovers(value, (actual as Record<string, unknown>)[key], `${path}.${key}`);
    }
  }
}

function messages(events: ReceivedEvent[]): Envelope[] {
  return events.map((e) => e.envelope).filter((e) => e.event === 'message');
}

function lastEnvelope(events: ReceivedEvent[]): Envelope {
  const last = events.at(-1);
  assert.ok(last, 'no events');
  return last.envelope;
}

describe('/v1/complete', () => {
  const data = tempDataDir();
  let server: RunningServer;
  before(async () => {
    server = await startTestServer(data.dir);
  });
  after(async () => {
    await server.close();
    data.remove();
  });

  test('EventSource (as a browser): the sample envelope on every event, default event type, id = sequence, end.answer = all deltas', async () => {
    const startedAt = Date.now();
    const events = await readWithEventSource(completeUrl(server.url, { question: 'hello', model: 'sim-reasoner', userId: 'd2c-test-002' }));
    const finishedAt = Date.now();
    const end = lastEnvelope(events);
    const deltas = messages(events);

    assert.ok(deltas.length > 10, `expected a streamed answer, got ${deltas.length} deltas`);
    assert.equal(end.event, 'end');
    assert.equal(events.length, deltas.length + 1);
    events.forEach((e, i) => {
      assert.equal(e.type, 'message', 'no SSE event: line, so onmessage sees every event');
      assert.equal(e.envelope.sequence, i + 1);
      assert.equal(e.id, String(e.envelope.sequence));
      assert.deepEqual(Object.keys(e.envelope), Object.keys(SAMPLE_MESSAGE));
      assert.deepEqual(Object.keys(e.envelope.data), Object.keys(SAMPLE_MESSAGE.data));
      assert.equal(e.envelope.code, 200);
      assert.equal(e.envelope.msg, 'OK');
      assert.equal(e.envelope.data.question, 'hello');
      assert.equal(e.envelope.data.requestId, end.data.requestId);
      assert.equal(e.envelope.data.sessionId, end.data.sessionId);
      assert.ok(e.envelope.created >= startedAt && e.envelope.created <= finishedAt, 'created is the Unix ms of the event');
      if (i > 0) assert.ok(e.envelope.created >= (events[i - 1] as ReceivedEvent).envelope.created);
    });
    for (const m of deltas) {
      assertShapeCovers(SAMPLE_MESSAGE, m);
      assert.deepEqual(m.detail, []);
      assert.deepEqual(m.data.answerDict, {});
    }
    assertShapeCovers(SAMPLE_END, end);

    assert.equal(deltas[0]?.data.answer, '<think>', 'the <think> tag is its own delta, as in the sample');
    assert.equal(end.data.answer, deltas.map((m) => m.data.answer).join(''));
    assert.match(end.data.answer, /^<think>\n[^]+<\/think>[^]+/);
    assert.match(end.data.sessionId, /^SessionId:[A-Za-z0-9_-]+:d2c-test-002:\d{13}$/);
    assert.match(end.data.requestId, /^[0-9a-f]{24}-1$/, 'hex then the turn, as in the sample, with 96 random bits: it is the resume id');
  });

  test('POST with fetch: the same stream, byte-exact frames: one `data:` line + `id: N`, in the sample key order', async () => {
    const { response, raw, events } = await postComplete(server.url, { question: 'hello', requestId: 'client-req.1', sessionId: 'my-session-1', userId: 'u1' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(response.headers.get('x-request-id'), 'client-req.1');
    const frames = raw.split('\n\n').filter((f) => !f.startsWith(':'));
    assert.equal(frames.pop(), '', 'the stream ends after a complete event');
    assert.equal(frames.length, events.length);
    frames.forEach((frame, i) => {
      const envelope = (events[i] as ReceivedEvent).envelope;
      assert.equal(frame, `data: ${JSON.stringify(envelope)}\nid: ${i + 1}`);
    });
    const end = lastEnvelope(events);
    assert.equal(end.event, 'end');
    assert.equal(end.data.requestId, 'client-req.1');
    assert.equal(end.data.sessionId, 'my-session-1');
    assert.equal(end.data.answer, messages(events).map((m) => m.data.answer).join(''));
    assertShapeCovers(SAMPLE_END, end);
  });

  test('the trace: the four steps of the sample with figures measured from this run', async () => {
    const { events } = await postComplete(server.url, { question: 'hello', userId: 'u2', system: 'Be kind.', temperature: 0.2, top_p: 0.5, top_k: 7 });
    const end = lastEnvelope(events);
    const deltas = messages(events);
    assert.deepEqual(
      (end.detail as Array<{ processType: string; processName: string }>).map((s) => [s.processType, s.processName]),
      [['start', '开始'], ['condition', '条件判断'], ['model', '大模型'], ['end', '结束']],
    );

    assert.deepEqual(variable(end, 'start', 'memoryList'), []);
    assert.equal(variable(end, 'start', 'question'), 'hello');
    assert.deepEqual(variable(end, 'start', 'extraInfo'), {
      top_p: 0.5, system: 'Be kind.', max_tokens: '', requestId: end.data.requestId, top_k: 7, temperature: 0.2,
      sessionId: end.data.sessionId, history: '', do_sample: true, userId: 'u2', timeout: 0,
    });

    const condition = step<{ result: string; costTime: number; startTime: string; endTime: string }>(end, 'condition');
    assert.equal(condition.result, 'IF --> false\nELSE --> true', 'a new session has no memory: the ELSE branch ran');
    assert.match(condition.startTime, LOCAL_TIME);
    assert.ok(condition.startTime <= condition.endTime);

    const model = step<{
      result: string; modelName: string; costTime: number; startTime: string; endTime: string; prompt: string;
      parameter: Record<string, unknown>; metrics: { numPromptTokens: number; firstTokenTime: number; numOutputTokens: number; allTime: number };
    }>(end, 'model');
    assert.equal(model.result, end.data.answer);
    assert.equal(model.modelName, 'sim-reasoner');
    assert.equal(model.prompt, 'hello\n');
    assert.deepEqual(model.parameter, { top_p: 0.5, system: 'Be kind.', max_tokens: '', stream: true, top_k: 7, temperature: 0.2, do_sample: true, history: '', n: 1 });
    assert.ok(condition.endTime <= model.startTime && model.startTime <= model.endTime);
    // Every piece the simulator emitted is one delta here (the `<think>` tag included).
    assert.equal(model.metrics.numOutputTokens, deltas.length);
    assert.ok(model.metrics.numPromptTokens > 0);
    assert.ok(model.metrics.firstTokenTime <= model.metrics.allTime);
    assert.equal(model.metrics.allTime, model.costTime / 1000);

    const endStep = step<{ metrics: Record<string, number> }>(end, 'end');
    assert.equal(variable(end, 'end', 'answer'), end.data.answer);
    assert.equal(endStep.metrics.inputTokens, model.metrics.numPromptTokens);
    assert.equal(endStep.metrics.outputTokens, model.metrics.numOutputTokens);
    assert.equal(endStep.metrics.costTime, (endStep.metrics.programBuildTime as number) + (endStep.metrics.programExecuteTime as number));
    assert.ok((endStep.metrics.costTime as number) >= model.costTime);
  });

  test("the simulator's first-token delay shows in firstTokenTime and costTime", async () => {
    const events = await readWithEventSource(completeUrl(server.url, { question: 'hello', sim_first_token_ms: 250, sim_tokens_per_second: 0 }));
    const model = step<{ costTime: number; metrics: { firstTokenTime: number; allTime: number } }>(lastEnvelope(events), 'model');
    assert.ok(model.metrics.firstTokenTime >= 0.25, `firstTokenTime ${model.metrics.firstTokenTime} s after a 250 ms delay`);
    assert.ok(model.metrics.firstTokenTime <= model.metrics.allTime);
    assert.ok(model.costTime >= 250);
  });

  test('max_tokens: numOutputTokens is what the model emitted, the answer is closed with </think>', async () => {
    const { events } = await postComplete(server.url, { question: 'hello', max_tokens: 5 });
    const end = lastEnvelope(events);
    const model = step<{ finishReason: string; parameter: { max_tokens: string }; metrics: { numOutputTokens: number } }>(end, 'model');
    assert.equal(model.metrics.numOutputTokens, 5);
    assert.equal(model.finishReason, 'length');
    assert.equal(model.parameter.max_tokens, '5');
    assert.ok(end.data.answer.endsWith('</think>'));
    assert.equal(end.data.answer, messages(events).map((m) => m.data.answer).join(''));
  });

  test('reasoning_format=hidden drops the thinking; sim-chat answers without it', async () => {
    const hidden = lastEnvelope((await postComplete(server.url, { question: 'hello', reasoning_format: 'hidden' })).events);
    assert.ok(!hidden.data.answer.includes('<think>'));
    assert.ok(hidden.data.answer.length > 0);
    const chat = lastEnvelope(await readWithEventSource(completeUrl(server.url, { question: 'hello', model: 'sim-chat' })));
    assert.ok(!chat.data.answer.includes('<think>'));
    assert.equal(step<{ modelName: string }>(chat, 'model').modelName, 'sim-chat');
  });
});

describe('/v1/complete errors', () => {
  const data = tempDataDir();
  let server: RunningServer;
  before(async () => {
    server = await startTestServer(data.dir);
  });
  after(async () => {
    await server.close();
    data.remove();
  });

  /** A request refused before streaming: an HTTP status and the envelope as the body. */
  async function refused(response: Response, status: number, msg: RegExp, param: string | null): Promise<Envelope> {
    assert.equal(response.status, status);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    const body = (await response.json()) as Envelope;
    assert.deepEqual(Object.keys(body), Object.keys(SAMPLE_MESSAGE));
    assert.equal(body.code, status);
    assert.equal(body.event, 'error');
    assert.match(body.msg, msg);
    assert.equal((body.detail[0] as { param: string | null }).param, param);
    return body;
  }

  const get = (params: Record<string, string | number>) => fetch(completeUrl(server.url, params));
  const post = (body: unknown) => fetch(`${server.url}/v1/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

  test('bad input is a 400 envelope naming the field and the rule', async () => {
    await refused(await get({}), 400, /^Missing required parameter: 'question'\.$/, 'question');
    await refused(await post({ question: '   ' }), 400, /^question must not be empty$/, 'question');
    await refused(await post({ question: 42 }), 400, /question/, 'question');
    await refused(await get({ question: 'hi', temperature: 'warm' }), 400, /^Invalid type for 'temperature': expected a number, but got a string \("warm"\)\.$/, 'temperature');
    await refused(await get({ question: 'hi', temperature: 5 }), 400, /^temperature must be >= 0 and <= 2, got 5$/, 'temperature');
    await refused(await get({ question: 'hi', top_k: 1.5 }), 400, /top_k/, 'top_k');
    await refused(await get({ question: 'hi', sim_fault: 'explode' }), 400, /^Invalid value for 'sim_fault'/, 'sim_fault');
    await refused(await get({ question: 'hi', sim_tokens_per_second: 'fast' }), 400, /'sim_tokens_per_second'/, 'sim_tokens_per_second');
    await refused(await post({ question: 'hi', reasoning_format: 'loud' }), 400, /reasoning_format/, 'reasoning_format');
    const body = await refused(await post({ question: 'hi', sim: { fault: 'explode' } }), 400, /sim\.fault/, 'sim.fault');
    assert.equal(body.data.question, 'hi', 'the envelope repeats what it could read of the request');
  });

  test('ids with CR/LF or other unsafe characters are refused, so they never reach headers or SSE lines', async () => {
    await refused(await post({ question: 'hi', requestId: 'abc\r\nid: 99' }), 400, /^requestId must be letters, digits and \. _ : @ - only$/, 'requestId');
    await refused(await get({ question: 'hi', requestId: 'abc\nevent: end' }), 400, /requestId/, 'requestId');
    await refused(await get({ question: 'hi', sessionId: 'a b' }), 400, /sessionId/, 'sessionId');
    await refused(await post({ question: 'hi', userId: 'x'.repeat(65) }), 400, /^userId must be at most 64 characters/, 'userId');
  });

  test('a query parameter given twice is a 400', async () => {
    await refused(await fetch(`${server.url}/v1/complete?question=a&question=b`), 400, /'question' must be given once/, 'question');
  });

  test('unknown model 404, wrong method 405, not JSON 415, broken JSON 400: all envelopes', async () => {
    await refused(await get({ question: 'hi', model: 'nope' }), 404, /The model 'nope' does not exist/, 'model');
    const put = await fetch(`${server.url}/v1/complete`, { method: 'PUT' });
    assert.equal(put.headers.get('allow'), 'GET, POST');
    await refused(put, 405, /Method PUT is not allowed/, null);
    assert.equal((await fetch(completeUrl(server.url, { question: 'hi' }), { method: 'HEAD' })).status, 405);
    await refused(await fetch(`${server.url}/v1/complete`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'question=hi' }), 415, /Content-Type must be application\/json/, 'Content-Type');
    await refused(await fetch(`${server.url}/v1/complete`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"question":' }), 400, /not valid JSON/, null);
  });

  test('a model that fails before its first token: an HTTP 429/500 envelope, nothing streamed', async () => {
    const limited = await get({ question: 'hi', sim_fault: 'rate_limited' });
    assert.equal(limited.headers.get('retry-after'), '1');
    await refused(limited, 429, /Simulated rate limit/, null);
    await refused(await get({ question: 'hi', sim_fault: 'error_before_first_token' }), 500, /Simulated upstream failure before the first token/, null);
  });

  test('EventSource sees a refused request as a failed connection (and does not retry it)', async () => {
    await assert.rejects(readWithEventSource(completeUrl(server.url, { question: '' })), (err: { code?: number }) => err.code === 400);
  });

  test('a failure mid-stream ends with an error event (non-200 code, clear msg), then the stream ends; the turn is saved as failed with what had arrived', async () => {
    const sessionId = 'fails-midway';
    const events = await readWithEventSource(completeUrl(server.url, { question: 'hello', sessionId, sim_fault: 'error_mid_stream' }));
    const last = lastEnvelope(events);
    assert.equal(last.event, 'error');
    assert.equal(last.code, 500);
    assert.equal(last.msg, 'Simulated upstream failure in the middle of the stream');
    assert.equal(last.sequence, events.length);
    assert.equal(last.data.answer, messages(events).map((m) => m.data.answer).join(''), 'the error event says what had arrived');
    assert.ok(messages(events).length > 0);
    assertShapeCovers(SAMPLE_MESSAGE, { ...last, detail: [] });

    const { raw } = await fetchStream(completeUrl(server.url, { question: 'hello', sessionId, sim_fault: 'error_mid_stream' }));
    assert.ok(raw.endsWith('"event":"error","msg":"Simulated upstream failure in the middle of the stream","sequence":' + (raw.match(/^id: /gm)?.length ?? -1) + '}\nid: ' + (raw.match(/^id: /gm)?.length ?? -1) + '\n\n'));
    const stored = (await (await fetch(`${server.url}/v1/sessions/${sessionId}`)).json()) as { turns: { status: string; answer: string; error?: string }[] };
    assert.deepEqual(stored.turns.map((t) => t.status), ['failed', 'failed']);
    assert.equal(stored.turns[0]?.answer, last.data.answer, 'what the user saw is kept');
    assert.equal(stored.turns[0]?.error, 'Simulated upstream failure in the middle of the stream');
  });

  /** Asks, reads the first event, leaves; returns the saved turn once it is no longer streaming. */
  async function leaveMidStream(own: RunningServer, sessionId: string, body: Record<string, unknown>) {
    const controller = new AbortController();
    const response = await fetch(`${own.url}/v1/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'hello', sessionId, sim: { first_token_ms: 0, tokens_per_second: 200 }, ...body }),
      signal: controller.signal,
    });
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    const first = await reader.read();
    assert.match(new TextDecoder().decode(first.value), /^data: /);
    controller.abort();
    let stored: { turns: { status: string; answer: string }[] } | undefined;
    do {
      await sleep(50);
      stored = (await (await fetch(`${own.url}/v1/sessions/${sessionId}`)).json()) as typeof stored;
    } while (stored?.turns[0]?.status === 'streaming');
    return stored!.turns[0]!;
  }

  test('a client that leaves mid-stream: the answer runs to its end and is saved (the page re-attaches to it); with resumable=false it stops and keeps the text so far', async () => {
    // No resume grace: what happens is the session rule's doing, not a grace period's.
    const own = await startServer({ port: 0, host: '127.0.0.1', logger: pino({ level: 'silent' }), config: { dataDir: data.dir, streams: { resumeGraceMs: 0 } } });
    try {
      const finished = await leaveMidStream(own, 'left-early', {});
      assert.equal(finished.status, 'complete');
      assert.match(finished.answer, /<\/think>[\s\S]+\S/, 'the whole answer, after the thinking');
      const stopped = await leaveMidStream(own, 'left-early-no-resume', { resumable: false });
      assert.equal(stopped.status, 'stopped');
      assert.ok(stopped.answer.length < finished.answer.length, 'stopped where the client left');
    } finally {
      await own.close();
    }
  });
});

describe('/v1/complete with API keys', () => {
  const data = tempDataDir();
  const KEY = 'sk-complete-test-key';
  let server: RunningServer;
  before(async () => {
    server = await startTestServer(data.dir, { auth: { keys: [{ key: KEY, models: ['sim-chat'] }] } });
  });
  after(async () => {
    await server.close();
    data.remove();
  });

  test('a missing key is a 401 and a model the key may not use a 403, both as envelopes', async () => {
    const missing = await fetch(completeUrl(server.url, { question: 'hi', model: 'sim-chat' }));
    assert.equal(missing.status, 401);
    const body = (await missing.json()) as Envelope;
    assert.deepEqual([body.code, body.event, body.data.question], [401, 'error', 'hi']);
    assert.match(body.msg, /API key/);

    const headers = { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' };
    const denied = await fetch(`${server.url}/v1/complete`, { method: 'POST', headers, body: JSON.stringify({ question: 'hi' }) });
    assert.equal(denied.status, 403);
    assert.deepEqual(((await denied.json()) as Envelope).detail, [{ processType: 'error', processName: '错误', type: 'permission_error', code: 'model_not_allowed', param: 'model' }]);

    const { response, events } = await fetchStream(`${server.url}/v1/complete`, { method: 'POST', headers, body: JSON.stringify({ question: 'hi', model: 'sim-chat' }) });
    assert.equal(response.status, 200);
    assert.equal(events.at(-1)?.envelope.event, 'end');

    // EventSource cannot send headers: GET takes the key as `api_key`, which never shows in the trace.
    const viaQuery = await readWithEventSource(completeUrl(server.url, { question: 'hi', model: 'sim-chat', api_key: KEY }));
    const end = viaQuery.at(-1)?.envelope as Envelope;
    assert.equal(end.event, 'end');
    assert.ok(!JSON.stringify(end).includes(KEY));
  });
});
