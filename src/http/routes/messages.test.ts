/**
 * `/v1/messages` through the official `@anthropic-ai/sdk` (`messages.create`,
 * `messages.stream`, `finalMessage()`, `countTokens`) against the simulator, a fake
 * OpenAI-compatible upstream (tool calls, reasoning) and a fake Anthropic upstream that
 * Claude's requests and events go through unchanged; the raw wire checked against a
 * fixture written from Anthropic's API reference.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import Anthropic from '@anthropic-ai/sdk';
import { startServer, type RunningServer } from '../../server.js';
import { startFakeUpstream, type FakeUpstream } from '../../providers/test-support/fake-upstream.js';
import { readSse } from '../../test-support/sse-reader.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';
import { anthropicError } from '../../encoders/anthropic-errors.js';
import { GatewayError } from '../../core/errors.js';

const providerFixture = (path: string) => readFileSync(new URL(`../../providers/${path}`, import.meta.url), 'utf8');
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
const DEEPSEEK = providerFixture('openai/__fixtures__/deepseek-reasoning-content.sse');
const OPENAI_TOOLS = providerFixture('openai/__fixtures__/openai-parallel-tool-calls.sse');
const CLAUDE_THINKING = providerFixture('anthropic/__fixtures__/claude-thinking.sse');
const CLAUDE_OVERLOADED = providerFixture('anthropic/__fixtures__/claude-overloaded-mid-stream.sse');

const TOOLS: Anthropic.Tool[] = [
  { name: 'get_weather', description: 'Current weather', input_schema: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } } } },
  { name: 'get_time', input_schema: { type: 'object', properties: { tz: { type: 'string' } } } },
];

let gateway: RunningServer;
let client: Anthropic;
let oai: FakeUpstream;
let claude: FakeUpstream;
const data = tempDataDir('sg-messages-');
const KEY = 'claude-code-key-1';

before(async () => {
  oai = await startFakeUpstream([{ sse: DEEPSEEK, chunkBytes: 9 }]);
  claude = await startFakeUpstream([{ sse: CLAUDE_THINKING, chunkBytes: 10 }]);
  gateway = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: {
      dataDir: data.dir,
      heartbeatMs: 100,
      // Far longer than any test: a run that stops when its client leaves did not wait for it.
      streams: { resumeGraceMs: 600_000 },
      auth: { keys: [{ key: KEY, name: 'cc' }, { key: 'sim-only-key-1', name: 'limited', models: ['sim-*'] }] },
      providers: [
        { id: 'oai', type: 'openai', baseURL: `${oai.url}/v1`, apiKey: 'sk-up', maxRetries: 0 },
        { id: 'claude', type: 'anthropic', baseURL: claude.url, apiKey: 'sk-ant-up', maxRetries: 0 },
      ],
      models: [
        { name: 'gpt', provider: 'oai', model: 'deepseek-reasoner' },
        { name: 'claude', provider: 'claude', model: 'claude-sonnet-4-5-20250929', aliases: ['claude-sonnet-*', 'claude-opus-*'] },
        { name: 'fast', provider: 'oai', model: 'small', aliases: ['claude-3-5-haiku-*', 'claude-haiku-*'] },
      ],
      simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
    },
  });
  client = new Anthropic({ baseURL: gateway.url, apiKey: KEY, maxRetries: 0 });
});

after(async () => {
  await gateway.close();
  await oai.close();
  await claude.close();
  data.remove();
});

const ASK: Anthropic.MessageParam[] = [{ role: 'user', content: '9.11 and 9.8, which is greater?' }];

async function rawStream(body: Record<string, unknown>, headers: Record<string, string> = { 'x-api-key': KEY, 'anthropic-version': '2023-06-01' }) {
  const read = await readSse(`${gateway.url}/v1/messages`, { headers, body: { max_tokens: 1024, ...body, stream: true } });
  return { read, events: read.events.map((e) => ({ name: e.event, data: JSON.parse(e.data) as Record<string, any> })) };
}

describe('POST /v1/messages for any model', () => {
  it('answers the simulator with thinking and text blocks (create and stream → finalMessage)', async () => {
    const message = await client.messages.create({ model: 'sim-reasoner', max_tokens: 4000, messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(message.type, 'message');
    assert.equal(message.role, 'assistant');
    assert.deepEqual(message.content.map((b) => b.type), ['thinking', 'text']);
    assert.equal(message.stop_reason, 'end_turn');
    assert.ok(message.usage.output_tokens > 0 && message.usage.input_tokens > 0);
    const stream = client.messages.stream({ model: 'sim-reasoner', max_tokens: 4000, system: [{ type: 'text', text: 'Be brief.' }], messages: [{ role: 'user', content: 'hello' }] });
    let thinking = '';
    stream.on('thinking', (delta) => (thinking += delta));
    const final = await stream.finalMessage();
    assert.deepEqual(final.content.map((b) => b.type), ['thinking', 'text']);
    assert.equal((final.content[0] as Anthropic.ThinkingBlock).thinking, thinking);
    assert.ok((final.content[1] as Anthropic.TextBlock).text.length > 0);
  });

  it('streams the event sequence of the API reference from an OpenAI-compatible reasoning model, without id: lines', async () => {
    oai.script([{ sse: DEEPSEEK, chunkBytes: 9 }]);
    const { read, events } = await rawStream({ model: 'gpt', messages: ASK });
    const spec = fixture('messages-thinking-text.events.json');
    assert.equal(read.status, 200);
    assert.doesNotMatch(read.raw, /^id:/m);
    const kinds = events.filter((e) => e.name !== 'ping').map((e) => {
      assert.equal(e.name, e.data.type);
      if (e.data.type === 'content_block_start') return `content_block_start:${e.data.content_block.type}`;
      if (e.data.type === 'content_block_delta') return `content_block_delta:${e.data.delta.type}`;
      return e.data.type as string;
    });
    assert.deepEqual(kinds.filter((k, i) => !(k.startsWith('content_block_delta') && kinds[i - 1] === k)), spec.order);
    for (const e of events) for (const key of spec.required[e.data.type] ?? []) assert.ok(key in e.data, `${e.data.type} has ${key}`);
    for (const key of spec.message_required) assert.ok(key in events.find((e) => e.name === 'message_start')!.data.message, `message has ${key}`);
    const end = events.find((e) => e.data.type === 'message_delta')!.data;
    assert.equal(end.delta.stop_reason, 'end_turn');
    assert.equal(typeof end.usage.output_tokens, 'number');
  });

  it('makes tool_use blocks of OpenAI tool calls, and sends tool_result blocks back as tool messages', async () => {
    oai.script([{ sse: OPENAI_TOOLS, chunkBytes: 7 }]);
    const stream = client.messages.stream({ model: 'gpt', max_tokens: 1024, messages: [{ role: 'user', content: 'Weather and time in Tokyo?' }], tools: TOOLS, tool_choice: { type: 'any' } });
    const final = await stream.finalMessage();
    assert.equal(final.stop_reason, 'tool_use');
    const uses = final.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    assert.deepEqual(uses.map((u) => [u.id, u.name, u.input]), [
      ['call_kX3pQ9mZ2tRb', 'get_weather', { city: '東京', unit: 'c' }],
      ['call_Vb7nW1yH4sLe', 'get_time', { tz: 'Asia/Tokyo' }],
    ]);
    const sent = oai.requests.at(-1)!.body;
    assert.equal(sent.tool_choice, 'required');
    assert.deepEqual(sent.tools[0].function.parameters, TOOLS[0]!.input_schema);

    oai.script([{ sse: DEEPSEEK }]);
    await client.messages.create({
      model: 'gpt',
      max_tokens: 100,
      tools: TOOLS,
      messages: [
        { role: 'user', content: 'Weather?' },
        { role: 'assistant', content: [{ type: 'text', text: 'Checking.' }, { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Tokyo' } }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: '18°C' }, { type: 'text', text: 'Thanks' }] },
        // Claude Code adds context as system messages between the turns.
        { role: 'system', content: 'Today is Tuesday.' },
      ] as Anthropic.MessageParam[],
    });
    assert.deepEqual(oai.requests.at(-1)!.body.messages, [
      { role: 'user', content: 'Weather?' },
      { role: 'assistant', content: 'Checking.', tool_calls: [{ id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } }] },
      { role: 'tool', tool_call_id: 'toolu_1', content: '18°C' },
      { role: 'user', content: 'Thanks' },
      { role: 'system', content: 'Today is Tuesday.' },
    ]);
  });

  it('answers Claude Code model names through aliases', async () => {
    oai.script([{ sse: DEEPSEEK }]);
    const message = await client.messages.create({ model: 'claude-3-5-haiku-20241022', max_tokens: 100, messages: ASK });
    assert.equal(message.model, 'claude-3-5-haiku-20241022');
    assert.equal(oai.requests.at(-1)!.body.model, 'small');
  });

  it('stops the run and the upstream request when the client leaves (a Messages stream is not resumable)', async () => {
    oai.script([{ sse: DEEPSEEK, stallAfterChunks: 4 }]);
    const before = oai.requests.length;
    const read = await readSse(`${gateway.url}/v1/messages`, { headers: { 'x-api-key': KEY }, body: { model: 'gpt', max_tokens: 100, stream: true, messages: ASK }, dropWhen: (e) => e.event === 'content_block_delta' });
    assert.ok(read.dropped);
    assert.equal(oai.requests.length, before + 1);
    // Resolves only when streamgate closed its upstream connection: nothing waits for a resume.
    await oai.requests.at(-1)!.disconnected;
  });

  it('sends Anthropic pings while the model is quiet', async () => {
    const { read } = await rawStream({ model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }], sim: { first_token_ms: 450 } });
    assert.match(read.raw, /^event: ping\ndata: \{"type": "ping"\}\n\n/m);
    assert.doesNotMatch(read.raw, /^: ping/m);
  });

  it('counts tokens with an estimate for models that have no count endpoint, and says so', async () => {
    const res = await fetch(`${gateway.url}/v1/messages/count_tokens`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'hello world, how are you' }] }) });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('x-streamgate-token-count'), 'estimated');
    const body = (await res.json()) as { input_tokens: number };
    assert.ok(body.input_tokens > 5);
    const sdk = await client.messages.countTokens({ model: 'sim-chat', messages: [{ role: 'user', content: 'hello world, how are you' }] });
    assert.equal(sdk.input_tokens, body.input_tokens);
  });
});

describe('errors in Anthropic shape, as the SDK typed errors', () => {
  const statusOf = async (promise: Promise<unknown>, type: new (...args: any[]) => Error) => {
    try {
      await promise;
    } catch (err) {
      assert.ok(err instanceof type, `expected ${type.name}, got ${(err as Error).constructor.name}: ${(err as Error).message}`);
      const e = err as InstanceType<typeof Anthropic.APIError>;
      assert.equal((e.error as any).type, 'error');
      return e;
    }
    assert.fail('no error');
  };

  it('401, 403, 404, 400, 429 with retry-after; Authorization: Bearer works too', async () => {
    const wrong = new Anthropic({ baseURL: gateway.url, apiKey: 'wrong-key-000', maxRetries: 0 });
    const e401 = await statusOf(wrong.messages.create({ model: 'sim-chat', max_tokens: 5, messages: ASK }), Anthropic.AuthenticationError);
    assert.equal((e401.error as any).error.type, 'authentication_error');
    const limited = new Anthropic({ baseURL: gateway.url, authToken: 'sim-only-key-1', apiKey: null, maxRetries: 0 });
    assert.equal((await limited.messages.create({ model: 'sim-chat', max_tokens: 5, messages: ASK })).type, 'message', 'Authorization: Bearer works too');
    const e403 = await statusOf(limited.messages.create({ model: 'gpt', max_tokens: 5, messages: ASK }), Anthropic.PermissionDeniedError);
    assert.equal((e403.error as any).error.type, 'permission_error');
    const e404 = await statusOf(client.messages.create({ model: 'no-such-model', max_tokens: 5, messages: ASK }), Anthropic.NotFoundError);
    assert.equal((e404.error as any).error.type, 'not_found_error');
    const e400 = await statusOf(client.messages.create({ model: 'sim-chat', messages: ASK } as any), Anthropic.BadRequestError);
    assert.match((e400.error as any).error.message, /max_tokens/);
    await statusOf(client.messages.create({ model: 'sim-chat', max_tokens: 5, messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } }] }] }), Anthropic.BadRequestError);
    const e429 = await statusOf(client.messages.create({ model: 'sim-chat', max_tokens: 5, messages: ASK, sim: { fault: 'rate_limited' } } as any), Anthropic.RateLimitError);
    assert.equal((e429.error as any).error.type, 'rate_limit_error');
    assert.equal(e429.headers?.get('retry-after'), '1');
  });

  it('a failure mid-stream is an event: error the SDK throws, never a clean end', async () => {
    const { events } = await rawStream({ model: 'sim-chat', messages: [{ role: 'user', content: 'tell me about Beijing' }], sim: { fault: 'error_mid_stream' } });
    assert.equal(events.at(-1)!.name, 'error');
    assert.equal(events.at(-1)!.data.error.type, 'api_error');
    assert.ok(!events.some((e) => e.name === 'message_stop'));
    const stream = client.messages.stream({ model: 'sim-chat', max_tokens: 100, messages: ASK, sim: { fault: 'error_mid_stream' } } as any);
    await assert.rejects(stream.finalMessage(), Anthropic.APIError);
  });

  it('maps statuses as Anthropic does (503 → 529 overloaded_error)', () => {
    assert.deepEqual(anthropicError(new GatewayError(503, 'x', 'busy')), { status: 529, body: { type: 'error', error: { type: 'overloaded_error', message: 'busy' } } });
    assert.equal(anthropicError(new GatewayError(413, 'x', 'big')).body.error.type, 'request_too_large');
    assert.equal(anthropicError(new GatewayError(502, 'x', 'bad')).body.error.type, 'api_error');
  });
});

describe('Claude behind /v1/messages loses nothing', () => {
  it('relays the request as the client wrote it and the events as Claude sent them, signatures included', async () => {
    claude.script([{ sse: CLAUDE_THINKING, chunkBytes: 10 }]);
    const body = {
      model: 'claude-sonnet-4-5',
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      system: [{ type: 'text', text: 'You compare numbers.', cache_control: { type: 'ephemeral' } }],
      messages: ASK,
      some_future_field: { keep: true },
    };
    const { events } = await rawStream(body, { 'x-api-key': KEY, 'anthropic-version': '2023-06-01', 'anthropic-beta': 'interleaved-thinking-2025-05-14' });
    const upstreamData = [...CLAUDE_THINKING.matchAll(/^data: (.*)$/gm)].map((m) => m[1]);
    assert.deepEqual(events.map((e) => JSON.stringify(e.data)), upstreamData.map((d) => JSON.stringify(JSON.parse(d!))));
    const sent = claude.requests.at(-1)!;
    assert.deepEqual(sent.body, { ...body, model: 'claude-sonnet-4-5-20250929', stream: true });
    assert.equal(sent.headers['anthropic-beta'], 'interleaved-thinking-2025-05-14');
    assert.equal(sent.headers['x-api-key'], 'sk-ant-up');

    claude.script([{ sse: CLAUDE_THINKING }]);
    const final = await client.messages.stream({ model: 'claude', max_tokens: 2048, messages: ASK, thinking: { type: 'enabled', budget_tokens: 1024 } }).finalMessage();
    assert.equal((final.content[0] as Anthropic.ThinkingBlock).signature, 'EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxBdjrkzLoky3dl1pkiMOYds0ZaSKzMBxnKb1C6yPR0ZJeGAh8SVvQBCkI8pEwUFA==');
  });

  it('passes a non-streaming answer and count_tokens through, and Claude mid-stream overload as its error event', async () => {
    const answer = { id: 'msg_1', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929', content: [{ type: 'text', text: 'Hi' }], stop_reason: 'end_turn', stop_sequence: null, usage: { input_tokens: 3, output_tokens: 1, cache_read_input_tokens: 0 } };
    claude.script([{ body: answer }]);
    assert.deepEqual(await client.messages.create({ model: 'claude', max_tokens: 10, messages: ASK }), answer);
    claude.script([{ body: { input_tokens: 42 } }]);
    const res = await fetch(`${gateway.url}/v1/messages/count_tokens`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': KEY }, body: JSON.stringify({ model: 'claude', messages: ASK }) });
    assert.deepEqual(await res.json(), { input_tokens: 42 });
    assert.equal(res.headers.get('x-streamgate-token-count'), null);
    assert.equal(claude.requests.at(-1)!.path, '/v1/messages/count_tokens');

    claude.script([{ sse: CLAUDE_OVERLOADED }]);
    await assert.rejects(client.messages.stream({ model: 'claude', max_tokens: 10, messages: ASK }).finalMessage(), (err: unknown) => err instanceof Anthropic.APIError && /Overloaded/.test(err.message));
  });
});
