import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../../server.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';
import { dataOf } from '../../test-support/sse-client.js';

let server: RunningServer;
const data = tempDataDir();
before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 } } });
});
after(async () => {
  await server.close();
  data.remove();
});

const user = (content = 'hi') => ({ role: 'user', content });
const assistant = (content = 'ok') => ({ role: 'assistant', content });
const fn = (content = '{"temp": 20}') => ({ role: 'function', content, name: 'weather' });

async function post(body: unknown) {
  const res = await fetch(`${server.url}/lm/v2/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** One row per rule of the document: the body's change, then status, param and message. */
const REJECTED: Array<[string, Record<string, unknown>, string | null, string]> = [
  ['model missing', { model: undefined }, 'model', "Missing required parameter: 'model'."],
  ['model not a string', { model: 7 }, 'model', 'model must be a string, got 7'],
  ['messages missing', { messages: undefined }, 'messages', "Missing required parameter: 'messages'."],
  ['messages empty', { messages: [] }, 'messages', 'messages must not be empty, got an array of 0 items'],
  ['messages not an array', { messages: 'hi' }, 'messages', `Invalid type for 'messages': expected an array, but got a string ("hi").`],
  ['even count', { messages: [user(), assistant()] }, 'messages', 'messages must have an odd number of members, ending with a user message, got 2'],
  ['even count of four', { messages: [user(), assistant(), user(), assistant()] }, 'messages', 'messages must have an odd number of members, ending with a user message, got 4'],
  ['starts with assistant', { messages: [assistant()] }, 'messages[0].role', 'messages must alternate user/function and assistant: messages[0].role must be "user" or "function", got "assistant"'],
  ['two users in a row', { messages: [user(), user(), user()] }, 'messages[1].role', 'messages must alternate user/function and assistant: messages[1].role must be "assistant", got "user"'],
  ['two assistants in a row', { messages: [user(), assistant(), assistant()] }, 'messages[2].role', 'messages must alternate user/function and assistant: messages[2].role must be "user" or "function", got "assistant"'],
  ['function in an assistant turn', { messages: [user(), fn(), user()] }, 'messages[1].role', 'messages must alternate user/function and assistant: messages[1].role must be "assistant", got "function"'],
  ['system role', { messages: [{ role: 'system', content: 'be brief' }, user()] }, 'messages[0].role', `Invalid value for 'messages[0].role': expected one of "user", "assistant", "function", got "system".`],
  ['content a number', { messages: [{ role: 'user', content: 5 }] }, 'messages[0].content', 'messages[0].content must be a string, an array of content parts, or null'],
  ['too many messages', { messages: Array.from({ length: 10_001 }, (_, i) => (i % 2 ? assistant() : user())) }, 'messages', 'messages must have at most 2048 members, got an array of 10001 items'],
  ['temperature 0', { temperature: 0 }, 'temperature', 'temperature must be > 0 and <= 1, got 0'],
  ['temperature above 1', { temperature: 1.01 }, 'temperature', 'temperature must be > 0 and <= 1, got 1.01'],
  ['temperature negative', { temperature: -0.5 }, 'temperature', 'temperature must be > 0 and <= 1, got -0.5'],
  ['temperature as a string', { temperature: '0.5' }, 'temperature', `Invalid type for 'temperature': expected a number, but got a string ("0.5").`],
  ['top_p below 0', { top_p: -0.1 }, 'top_p', 'top_p must be >= 0 and <= 1, got -0.1'],
  ['top_p above 1', { top_p: 1.5 }, 'top_p', 'top_p must be >= 0 and <= 1, got 1.5'],
  ['penalty_score below 1', { penalty_score: 0.9 }, 'penalty_score', 'penalty_score must be >= 1 and <= 2, got 0.9'],
  ['penalty_score above 2', { penalty_score: 2.1 }, 'penalty_score', 'penalty_score must be >= 1 and <= 2, got 2.1'],
  ['frequency_penalty below -2', { frequency_penalty: -2.5 }, 'frequency_penalty', 'frequency_penalty must be >= -2 and <= 2, got -2.5'],
  ['frequency_penalty above 2', { frequency_penalty: 3 }, 'frequency_penalty', 'frequency_penalty must be >= -2 and <= 2, got 3'],
  ['presence_penalty below -2', { presence_penalty: -3 }, 'presence_penalty', 'presence_penalty must be >= -2 and <= 2, got -3'],
  ['presence_penalty above 2', { presence_penalty: 2.01 }, 'presence_penalty', 'presence_penalty must be >= -2 and <= 2, got 2.01'],
  ['top_k 0', { top_k: 0 }, 'top_k', 'top_k must be an integer >= 1, got 0'],
  ['top_k not an integer', { top_k: 2.5 }, 'top_k', `Invalid type for 'top_k': expected an integer, but got a number (2.5).`],
  ['max_completion_tokens 0', { max_completion_tokens: 0 }, 'max_completion_tokens', 'max_completion_tokens must be an integer >= 1, got 0'],
  ['max_completion_tokens negative', { max_completion_tokens: -5 }, 'max_completion_tokens', 'max_completion_tokens must be an integer >= 1, got -5'],
  ['max_completion_tokens as a string', { max_completion_tokens: '10' }, 'max_completion_tokens', `Invalid type for 'max_completion_tokens': expected a number, but got a string ("10").`],
  ['stream not a boolean', { stream: 'yes' }, 'stream', `Invalid type for 'stream': expected a boolean, but got a string ("yes").`],
  ['include_usage not a boolean', { stream_options: { include_usage: 1 } }, 'stream_options.include_usage', `Invalid type for 'stream_options.include_usage': expected a boolean, but got a number (1).`],
  ['reasoning_format unknown', { reasoning_format: 'xml' }, 'reasoning_format', `Invalid value for 'reasoning_format': expected one of "separate", "inline", "hidden", got "xml".`],
];

describe('lm-v2 rules: each refused with the exact status, param and message', () => {
  for (const [name, change, param, message] of REJECTED) {
    test(name, async () => {
      const body: Record<string, unknown> = { model: 'sim-chat', messages: [user()], ...change };
      for (const key of Object.keys(body)) if (body[key] === undefined) delete body[key];
      const res = await post(body);
      assert.equal(res.status, 400, res.text);
      assert.deepEqual(JSON.parse(res.text), { error: { message, type: 'invalid_request_error', param, code: message.startsWith('Missing') ? 'missing_required_parameter' : 'invalid_value' } });
    });
  }
});

describe('lm-v2 rules: what the document allows is accepted', () => {
  const ACCEPTED: Array<[string, Record<string, unknown>]> = [
    ['single turn', {}],
    ['three turns', { messages: [user(), assistant(), user()] }],
    ['function in a user turn', { messages: [user(), assistant(), fn()] }],
    ['function first', { messages: [fn()] }],
    ['temperature at its upper bound 1', { temperature: 1 }],
    ['temperature just above 0', { temperature: 0.0001 }],
    ['top_p at both bounds', { top_p: 0 }],
    ['top_p 1', { top_p: 1 }],
    ['temperature and top_p together (the defaults set both)', { temperature: 0.5, top_p: 0.5 }],
    ['penalty_score at both bounds', { penalty_score: 1 }],
    ['penalty_score 2', { penalty_score: 2 }],
    ['penalties at their bounds', { frequency_penalty: -2, presence_penalty: 2 }],
    ['top_k 1 and max_completion_tokens 1', { top_k: 1, max_completion_tokens: 1 }],
    ['nulls are absent values', { temperature: null, top_p: null, stream: null }],
    ['unknown fields are ignored', { logit_bias: { 1: 2 }, whatever: [1, 2, 3], system: 'ignored' }],
  ];
  for (const [name, change] of ACCEPTED) {
    test(name, async () => {
      const res = await post({ model: 'sim-chat', messages: [user()], max_completion_tokens: 3, ...change });
      assert.equal(res.status, 200, res.text);
      assert.equal(JSON.parse(res.text).object, 'chat.completion');
    });
  }
});

/** The JSON payloads of an SSE body, `[DONE]` kept as a string. */
function dataLines(text: string): unknown[] {
  // A real SSE parser: events also carry `id:` lines (resumable streams).
  return dataOf(text);
}

interface Chunk {
  object: string;
  choices: Array<{ index: number; delta: { role?: string; content?: string }; finish_reason: string | null }>;
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number } | null;
}

describe('lm-v2 answers, as the document shows them', () => {
  test('non-streaming: usage always, thinking inline in content, finish_reason "normal"', async () => {
    const res = await post({ model: 'sim-reasoner', messages: [user('what day is it')], seed: 3 });
    assert.equal(res.status, 200);
    const body = JSON.parse(res.text);
    assert.equal(body.object, 'chat.completion');
    assert.equal(body.model, 'sim-reasoner');
    assert.match(body.id, /^chatcmpl-/);
    assert.equal(typeof body.created, 'number');
    const [choice] = body.choices;
    assert.equal(choice.index, 0);
    assert.equal(choice.message.role, 'assistant');
    assert.match(choice.message.content, /^<think>[^]+<\/think>[^]+$/);
    assert.equal(choice.message.reasoning_content, undefined);
    assert.equal(choice.finish_reason, 'normal');
    assert.equal(body.usage.total_tokens, body.usage.prompt_tokens + body.usage.completion_tokens);
    assert.ok(body.usage.completion_tokens > 0);
  });

  test('finish_reason "length" at max_completion_tokens', async () => {
    const body = JSON.parse((await post({ model: 'sim-chat', messages: [user()], max_completion_tokens: 4 })).text);
    assert.equal(body.choices[0].finish_reason, 'length');
    assert.equal(body.usage.completion_tokens, 4);
  });

  test('finish_reason "stop" when a stop sequence cut the answer', async () => {
    const full = JSON.parse((await post({ model: 'sim-chat', messages: [user('plan a trip')], seed: 7 })).text);
    const content: string = full.choices[0].message.content;
    const stop = content.slice(Math.floor(content.length / 2), Math.floor(content.length / 2) + 6);
    const cut = JSON.parse((await post({ model: 'sim-chat', messages: [user('plan a trip')], seed: 7, stop: [stop] })).text);
    assert.equal(cut.choices[0].finish_reason, 'stop');
    assert.equal(cut.choices[0].message.content, content.slice(0, content.indexOf(stop)));
  });

  test('reasoning_format "separate" moves the thinking out of content on request', async () => {
    const body = JSON.parse((await post({ model: 'sim-reasoner', messages: [user()], reasoning_format: 'separate' })).text);
    assert.ok(body.choices[0].message.reasoning_content.length > 0);
    assert.doesNotMatch(body.choices[0].message.content, /<think>|<\/think>/);
  });

  test('streaming: role in every delta, no usage key without include_usage, "normal" then [DONE]', async () => {
    const res = await post({ model: 'sim-reasoner', messages: [user()], stream: true });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    const events = dataLines(res.text);
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1) as Chunk[];
    for (const chunk of chunks) {
      assert.equal(chunk.object, 'chat.completion.chunk');
      assert.equal(chunk.choices[0]?.delta.role, 'assistant');
      assert.equal('usage' in chunk, false);
    }
    assert.deepEqual(chunks[0]?.choices[0]?.delta, { role: 'assistant', content: '' });
    assert.equal(chunks[1]?.choices[0]?.delta.content, '<think>');
    assert.deepEqual(chunks.map((c) => c.choices[0]?.finish_reason).filter((r) => r !== null), ['normal']);
    assert.equal(chunks.at(-1)?.choices[0]?.finish_reason, 'normal');
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    assert.match(content, /^<think>[^]+<\/think>[^]+$/);
  });

  test('streaming with include_usage: usage null on every chunk, then a last chunk with it', async () => {
    const res = await post({ model: 'sim-chat', messages: [user()], stream: true, stream_options: { include_usage: true }, max_completion_tokens: 6 });
    const events = dataLines(res.text);
    assert.equal(events.at(-1), '[DONE]');
    const chunks = events.slice(0, -1) as Chunk[];
    const last = chunks.at(-1) as Chunk;
    assert.deepEqual(last.choices, []);
    assert.deepEqual(last.usage, { prompt_tokens: last.usage?.prompt_tokens, completion_tokens: 6, total_tokens: (last.usage?.prompt_tokens ?? 0) + 6, completion_tokens_details: { reasoning_tokens: 0 } });
    for (const chunk of chunks.slice(0, -1)) assert.equal(chunk.usage, null);
    assert.equal(chunks.at(-2)?.choices[0]?.finish_reason, 'length');
  });

  test('a failure before the first token is an HTTP error in OpenAI\'s shape', async () => {
    const res = await post({ model: 'sim-chat', messages: [user()], stream: true, sim: { fault: 'rate_limited' } });
    assert.equal(res.status, 429);
    assert.equal(JSON.parse(res.text).error.code, 'rate_limit_exceeded');
  });

  test('a failure mid-stream ends with an error event, never [DONE]', async () => {
    const res = await post({ model: 'sim-chat', messages: [user()], stream: true, sim: { fault: 'error_mid_stream' } });
    const events = dataLines(res.text);
    assert.notEqual(events.at(-1), '[DONE]');
    assert.equal((events.at(-1) as { error: { code: string } }).error.code, 'simulated_error');
  });

  test('unknown model: 404 model_not_found naming "model"', async () => {
    const res = await post({ model: 'nope', messages: [user()] });
    assert.equal(res.status, 404);
    assert.equal(JSON.parse(res.text).error.param, 'model');
  });

  test('GET is a 405 with Allow: POST', async () => {
    const res = await fetch(`${server.url}/lm/v2/chat/completions`);
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
  });
});

test('the official openai SDK works against /lm/v2, streaming and not', async () => {
  const { default: OpenAI } = await import('openai');
  const client = new OpenAI({ baseURL: `${server.url}/lm/v2`, apiKey: 'unused', maxRetries: 0 });
  const messages = [{ role: 'user' as const, content: 'hi' }];
  const answer = await client.chat.completions.create({ model: 'sim-chat', messages, max_completion_tokens: 3 });
  assert.equal(answer.choices[0]?.finish_reason, 'length');
  const stream = await client.chat.completions.create({ model: 'sim-chat', messages, stream: true, stream_options: { include_usage: true } });
  let content = '';
  let reason: string | null | undefined;
  let usage: unknown;
  for await (const chunk of stream) {
    content += chunk.choices[0]?.delta.content ?? '';
    reason = chunk.choices[0]?.finish_reason ?? reason;
    usage = chunk.usage ?? usage;
  }
  assert.ok(content.length > 0);
  assert.equal(reason, 'normal');
  assert.ok(usage);
  await assert.rejects(client.chat.completions.create({ model: 'sim-chat', messages, temperature: 0 }), (err: { status?: number; param?: string }) => err.status === 400 && err.param === 'temperature');
});
