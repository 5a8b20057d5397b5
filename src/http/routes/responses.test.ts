/**
 * `/v1/responses` through the official `openai` SDK (`responses.create`, `responses.stream`,
 * `retrieve`, `cancel`, `delete`) against the simulator and fake OpenAI-compatible and
 * Anthropic upstreams (real HTTP servers replaying recorded streams), and the raw wire
 * checked against fixtures written from OpenAI's API reference.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../../server.js';
import { startFakeUpstream, type FakeUpstream } from '../../providers/test-support/fake-upstream.js';
import { readSse } from '../../test-support/sse-reader.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';
import { openReasoning } from '../../encoders/reasoning-seal.js';

const providerFixture = (path: string) => readFileSync(new URL(`../../providers/${path}`, import.meta.url), 'utf8');
const fixture = (name: string) => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8'));
const DEEPSEEK = providerFixture('openai/__fixtures__/deepseek-reasoning-content.sse');
const OPENAI_TOOLS = providerFixture('openai/__fixtures__/openai-parallel-tool-calls.sse');
const OPENAI_PLAIN = providerFixture('openai/__fixtures__/openai-plain.sse');
const CLAUDE_TOOLS = providerFixture('anthropic/__fixtures__/claude-tool-use.sse');

/** A chat-completions stream in which the model calls `apply_patch` (offered as a one-string function). */
const PATCH = '*** Begin Patch\n*** Add File: hello.txt\n+hi\n*** End Patch';
const APPLY_PATCH_SSE = [
  { choices: [{ index: 0, delta: { role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_patch1', type: 'function', function: { name: 'apply_patch', arguments: '' } }] }, finish_reason: null }] },
  { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: JSON.stringify({ input: PATCH }).slice(0, 20) } }] }, finish_reason: null }] },
  { choices: [{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: JSON.stringify({ input: PATCH }).slice(20) } }] }, finish_reason: null }] },
  { choices: [{ index: 0, delta: {}, finish_reason: 'tool_calls' }] },
].map((chunk) => `data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'gpt-5', ...chunk })}\n\n`).join('') + 'data: [DONE]\n\n';

const TOOLS: OpenAI.Responses.Tool[] = [
  { type: 'function', name: 'get_weather', description: 'Current weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } } }, strict: false },
  { type: 'function', name: 'get_time', parameters: { type: 'object', properties: { tz: { type: 'string' } } }, strict: false },
  { type: 'function', name: 'list_alerts', parameters: { type: 'object', properties: {} }, strict: false },
];

let gateway: RunningServer;
let client: OpenAI;
let bob: OpenAI;
let oai: FakeUpstream;
let claude: FakeUpstream;
const data = tempDataDir('sg-responses-');

before(async () => {
  oai = await startFakeUpstream([{ sse: DEEPSEEK, chunkBytes: 9 }]);
  claude = await startFakeUpstream([{ sse: CLAUDE_TOOLS, chunkBytes: 11 }]);
  gateway = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: {
      dataDir: data.dir,
      auth: { keys: [{ key: 'alice-key-123', name: 'alice' }, { key: 'bob-key-4567', name: 'bob' }] },
      providers: [
        { id: 'oai', type: 'openai', baseURL: `${oai.url}/v1`, apiKey: 'sk-up', maxRetries: 0 },
        { id: 'claude', type: 'anthropic', baseURL: claude.url, apiKey: 'sk-ant-up', maxRetries: 0 },
      ],
      models: [
        { name: 'gpt', provider: 'oai', model: 'gpt-5' },
        { name: 'claude', provider: 'claude', model: 'claude-sonnet-4-5' },
      ],
      simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
      // Far longer than any test: a run that stops when its client leaves did not wait for it.
      streams: { resumeGraceMs: 600_000 },
    },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'alice-key-123', maxRetries: 0 });
  bob = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'bob-key-4567', maxRetries: 0 });
});

after(async () => {
  await gateway.close();
  await oai.close();
  await claude.close();
  data.remove();
});

/** Event types in order, a run of the same delta type collapsed to one. */
function collapse(types: string[]): string[] {
  return types.filter((t, i) => !(t.endsWith('.delta') && types[i - 1] === t));
}

async function rawStream(body: Record<string, unknown>) {
  const read = await readSse(`${gateway.url}/v1/responses`, { headers: { authorization: 'Bearer alice-key-123' }, body: { ...body, stream: true } });
  const events = read.events.map((e) => ({ name: e.event, id: e.id, data: JSON.parse(e.data) as Record<string, any> }));
  return { read, events };
}

function assertWire(events: Array<{ name: string | undefined; id: string | undefined; data: Record<string, any> }>, raw: string) {
  assert.doesNotMatch(raw, /^id:/m, 'no id: lines, as OpenAI sends it');
  events.forEach((e, i) => {
    assert.equal(e.name, e.data.type, 'the event: name is the type');
    assert.equal(e.data.sequence_number, i, 'sequence numbers count from 0 without gaps');
  });
}

describe('POST /v1/responses', () => {
  it('answers with the response object; the SDK reads output_text, reasoning and usage', async () => {
    const response = await client.responses.create({ model: 'sim-reasoner', input: 'hello', instructions: 'Be brief.', seed: 7 } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    assert.equal(response.object, 'response');
    assert.equal(response.status, 'completed');
    assert.match(response.id, /^resp_[0-9a-f]{32}$/);
    assert.deepEqual(response.output.map((o) => o.type), ['reasoning', 'message']);
    assert.ok(response.output_text.length > 0);
    const reasoning = response.output[0] as OpenAI.Responses.ResponseReasoningItem;
    assert.ok(reasoning.summary[0]!.text.length > 0);
    assert.equal(reasoning.encrypted_content, undefined, 'only with include');
    assert.equal(response.instructions, 'Be brief.');
    const usage = response.usage!;
    assert.equal(usage.total_tokens, usage.input_tokens + usage.output_tokens);
    assert.ok(usage.output_tokens_details.reasoning_tokens > 0);
  });

  it('streams the event sequence of the API reference: a reasoning item, then a message (OpenAI-compatible upstream with reasoning_content)', async () => {
    oai.script([{ sse: DEEPSEEK, chunkBytes: 9 }]);
    const { read, events } = await rawStream({ model: 'gpt', input: '9.11 and 9.8, which is greater?' });
    const spec = fixture('responses-reasoning-text.events.json');
    assert.equal(read.status, 200);
    assertWire(events, read.raw);
    assert.deepEqual(collapse(events.map((e) => e.data.type)), spec.order);
    for (const e of events) for (const key of spec.required[e.data.type] ?? []) assert.ok(key in e.data, `${e.data.type} has ${key}`);
    const done = events.at(-1)!.data.response;
    for (const key of spec.response_required) assert.ok(key in done, `response has ${key}`);
    for (const key of spec.usage_required) assert.ok(key in done.usage, `usage has ${key}`);
    // The deltas add up to the done texts, and those to the final output.
    const deltas = events.filter((e) => e.data.type === 'response.output_text.delta').map((e) => e.data.delta).join('');
    assert.equal(events.find((e) => e.data.type === 'response.output_text.done')!.data.text, deltas);
    assert.equal(done.output[1].content[0].text, deltas);
    assert.equal(oai.requests.at(-1)!.body.messages[0].content, '9.11 and 9.8, which is greater?');
  });

  it('streams function calls the SDK assembles, and sends tools, tool_choice and parallel_tool_calls upstream in chat form', async () => {
    oai.script([{ sse: OPENAI_TOOLS, chunkBytes: 7 }]);
    const stream = client.responses.stream({ model: 'gpt', input: 'Weather and time in Tokyo?', tools: TOOLS, tool_choice: 'auto', parallel_tool_calls: true });
    const argsDone: string[] = [];
    stream.on('response.function_call_arguments.done', (e) => argsDone.push(e.arguments));
    const response = await stream.finalResponse();
    const calls = response.output.filter((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall[];
    assert.deepEqual(calls.map((c) => [c.call_id, c.name, JSON.parse(c.arguments)]), [
      ['call_kX3pQ9mZ2tRb', 'get_weather', { city: '東京', unit: 'c' }],
      ['call_Vb7nW1yH4sLe', 'get_time', { tz: 'Asia/Tokyo' }],
    ]);
    assert.deepEqual(argsDone, calls.map((c) => c.arguments));
    const sent = oai.requests.at(-1)!.body;
    assert.deepEqual(sent.tools.map((t: any) => t.function.name), ['get_weather', 'get_time', 'list_alerts']);
    assert.equal(sent.tool_choice, 'auto');
    assert.equal(sent.parallel_tool_calls, true);
  });

  it('has the function_call event sequence of the API reference', async () => {
    oai.script([{ sse: OPENAI_TOOLS }]);
    const { read, events } = await rawStream({ model: 'gpt', input: 'Weather?', tools: TOOLS });
    const spec = fixture('responses-function-call.events.json');
    assertWire(events, read.raw);
    assert.deepEqual(collapse(events.map((e) => e.data.type)), spec.order);
    for (const e of events) for (const key of spec.required[e.data.type] ?? []) assert.ok(key in e.data, `${e.data.type} has ${key}`);
    for (const e of events.filter((x) => x.data.type === 'response.output_item.done')) for (const key of spec.item_required) assert.ok(key in e.data.item, `item has ${key}`);
  });

  it('takes function_call and function_call_output items in input and sends them upstream as tool_calls and tool messages', async () => {
    oai.script([{ sse: OPENAI_PLAIN }]);
    const response = await client.responses.create({
      model: 'gpt',
      input: [
        { role: 'user', content: 'Weather in Tokyo?' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Tokyo"}' },
        { type: 'function_call_output', call_id: 'call_1', output: '18°C' },
      ],
      tools: TOOLS,
      store: false,
    });
    assert.equal(response.status, 'completed');
    assert.deepEqual(oai.requests.at(-1)!.body.messages, [
      { role: 'user', content: 'Weather in Tokyo?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Tokyo"}' } }] },
      { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
    ]);
  });

  it('makes function_call items from Claude tool_use blocks', async () => {
    const response = await client.responses.create({ model: 'claude', input: 'Weather?', tools: TOOLS });
    const calls = response.output.filter((o) => o.type === 'function_call') as OpenAI.Responses.ResponseFunctionToolCall[];
    assert.deepEqual(calls.map((c) => c.name), ['get_weather', 'get_time', 'list_alerts']);
    assert.equal(calls[0]!.call_id, 'toolu_01T1x1fJ34qAmk2tNTrN7Up6');
    assert.deepEqual(claude.requests.at(-1)!.body.tools[0].name, 'get_weather');
  });

  it('offers a custom tool (Codex apply_patch) as a one-string function and answers with a custom_tool_call item', async () => {
    oai.script([{ sse: APPLY_PATCH_SSE, chunkBytes: 13 }]);
    const stream = client.responses.stream({ model: 'gpt', input: 'Add hello.txt', tools: [{ type: 'custom', name: 'apply_patch', description: 'Apply a patch' }], store: false, prompt_cache_key: 'k', service_tier: 'auto' } as OpenAI.Responses.ResponseCreateParamsStreaming);
    const inputs: string[] = [];
    stream.on('response.custom_tool_call_input.done', (e) => inputs.push(e.input));
    const response = await stream.finalResponse();
    const call = response.output[0] as OpenAI.Responses.ResponseCustomToolCall;
    assert.equal(call.type, 'custom_tool_call');
    assert.equal(call.name, 'apply_patch');
    assert.equal(call.input, PATCH);
    assert.equal(call.call_id, 'call_patch1');
    assert.deepEqual(inputs, [PATCH]);
    const tool = oai.requests.at(-1)!.body.tools[0];
    assert.equal(tool.function.name, 'apply_patch');
    assert.deepEqual(tool.function.parameters.required, ['input']);

    oai.script([{ sse: OPENAI_PLAIN }]);
    await client.responses.create({ model: 'gpt', input: [{ type: 'custom_tool_call', call_id: 'call_patch1', name: 'apply_patch', input: PATCH }, { type: 'custom_tool_call_output', call_id: 'call_patch1', output: 'Done' }], store: false });
    const messages = oai.requests.at(-1)!.body.messages;
    assert.equal(JSON.parse(messages[0].tool_calls[0].function.arguments).input, PATCH);
    assert.deepEqual(messages[1], { role: 'tool', tool_call_id: 'call_patch1', content: 'Done' });
  });

  it('offers namespaced tools (Codex) under one flat name and answers with the namespace; drops hosted tools it cannot run', async () => {
    const sse = APPLY_PATCH_SSE.replaceAll('"apply_patch"', '"multi_agent_v1__spawn_agent"');
    oai.script([{ sse }]);
    const tools = [
      { type: 'namespace', name: 'multi_agent_v1', description: 'Sub-agents', tools: [{ type: 'function', name: 'spawn_agent', strict: false, parameters: { type: 'object', properties: { input: { type: 'string' } } } }] },
      { type: 'web_search', external_web_access: false },
    ];
    const response = await client.responses.create({ model: 'gpt', input: 'spawn one', tools, store: false } as any);
    const call = response.output[0] as OpenAI.Responses.ResponseFunctionToolCall & { namespace?: string };
    assert.equal(call.type, 'function_call');
    assert.equal(call.name, 'spawn_agent');
    assert.equal(call.namespace, 'multi_agent_v1');
    assert.deepEqual(oai.requests.at(-1)!.body.tools.map((t: any) => t.function.name), ['multi_agent_v1__spawn_agent']);
    oai.script([{ sse: OPENAI_PLAIN }]);
    await client.responses.create({ model: 'gpt', store: false, tools, input: [{ role: 'user', content: 'spawn one' }, { ...call, id: undefined, status: undefined } as any, { type: 'function_call_output', call_id: call.call_id, output: 'spawned' }] } as any);
    assert.equal(oai.requests.at(-1)!.body.messages[1].tool_calls[0].function.name, 'multi_agent_v1__spawn_agent');
  });

  it('gives reasoning items an encrypted_content that is accepted back in input with store: false (Codex)', async () => {
    const first = await client.responses.create({ model: 'sim-reasoner', input: 'hello', store: false, include: ['reasoning.encrypted_content'] });
    const reasoning = first.output[0] as OpenAI.Responses.ResponseReasoningItem;
    assert.ok(reasoning.encrypted_content);
    assert.equal(openReasoning(reasoning.encrypted_content), reasoning.summary[0]!.text);
    oai.script([{ sse: OPENAI_PLAIN }]);
    const second = await client.responses.create({
      model: 'gpt',
      store: false,
      input: [{ role: 'user', content: 'hello' }, ...(first.output as OpenAI.Responses.ResponseInputItem[]), { role: 'user', content: 'and again' }],
    });
    assert.equal(second.status, 'completed');
    // The earlier thinking is not sent to a model that does not take it.
    assert.deepEqual(oai.requests.at(-1)!.body.messages.map((m: any) => m.role), ['user', 'assistant', 'user']);
    await assert.rejects(client.responses.retrieve(first.id), OpenAI.NotFoundError, 'store: false keeps nothing');
  });

  it('continues from previous_response_id with the kept conversation; another key gets a 404', async () => {
    oai.script([{ sse: OPENAI_PLAIN }]);
    const first = await client.responses.create({ model: 'gpt', input: 'Capital of China?' });
    assert.match(first.output_text, /^Beijing is the capital of China/);
    oai.script([{ sse: OPENAI_PLAIN }]);
    await client.responses.create({ model: 'gpt', input: 'And of Japan?', previous_response_id: first.id, instructions: 'Answer briefly.' });
    assert.deepEqual(oai.requests.at(-1)!.body.messages, [
      { role: 'system', content: 'Answer briefly.' },
      { role: 'user', content: 'Capital of China?' },
      { role: 'assistant', content: first.output_text },
      { role: 'user', content: 'And of Japan?' },
    ]);
    const kept = await client.responses.retrieve(first.id);
    assert.equal(kept.output_text, first.output_text);
    await assert.rejects(bob.responses.retrieve(first.id), OpenAI.NotFoundError);
    await assert.rejects(bob.responses.create({ model: 'gpt', input: 'x', previous_response_id: first.id }), (err: unknown) => err instanceof OpenAI.NotFoundError && (err.error as any).param === 'previous_response_id');
    await assert.rejects(bob.responses.delete(first.id), OpenAI.NotFoundError);
    await client.responses.delete(first.id);
    await assert.rejects(client.responses.retrieve(first.id), OpenAI.NotFoundError);
  });

  it('refuses what the model cannot do, naming the Responses field, as typed SDK errors', async () => {
    const format = { format: { type: 'json_schema' as const, name: 'x', schema: { type: 'object' } } };
    await assert.rejects(client.responses.create({ model: 'sim-chat', input: 'hi', text: format }), (err: unknown) => err instanceof OpenAI.BadRequestError && (err.error as any).param === 'text.format');
    await assert.rejects(client.responses.create({ model: 'sim-chat', input: 'hi', temperature: 3 }), (err: unknown) => err instanceof OpenAI.BadRequestError && (err.error as any).param === 'temperature');
    await assert.rejects(client.responses.create({ model: 'sim-chat', input: [{ role: 'user', content: [{ type: 'input_image', image_url: 'data:image/png;base64,AAAA', detail: 'auto' }] }] }), (err: unknown) => err instanceof OpenAI.BadRequestError && /cannot see images/.test((err.error as any).message));
    await assert.rejects(client.responses.create({ model: 'no-such-model', input: 'hi' }), OpenAI.NotFoundError);
    await assert.rejects(new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'wrong-key-000', maxRetries: 0 }).responses.create({ model: 'sim-chat', input: 'hi' }), OpenAI.AuthenticationError);
    // The OpenAI-compatible upstream takes a JSON schema: it gets it as response_format.
    oai.script([{ sse: OPENAI_PLAIN }]);
    await client.responses.create({ model: 'gpt', input: 'hi', text: format, store: false });
    assert.deepEqual(oai.requests.at(-1)!.body.response_format, { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } });
  });

  it('ends a stream that failed midway with response.failed, not a completion', async () => {
    const { read, events } = await rawStream({ model: 'sim-chat', input: 'tell me about Beijing', sim: { fault: 'error_mid_stream' } });
    assertWire(events, read.raw);
    const last = events.at(-1)!.data;
    assert.equal(last.type, 'response.failed');
    assert.equal(last.response.status, 'failed');
    assert.equal(last.response.error.code, 'simulated_error');
    assert.ok(!events.some((e) => e.data.type === 'response.completed'));
    const stream = client.responses.stream({ model: 'sim-chat', input: 'hi', sim: { fault: 'error_mid_stream' } } as unknown as OpenAI.Responses.ResponseCreateParamsStreaming);
    assert.equal((await stream.finalResponse()).status, 'failed');
    await assert.rejects(client.responses.create({ model: 'sim-chat', input: 'hi', sim: { fault: 'error_mid_stream' } } as OpenAI.Responses.ResponseCreateParamsNonStreaming), OpenAI.InternalServerError);
  });

  it('stops the run and the upstream request when the client of a plain stream leaves', async () => {
    oai.script([{ sse: DEEPSEEK, stallAfterChunks: 4 }]);
    const before = oai.requests.length;
    const read = await readSse(`${gateway.url}/v1/responses`, { headers: { authorization: 'Bearer alice-key-123' }, body: { model: 'gpt', input: 'hi', stream: true }, dropWhen: (e) => e.event === 'response.reasoning_summary_text.delta' });
    assert.ok(read.dropped);
    assert.equal(oai.requests.length, before + 1);
    await oai.requests.at(-1)!.disconnected;
  });

  it('stops at max_output_tokens as incomplete', async () => {
    const response = await client.responses.create({ model: 'sim-chat', input: 'tell me about Beijing', max_output_tokens: 5 });
    assert.equal(response.status, 'incomplete');
    assert.deepEqual(response.incomplete_details, { reason: 'max_output_tokens' });
    assert.equal(response.usage!.output_tokens, 5);
  });
});

describe('background responses', () => {
  const slow = { tokens_per_second: 200 };

  it('runs without the connection; GET ?stream=true&starting_after=N resumes after N; the SDK stream helper replays it whole', async () => {
    const started = await client.responses.create({ model: 'sim-chat', input: 'tell me about Beijing', background: true, seed: 3, sim: slow } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    assert.equal(started.background, true);
    assert.equal(started.status, 'in_progress');
    const whole = await client.responses.stream({ response_id: started.id }).finalResponse();
    assert.equal(whole.status, 'completed');
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of await client.responses.retrieve(started.id, { stream: true, starting_after: 4 })) events.push(event);
    assert.equal(events[0]!.sequence_number, 5);
    assert.equal(events.at(-1)!.type, 'response.completed');
    events.forEach((e, i) => assert.equal(e.sequence_number, 5 + i));
    const stored = await client.responses.retrieve(started.id);
    assert.equal(stored.status, 'completed');
    assert.equal(stored.output_text, whole.output_text);
    await assert.rejects(bob.responses.retrieve(started.id, { stream: true }), OpenAI.NotFoundError);
  });

  it('is cancelled through the hub: the run stops and the response stays cancelled', async () => {
    const started = await client.responses.create({ model: 'sim-chat', input: 'tell me about Beijing', background: true, sim: { tokens_per_second: 5 } } as OpenAI.Responses.ResponseCreateParamsNonStreaming);
    await assert.rejects(bob.responses.cancel(started.id), OpenAI.NotFoundError);
    const cancelled = await client.responses.cancel(started.id);
    assert.equal(cancelled.status, 'cancelled');
    // The run ended: following its events ends instead of waiting for more tokens.
    const events: string[] = [];
    for await (const event of await client.responses.retrieve(started.id, { stream: true })) events.push(event.type);
    assert.ok(!events.includes('response.completed'));
    for (let i = 0; i < 50 && gateway.context.streams.activeRuns > 0; i++) await sleep(20);
    assert.equal(gateway.context.streams.activeRuns, 0);
    assert.equal((await client.responses.retrieve(started.id)).status, 'cancelled');
    const plain = await client.responses.create({ model: 'sim-chat', input: 'hi' });
    await assert.rejects(client.responses.cancel(plain.id), OpenAI.BadRequestError);
  });
});
