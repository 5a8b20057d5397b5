import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../../server.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';
import { dataOf, postRaw } from '../../test-support/sse-client.js';

const FAST = { tokens_per_second: 0, first_token_ms: 0 };
const ask = [{ role: 'user' as const, content: '介绍一下北京' }];

describe('POST /v1/chat/completions through the official openai SDK', () => {
  let server: RunningServer;
  let client: OpenAI;
  const data = tempDataDir();

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 } } });
    client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/v1`, maxRetries: 0 });
  });
  after(async () => {
    await server.close();
    data.remove();
  });

  it('streams with for await: role first, thinking in reasoning_content, clean content, finish stop', async () => {
    const stream = await client.chat.completions.create({ model: 'sim-reasoner', stream: true, messages: ask });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    assert.equal(chunks[0]?.choices[0]?.delta.role, 'assistant');
    const content = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    const reasoning = chunks.map((c) => (c.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '').join('');
    assert.ok(reasoning.length > 20, 'the model thought');
    assert.ok(content.length > 20, 'the model answered');
    assert.ok(!content.includes('<think>') && !content.includes('</think>'), 'content is clean');
    assert.match(content, /北京/);
    assert.ok(chunks.length > 20, 'streamed token by token');
    const last = chunks.at(-1);
    assert.equal(last?.choices[0]?.finish_reason, 'stop');
    assert.deepEqual(last?.choices[0]?.delta, {});
    assert.ok(chunks.every((c) => c.id === chunks[0]?.id && c.object === 'chat.completion.chunk'));
  });

  it('answers without streaming, with usage that counts what was generated', async () => {
    const completion = await client.chat.completions.create({ model: 'sim-chat', messages: [{ role: 'user', content: 'hello' }] });
    assert.equal(completion.object, 'chat.completion');
    assert.equal(completion.choices[0]?.message.role, 'assistant');
    assert.ok((completion.choices[0]?.message.content ?? '').length > 0);
    assert.equal(completion.choices[0]?.finish_reason, 'stop');
    const usage = completion.usage!;
    assert.ok(usage.prompt_tokens > 0 && usage.completion_tokens > 0);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);
  });

  it('sends a usage chunk with empty choices only when include_usage is set, and its count equals the chunks streamed', async () => {
    const stream = await client.chat.completions.create({
      model: 'sim-chat',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'write a quick sort in python' }],
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const usageChunk = chunks.at(-1)!;
    assert.deepEqual(usageChunk.choices, []);
    // The simulator emits one token per content chunk: the counts must agree.
    const contentChunks = chunks.filter((c) => (c.choices[0]?.delta.content ?? '') !== '').length;
    assert.equal(usageChunk.usage?.completion_tokens, contentChunks);
    assert.ok(chunks.slice(0, -1).every((c) => c.usage === null));

    const plain = await client.chat.completions.create({ model: 'sim-chat', stream: true, messages: ask });
    for await (const chunk of plain) assert.equal(chunk.usage, undefined);
  });

  it('gives thinking in each reasoning_format', async () => {
    const body = { model: 'sim-reasoner', messages: ask, seed: 7, sim: FAST } as const;
    const separate = (await client.chat.completions.create({ ...body, reasoning_format: 'separate' } as never)) as OpenAI.ChatCompletion;
    const inline = (await client.chat.completions.create({ ...body, reasoning_format: 'inline' } as never)) as OpenAI.ChatCompletion;
    const hidden = (await client.chat.completions.create({ ...body, reasoning_format: 'hidden' } as never)) as OpenAI.ChatCompletion;
    const sep = separate.choices[0]!.message as { content: string; reasoning_content?: string };
    const inl = inline.choices[0]!.message as { content: string; reasoning_content?: string };
    const hid = hidden.choices[0]!.message as { content: string; reasoning_content?: string };
    assert.ok(sep.reasoning_content && sep.reasoning_content.length > 10);
    assert.ok(inl.content.startsWith('<think>') && inl.content.includes('</think>'));
    assert.equal(inl.reasoning_content, undefined);
    assert.equal(hid.reasoning_content, undefined);
    assert.ok(!hid.content.includes('<think>'));
    // Same seed, same run: every form carries the same answer.
    assert.equal(sep.content, hid.content);
    assert.equal(inl.content.slice(inl.content.indexOf('</think>') + '</think>'.length).trimStart(), sep.content);
    assert.equal(inl.content.slice('<think>'.length, inl.content.indexOf('</think>')).trimStart(), sep.reasoning_content);
  });

  it('max_tokens ends with finish_reason length after exactly that many tokens', async () => {
    const c = await client.chat.completions.create({ model: 'sim-chat', max_tokens: 5, messages: ask });
    assert.equal(c.choices[0]?.finish_reason, 'length');
    assert.equal(c.usage?.completion_tokens, 5);
  });

  it('a stop sequence cuts the answer before it, with finish_reason stop', async () => {
    const full = await client.chat.completions.create({ model: 'sim-chat', seed: 3, messages: ask });
    const text = full.choices[0]!.message.content!;
    const stop = text.slice(10, 14);
    const cut = await client.chat.completions.create({ model: 'sim-chat', seed: 3, stop: [stop], messages: ask });
    assert.equal(cut.choices[0]?.finish_reason, 'stop');
    assert.equal(cut.choices[0]?.message.content, text.slice(0, text.indexOf(stop)).trimStart());
  });

  it('is deterministic with a seed and varies without one', async () => {
    const a = await client.chat.completions.create({ model: 'sim-reasoner', seed: 42, messages: ask });
    const b = await client.chat.completions.create({ model: 'sim-reasoner', seed: 42, messages: ask });
    assert.equal(a.choices[0]?.message.content, b.choices[0]?.message.content);
    const runs = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const r = await client.chat.completions.create({ model: 'sim-reasoner', messages: ask });
      runs.add(JSON.stringify(r.choices[0]?.message));
    }
    assert.ok(runs.size > 1, 'wording differs between runs without a seed');
  });

  it('maps each simulated fault to the SDK error class a real upstream would give', async () => {
    const create = (fault: string) =>
      client.chat.completions.create({ model: 'sim-reasoner', stream: true, messages: ask, sim: { ...FAST, fault } } as never);
    await assert.rejects(create('rate_limited'), (err: unknown) => err instanceof OpenAI.RateLimitError && err.headers?.get('retry-after') === '1');
    await assert.rejects(create('error_before_first_token'), (err: unknown) => err instanceof OpenAI.InternalServerError);
    const midStream = (await create("error_mid_stream")) as unknown as AsyncIterable<unknown>;
    let received = 0;
    await assert.rejects(async () => {
      for await (const _ of midStream) received++;
    }, (err: unknown) => err instanceof OpenAI.APIError && /middle of the stream/.test(err.message));
    assert.ok(received > 2, 'some tokens arrived before the failure');
    // A stall keeps the connection open and silent: the client gives up on its own clock.
    const controller = new AbortController();
    let stalledChunks = 0;
    let idle: NodeJS.Timeout | undefined;
    let finished = false;
    const s = await client.chat.completions.create(
      { model: 'sim-reasoner', stream: true, messages: ask, sim: { ...FAST, fault: 'stall' } } as never,
      { signal: controller.signal },
    );
    // The SDK ends iteration quietly when its own signal aborts.
    for await (const chunk of s as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) {
      stalledChunks++;
      if (chunk.choices[0]?.finish_reason) finished = true;
      clearTimeout(idle);
      idle = setTimeout(() => controller.abort(), 300);
    }
    assert.ok(controller.signal.aborted && !finished, 'the stream stalled until the client gave up');
    assert.ok(stalledChunks > 2, 'tokens arrived before the stall');
  });

  it('answers bad requests with OpenAI errors naming the field', async () => {
    await assert.rejects(
      client.chat.completions.create({ model: 'nope', messages: ask }),
      (err: unknown) => err instanceof OpenAI.NotFoundError && err.code === 'model_not_found' && err.param === 'model',
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'sim-chat', messages: ask, temperature: 3 }),
      (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === 'temperature' && /temperature must be >= 0 and <= 2, got 3/.test(err.message),
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'sim-chat', messages: [] }),
      (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === 'messages',
    );
    await assert.rejects(
      client.chat.completions.create({ model: 'sim-chat', messages: [{ role: 'robot', content: 'x' }] } as never),
      (err: unknown) => err instanceof OpenAI.BadRequestError && err.param === 'messages[0].role',
    );
  });

  it('lists models in OpenAI list shape', async () => {
    const models = [];
    for await (const m of client.models.list()) models.push(m.id);
    assert.ok(models.includes('sim-reasoner') && models.includes('sim-chat'));
    const one = await client.models.retrieve('sim-chat');
    assert.equal(one.object, 'model');
  });

  it('rejects what is not JSON, too large or the wrong method, with OpenAI error bodies', async () => {
    const url = `${server.url}/v1/chat/completions`;
    let res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"model":' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'invalid_json');
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    assert.equal(res.status, 415);
    res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'x'.repeat(1.5 * 1024 * 1024) }] }) });
    assert.equal(res.status, 413);
    res = await fetch(url);
    assert.equal(res.status, 405);
    assert.equal(res.headers.get('allow'), 'POST');
    const body = (await res.json()) as { error: { type: string; message: string } };
    assert.equal(body.error.type, 'invalid_request_error');
  });

  it('the raw wire: role chunk, deltas, finish chunk, [DONE], and nothing else', async () => {
    const res = await postRaw(`${server.url}/v1/chat/completions`, { model: 'sim-chat', stream: true, max_tokens: 3, messages: ask, sim: FAST });
    assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache, no-transform');
    assert.equal(res.headers.get('x-accel-buffering'), 'no');
    assert.equal(res.headers.get('content-encoding'), null);
    const lines = res.body.split('\n\n').filter(Boolean);
    assert.equal(lines.length, 1 + 3 + 1 + 1);
    // One data line per event and nothing else: a stream that cannot be resumed looks like OpenAI's own.
    assert.ok(lines.every((l) => l.startsWith('data: ') && l.split('\n').length === 1), 'one data line per event, no id line');
    const events = dataOf(res.body) as Array<{ choices: Array<{ delta: Record<string, unknown>; finish_reason: string | null }> }>;
    assert.deepEqual(events[0]!.choices[0]!.delta, { role: 'assistant', content: '' });
    assert.equal(events[4]!.choices[0]!.finish_reason, 'length');
    assert.equal(events[5], '[DONE]');
    assert.ok(res.body.endsWith('data: [DONE]\n\n'), 'the stream ends with [DONE]');
  });

  it('"resumable": true numbers every event for Last-Event-ID: a data line, then its id line', async () => {
    const res = await postRaw(`${server.url}/v1/chat/completions`, { model: 'sim-chat', stream: true, resumable: true, max_tokens: 3, messages: ask, sim: FAST });
    const lines = res.body.split('\n\n').filter(Boolean);
    assert.equal(lines.length, 6);
    assert.ok(lines.every((l, i) => l.startsWith('data: ') && l.endsWith(`\nid: ${i + 1}`) && l.split('\n').length === 2), 'data line then id line');
    assert.ok(res.body.endsWith('data: [DONE]\nid: 6\n\n'));
    const bad = await postRaw(`${server.url}/v1/chat/completions`, { model: 'sim-chat', stream: true, resumable: 'yes', messages: ask });
    assert.equal(bad.status, 400);
    assert.match(bad.body, /resumable must be a boolean/);
  });

  it('a failure mid-stream ends with an error event and no [DONE]', async () => {
    const res = await postRaw(`${server.url}/v1/chat/completions`, { model: 'sim-reasoner', stream: true, messages: ask, sim: { ...FAST, fault: 'error_mid_stream' } });
    assert.equal(res.status, 200);
    assert.ok(!res.body.includes('[DONE]'));
    const last = dataOf(res.body).at(-1) as { error: { type: string; code: string } };
    assert.equal(last.error.code, 'simulated_error');
  });
});
