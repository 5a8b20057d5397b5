/**
 * Function calling end to end: the official `openai` SDK → streamgate → a fake
 * OpenAI-compatible and a fake Anthropic upstream (real HTTP servers replaying recorded
 * tool-call streams, cut into odd byte chunks). The SDK's stream helper assembles the calls
 * and fails on a wrong chunk shape; the fake upstreams record what streamgate sent them.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../server.js';
import { startFakeUpstream, type FakeUpstream } from './test-support/fake-upstream.js';

type Params = Omit<OpenAI.Chat.Completions.ChatCompletionCreateParamsStreaming, 'stream'>;
type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

const fixture = (path: string) => readFileSync(new URL(`./${path}`, import.meta.url), 'utf8');
const OPENAI_TOOLS = fixture('openai/__fixtures__/openai-parallel-tool-calls.sse');
const CLAUDE_TOOLS = fixture('anthropic/__fixtures__/claude-tool-use.sse');

const TOOLS: OpenAI.Chat.Completions.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather in a city',
      parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string', enum: ['c', 'f'] } }, required: ['city', 'unit'], additionalProperties: false },
      // strict: the SDK's stream helper JSON-parses the finished arguments.
      strict: true,
    },
  },
  { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } } } },
  { type: 'function', function: { name: 'list_alerts' } },
];

const ASK: Message[] = [{ role: 'user', content: 'Weather and time in Tokyo?' }];

/** A conversation that already went through one round of calls. */
const FOLLOW_UP: Message[] = [
  ...ASK,
  {
    role: 'assistant',
    content: null,
    tool_calls: [
      { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"東京","unit":"c"}' } },
      { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{"tz":"Asia/Tokyo"}' } },
    ],
  },
  { role: 'tool', tool_call_id: 'call_1', content: '18°C, clear' },
  { role: 'tool', tool_call_id: 'call_2', content: '09:00' },
  { role: 'user', content: 'And tomorrow?' },
];

const OPENAI_CALLS = [
  { id: 'call_kX3pQ9mZ2tRb', type: 'function', function: { name: 'get_weather', arguments: '{"city": "東京", "unit": "c"}' } },
  { id: 'call_Vb7nW1yH4sLe', type: 'function', function: { name: 'get_time', arguments: '{"tz": "Asia/Tokyo"}' } },
];

const CLAUDE_CALLS = [
  { id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '{"city": "東京", "unit": "c"}' } },
  { id: 'toolu_01Bq7Hc5Lx2mW9pYd4RsKe3F', type: 'function', function: { name: 'get_time', arguments: '{"tz": "Asia/Tokyo"}' } },
  { id: 'toolu_01Nz4Wk8Dr6Qt1Gv3Hm5Yp9J', type: 'function', function: { name: 'list_alerts', arguments: '{}' } },
];

let gateway: RunningServer;
let client: OpenAI;
let openaiUp: FakeUpstream;
let claudeUp: FakeUpstream;

before(async () => {
  openaiUp = await startFakeUpstream([{ sse: OPENAI_TOOLS, chunkBytes: 7 }]);
  claudeUp = await startFakeUpstream([{ sse: CLAUDE_TOOLS, chunkBytes: 5 }]);
  gateway = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: {
      dataDir: mkdtempSync(join(tmpdir(), 'sg-tools-')),
      providers: [
        { id: 'oai', type: 'openai', baseURL: `${openaiUp.url}/v1`, apiKey: 'sk-up', maxRetries: 0 },
        { id: 'claude', type: 'anthropic', baseURL: claudeUp.url, apiKey: 'sk-ant-up', maxRetries: 0 },
      ],
      models: [
        { name: 'gpt', provider: 'oai', model: 'gpt-4o' },
        { name: 'claude', provider: 'claude', model: 'claude-sonnet-4-5' },
      ],
      simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
    },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});

after(async () => {
  await gateway.close();
  await openaiUp.close();
  await claudeUp.close();
});

/** Streams with the SDK's helper, which assembles the calls and checks every chunk's shape. */
async function streamCalls(params: Params) {
  const stream = client.chat.completions.stream({ ...params, stream: true });
  const done: Array<{ name: string; index: number; parsed: unknown }> = [];
  stream.on('tool_calls.function.arguments.done', (e) => done.push({ name: e.name, index: e.index, parsed: e.parsed_arguments }));
  const completion = await stream.finalChatCompletion();
  return { completion, done };
}

const plainCalls = (calls: OpenAI.Chat.Completions.ChatCompletionMessageToolCall[] | undefined) =>
  calls?.map((c) => (c.type === 'function' ? { id: c.id, type: c.type, function: { name: c.function.name, arguments: c.function.arguments } } : c));

describe('tool calls from an OpenAI-compatible upstream', () => {
  it('streams parallel calls that the SDK assembles, and passes tools, tool_choice and parallel_tool_calls upstream', async () => {
    const { completion, done } = await streamCalls({ model: 'gpt', messages: ASK, tools: TOOLS, tool_choice: 'auto', parallel_tool_calls: true });
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.deepEqual(plainCalls(choice.message.tool_calls), OPENAI_CALLS);
    assert.deepEqual(done[0], { name: 'get_weather', index: 0, parsed: { city: '東京', unit: 'c' } });
    assert.deepEqual(done.map((d) => d.name), ['get_weather', 'get_time']);

    const sent = openaiUp.requests.at(-1)!.body;
    assert.deepEqual(sent.tools, TOOLS);
    assert.equal(sent.tool_choice, 'auto');
    assert.equal(sent.parallel_tool_calls, true);
  });

  it('answers a non-streaming request with message.tool_calls and null content', async () => {
    const completion = await client.chat.completions.create({ model: 'gpt', messages: ASK, tools: TOOLS, tool_choice: { type: 'function', function: { name: 'get_weather' } } });
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, null);
    assert.deepEqual(plainCalls(choice.message.tool_calls), OPENAI_CALLS);
    assert.deepEqual(openaiUp.requests.at(-1)!.body.tool_choice, { type: 'function', function: { name: 'get_weather' } });
  });

  it('sends the calls and their results of earlier turns upstream as they came', async () => {
    await client.chat.completions.create({ model: 'gpt', messages: FOLLOW_UP, tools: TOOLS });
    assert.deepEqual(openaiUp.requests.at(-1)!.body.messages, FOLLOW_UP);
  });

  it('sends tool_choice and parallel_tool_calls only with tools, which OpenAI requires', async () => {
    await client.chat.completions.create({ model: 'gpt', messages: ASK, tool_choice: 'none', parallel_tool_calls: false });
    const sent = openaiUp.requests.at(-1)!.body;
    assert.deepEqual([sent.tools, sent.tool_choice, sent.parallel_tool_calls], [undefined, undefined, undefined]);
  });

  it('writes delta.tool_calls in exactly OpenAI\'s shape', async () => {
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt', messages: ASK, tools: TOOLS, stream: true }),
    });
    const deltas = (await res.text())
      .split('\n')
      .filter((line) => line.startsWith('data: {'))
      .map((line) => JSON.parse(line.slice(6)).choices[0]);
    assert.deepEqual(deltas.map((c) => c.delta), [
      { role: 'assistant', content: '' },
      { tool_calls: [{ index: 0, id: 'call_kX3pQ9mZ2tRb', type: 'function', function: { name: 'get_weather', arguments: '' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '{"ci' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 'ty": "東' } }] },
      { tool_calls: [{ index: 0, function: { arguments: '京", "uni' } }] },
      { tool_calls: [{ index: 0, function: { arguments: 't": "c"}' } }] },
      { tool_calls: [{ index: 1, id: 'call_Vb7nW1yH4sLe', type: 'function', function: { name: 'get_time', arguments: '' } }] },
      { tool_calls: [{ index: 1, function: { arguments: '{"tz"' } }] },
      { tool_calls: [{ index: 1, function: { arguments: ': "Asia/' } }] },
      { tool_calls: [{ index: 1, function: { arguments: 'Tokyo"}' } }] },
      {},
    ]);
    assert.deepEqual(deltas.map((c) => c.finish_reason), [...Array(10).fill(null), 'tool_calls']);
  });
});

describe('tool calls from an Anthropic upstream', () => {
  it('streams text then tool_use blocks as OpenAI tool calls, a tool without input as "{}"', async () => {
    const { completion, done } = await streamCalls({ model: 'claude', messages: ASK, tools: TOOLS });
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, "I'll look up the weather in Tokyo and the time there.");
    assert.deepEqual(plainCalls(choice.message.tool_calls), CLAUDE_CALLS);
    assert.deepEqual(done.map((d) => [d.index, d.name]), [[0, 'get_weather'], [1, 'get_time'], [2, 'list_alerts']]);
    assert.deepEqual(done[0]?.parsed, { city: '東京', unit: 'c' });
  });

  it('answers a non-streaming request with message.tool_calls', async () => {
    const completion = await client.chat.completions.create({ model: 'claude', messages: ASK, tools: TOOLS });
    const choice = completion.choices[0]!;
    assert.equal(choice.finish_reason, 'tool_calls');
    assert.equal(choice.message.content, "I'll look up the weather in Tokyo and the time there.");
    assert.deepEqual(plainCalls(choice.message.tool_calls), CLAUDE_CALLS);
  });

  it('sends Anthropic its tools, tool_choice, tool_use and tool_result blocks', async () => {
    await client.chat.completions.create({ model: 'claude', messages: FOLLOW_UP, tools: TOOLS, tool_choice: 'required', parallel_tool_calls: false });
    const sent = claudeUp.requests.at(-1)!.body;
    assert.deepEqual(sent.tools, [
      { name: 'get_weather', description: 'Current weather in a city', input_schema: TOOLS[0]!.type === 'function' ? TOOLS[0]!.function.parameters : null },
      { name: 'get_time', input_schema: { type: 'object', properties: { tz: { type: 'string' } } } },
      { name: 'list_alerts', input_schema: { type: 'object' } },
    ]);
    assert.deepEqual(sent.tool_choice, { type: 'any', disable_parallel_tool_use: true });
    assert.deepEqual(sent.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Weather and time in Tokyo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: '東京', unit: 'c' } },
          { type: 'tool_use', id: 'call_2', name: 'get_time', input: { tz: 'Asia/Tokyo' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18°C, clear' },
          { type: 'tool_result', tool_use_id: 'call_2', content: '09:00' },
          { type: 'text', text: 'And tomorrow?' },
        ],
      },
    ]);
  });

  it('refuses with a 400 naming the field an earlier call whose arguments are not a JSON object', async () => {
    const before = claudeUp.requests.length;
    const messages: Message[] = [...ASK, { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_time', arguments: 'tz=UTC' } }] }, { role: 'tool', tool_call_id: 'call_1', content: 'x' }];
    await assert.rejects(client.chat.completions.create({ model: 'claude', messages, tools: TOOLS }), (err: unknown) => {
      assert.ok(err instanceof OpenAI.BadRequestError);
      assert.equal(err.param, 'messages[1].tool_calls[0].function.arguments');
      return true;
    });
    assert.equal(claudeUp.requests.length, before, 'nothing sent upstream');
  });
});

describe('tool request validation', () => {
  const post = async (body: object) => {
    const res = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'gpt', ...body }) });
    return { status: res.status, error: ((await res.json()) as { error: { message: string; param: string | null } }).error };
  };
  const fn = (name: string) => ({ type: 'function', function: { name } });

  const cases: Array<[string, object, string, RegExp]> = [
    ['a tool of another type', { messages: ASK, tools: [{ type: 'custom', custom: { name: 'x' } }] }, 'tools[0].type', /"function"/],
    ['a tool without a function', { messages: ASK, tools: [{ type: 'function' }] }, 'tools[0].function', /Missing required parameter/],
    ['a bad function name', { messages: ASK, tools: [fn('get weather!')] }, 'tools[0].function.name', /letters, digits, underscores or dashes/],
    ['parameters that are not an object', { messages: ASK, tools: [{ type: 'function', function: { name: 'f', parameters: 'x' } }] }, 'tools[0].function.parameters', /JSON Schema object/],
    ['tools that are not an array', { messages: ASK, tools: {} }, 'tools', /array of tools/],
    ['an unknown tool_choice', { messages: ASK, tools: [fn('f')], tool_choice: 'any' }, 'tool_choice', /"none", "auto", "required"/],
    ['tool_choice without tools', { messages: ASK, tool_choice: 'required' }, 'tool_choice', /only allowed when 'tools' are given/],
    ['tool_choice naming an unknown function', { messages: ASK, tools: [fn('f')], tool_choice: fn('g') }, 'tool_choice.function.name', /not one of the functions/],
    ['parallel_tool_calls that is not a boolean', { messages: ASK, parallel_tool_calls: 'yes' }, 'parallel_tool_calls', /boolean/],
    ['a tool message without tool_call_id', { messages: [...ASK, { role: 'tool', content: 'x' }] }, 'messages[1].tool_call_id', /must be set to the id of the tool call/],
    ['an assistant message without content or tool_calls', { messages: [...ASK, { role: 'assistant' }] }, 'messages[1].content', /unless an assistant message has tool_calls/],
    ['tool_calls on a user message', { messages: [{ role: 'user', content: 'x', tool_calls: [] }] }, 'messages[0].tool_calls', /only be set on assistant messages/],
    ['a tool call without id', { messages: [...ASK, { role: 'assistant', content: null, tool_calls: [{ type: 'function', function: { name: 'f', arguments: '{}' } }] }] }, 'messages[1].tool_calls[0].id', /Missing required parameter/],
    ['tool call arguments that are not a string', { messages: [...ASK, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: { a: 1 } } }] }] }, 'messages[1].tool_calls[0].function.arguments', /JSON text of the arguments/],
  ];
  for (const [name, body, param, message] of cases) {
    it(`refuses ${name} with a 400 naming ${param}`, async () => {
      const { status, error } = await post(body);
      assert.equal(status, 400);
      assert.equal(error.param, param);
      assert.match(error.message, message);
    });
  }

  it('takes an assistant message with tool_calls and no content at all, and the simulator answers tool_choice auto in prose', async () => {
    const messages = [...FOLLOW_UP.slice(0, 1), { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: '{}' } }] }, { role: 'tool', tool_call_id: 'c1', content: 'ok' }, { role: 'user', content: 'hi' }];
    const res = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim-chat', messages, tools: [fn('f')], tool_choice: 'auto', max_tokens: 5 }),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as OpenAI.Chat.Completions.ChatCompletion;
    assert.equal(typeof body.choices[0]?.message.content, 'string');
    assert.equal(body.choices[0]?.message.tool_calls, undefined);
  });
});
