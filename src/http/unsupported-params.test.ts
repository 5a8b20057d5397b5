/**
 * OpenAI parameters that change what the answer is (`logprobs`, `response_format` JSON,
 * audio, legacy `functions`) reach OpenAI-compatible upstreams as they are; a model that
 * would drop them (the simulator, Anthropic) answers a 400 naming the parameter.
 * Regression: `response_format: {type: "json_object"}` on sim-chat returned prose with a
 * 200, and `logprobs: true` returned `logprobs: null`: silently wrong answers.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { startFakeUpstream, type FakeUpstream } from '../providers/test-support/fake-upstream.js';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';

const OPENAI_PLAIN = readFileSync(new URL('../providers/openai/__fixtures__/openai-plain.sse', import.meta.url), 'utf8');
const CLAUDE = readFileSync(new URL('../providers/anthropic/__fixtures__/claude-stop-sequence.sse', import.meta.url), 'utf8');

const data = tempDataDir();
let server: RunningServer;
let openai: FakeUpstream;
let anthropic: FakeUpstream;
let client: OpenAI;

before(async () => {
  openai = await startFakeUpstream([{ sse: OPENAI_PLAIN }]);
  anthropic = await startFakeUpstream([{ sse: CLAUDE }]);
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: {
      dataDir: data.dir,
      simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
      providers: [
        { id: 'oa', type: 'openai', baseURL: `${openai.url}/v1`, maxRetries: 0 },
        { id: 'an', type: 'anthropic', baseURL: anthropic.url, maxRetries: 0 },
      ],
      models: [
        { name: 'gpt', provider: 'oa' },
        { name: 'gpt-or-sim', provider: 'oa', fallbacks: ['sim-chat'] },
        { name: 'claude', provider: 'an' },
      ],
    },
  });
  client = new OpenAI({ baseURL: `${server.url}/v1`, apiKey: 'k', maxRetries: 0 });
});
after(async () => {
  await server.close();
  await openai.close();
  await anthropic.close();
  data.remove();
});

const ask = [{ role: 'user' as const, content: 'hi' }];

const SHAPING: Array<{ name: string; params: Record<string, unknown>; param: string }> = [
  { name: 'logprobs: true', params: { logprobs: true }, param: 'logprobs' },
  { name: 'top_logprobs', params: { logprobs: true, top_logprobs: 3 }, param: 'logprobs' },
  { name: 'response_format json_object', params: { response_format: { type: 'json_object' } }, param: 'response_format' },
  { name: 'response_format json_schema', params: { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'object' } } } }, param: 'response_format' },
  { name: 'audio output', params: { modalities: ['text', 'audio'], audio: { voice: 'alloy', format: 'mp3' } }, param: 'modalities' },
  { name: 'legacy functions', params: { functions: [{ name: 'f', parameters: { type: 'object' } }] }, param: 'functions' },
];

describe('models that would drop them answer 400 unsupported_parameter', () => {
  for (const model of ['sim-chat', 'sim-reasoner', 'claude']) {
    for (const c of SHAPING) {
      for (const stream of [false, true]) {
        test(`${model}, ${c.name}${stream ? ', streaming' : ''}`, async () => {
          const err = await client.chat.completions.create({ model, messages: ask, stream, ...c.params } as never).then(
            () => undefined,
            (e: unknown) => e,
          );
          assert.ok(err instanceof OpenAI.BadRequestError, String(err));
          const body = err.error as { code: string; param: string; message: string };
          assert.equal(body.code, 'unsupported_parameter');
          assert.equal(body.param, c.param);
          assert.match(body.message, new RegExp(`'${c.param}'.*'${model}'`));
        });
      }
    }
  }
});

describe('harmless values and hints are accepted everywhere', () => {
  for (const params of [{ logprobs: false }, { response_format: { type: 'text' } }, { modalities: ['text'] }, { reasoning_effort: 'low' }, { metadata: { a: 'b' } }, { store: false }]) {
    test(`sim-chat with ${JSON.stringify(params)}`, async () => {
      const answer = await client.chat.completions.create({ model: 'sim-chat', messages: ask, max_tokens: 3, ...params } as never);
      assert.equal((answer as OpenAI.Chat.Completions.ChatCompletion).choices.length, 1);
    });
  }
});

test('an OpenAI-compatible upstream gets them as they are', async () => {
  await client.chat.completions.create({ model: 'gpt', messages: ask, logprobs: true, top_logprobs: 2, response_format: { type: 'json_object' } });
  const sent = openai.requests.at(-1)!.body;
  assert.deepEqual([sent.logprobs, sent.top_logprobs, sent.response_format], [true, 2, { type: 'json_object' }]);
});

test('a response_format type that does not exist is a 400 naming the field', async () => {
  const err = await client.chat.completions.create({ model: 'gpt', messages: ask, response_format: { type: 'yaml' } } as never).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof OpenAI.BadRequestError, String(err));
  assert.equal((err.error as { param: string }).param, 'response_format.type');
});

describe('a demanded tool call', () => {
  const tools = [{ type: 'function' as const, function: { name: 'get_weather', parameters: { type: 'object' } } }];
  for (const tool_choice of ['required', { type: 'function', function: { name: 'get_weather' } }] as const) {
    test(`tool_choice ${JSON.stringify(tool_choice)} on sim-chat is a 400 (it answered prose with finish_reason stop)`, async () => {
      const err = await client.chat.completions.create({ model: 'sim-chat', messages: ask, tools, tool_choice } as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(err instanceof OpenAI.BadRequestError, String(err));
      assert.deepEqual([(err.error as { code: string }).code, (err.error as { param: string }).param], ['unsupported_parameter', 'tool_choice']);
    });
  }
  test('tool_choice auto on sim-chat is answered (the model may answer in prose)', async () => {
    const answer = await client.chat.completions.create({ model: 'sim-chat', messages: ask, tools, tool_choice: 'auto', max_tokens: 3 });
    assert.equal(answer.choices.length, 1);
  });
});

describe('fallbacks', () => {
  test('a fallback that would drop an asked-for parameter is not tried: the upstream\'s failure, not a prose 200', async () => {
    openai.script([{ status: 503, body: { error: { message: 'overloaded' } } }]);
    await assert.rejects(
      client.chat.completions.create({ model: 'gpt-or-sim', messages: ask, response_format: { type: 'json_object' } }),
      (err: InstanceType<typeof OpenAI.APIError>) => err.status === 502 && /overloaded/.test(err.message),
    );
  });

  test('without such a parameter the fallback answers', async () => {
    openai.script([{ status: 503, body: { error: { message: 'overloaded' } } }]);
    const answer = await client.chat.completions.create({ model: 'gpt-or-sim', messages: ask });
    // The answer names the model that served it: the fallback.
    assert.equal(answer.model, 'sim-chat');
    assert.ok((answer.choices[0]?.message.content ?? '').length > 0);
  });
});
