/**
 * Quirks of real OpenAI-compatible upstreams, served by a fake upstream over real HTTP and
 * read with the official `openai` SDK: what the client sees for each. Regressions: an
 * upstream answering 200 with an HTML page (a baseURL pointing at a web UI) was reported as
 * "ended the stream before it finished", and an `event: error` frame lost its message.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { startFakeUpstream, type FakeReply, type FakeUpstream } from './test-support/fake-upstream.js';

const chunk = (delta: object, finish: string | null = null) =>
  JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta, finish_reason: finish }] });
const USAGE = JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [], usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 } });
const TEXT = 'Héllo 世界 😊';
const PIECES = [chunk({ role: 'assistant', content: '' }), chunk({ content: 'Héllo 世' }), chunk({ content: '界 😊' }), chunk({}, 'stop')];
const sse = (datas: string[], { sep = '\n', field = 'data: ', done = true } = {}) =>
  [...datas, ...(done ? ['[DONE]'] : [])].map((d) => `${field}${d}${sep}${sep}`).join('');

const data = tempDataDir();
let up: FakeUpstream;
let gateway: RunningServer;
let client: OpenAI;
before(async () => {
  up = await startFakeUpstream([]);
  gateway = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: { dataDir: data.dir, providers: [{ id: 'up', type: 'openai', baseURL: `${up.url}/v1`, maxRetries: 0 }], models: [{ name: 'm', provider: 'up' }],
      // Each test scripts its own failure: a 429 or 5xx in one must not leave the deployment cooling for the next.
      routing: { maxCooldownMs: 1, authCooldownMs: 1, failureThreshold: 1000 } },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'k', maxRetries: 0 });
});
after(async () => {
  await gateway.close();
  await up.close();
  data.remove();
});

async function streamed(reply: FakeReply) {
  up.script([reply]);
  let content = '';
  let finish: string | null = null;
  let usage: OpenAI.CompletionUsage | undefined;
  /** The `usage` of the last chunk (the one with `choices: []`), as sent. */
  let usageChunk: OpenAI.CompletionUsage | null | undefined;
  try {
    const stream = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }], stream: true, stream_options: { include_usage: true } });
    for await (const c of stream) {
      content += c.choices[0]?.delta.content ?? '';
      finish = c.choices[0]?.finish_reason ?? finish;
      if (c.usage) usage = c.usage;
      if (c.choices.length === 0) usageChunk = c.usage;
    }
  } catch (err) {
    return { content, finish, usage, usageChunk, err: err as Error & { status?: number; headers?: Headers } };
  }
  return { content, finish, usage, usageChunk, err: undefined };
}

const CLEAN: Array<[string, FakeReply]> = [
  ['`: keep-alive` comments', { sse: `: keep-alive\n\n${sse(PIECES)}: keep-alive\n\n` }],
  ['\\r\\n line endings', { sse: sse(PIECES, { sep: '\r\n' }) }],
  ['a UTF-8 BOM', { sse: `\uFEFF${sse(PIECES)}` }],
  ['`data:` without a space', { sse: sse(PIECES, { field: 'data:' }) }],
  ['chunks split inside UTF-8 characters', { sse: sse(PIECES), chunkBytes: 3 }],
  ['no [DONE] after the finish reason', { sse: sse(PIECES, { done: false }) }],
];
for (const [name, reply] of CLEAN) {
  test(`${name}: the whole answer, finish_reason stop`, async () => {
    const r = await streamed(reply);
    assert.equal(r.err, undefined, String(r.err));
    assert.deepEqual([r.content, r.finish], [TEXT, 'stop']);
  });
}

test('an upstream that reports no usage gives usage null, streaming and not, never made-up zeros', async () => {
  const r = await streamed({ sse: sse(PIECES) });
  assert.equal(r.err, undefined, String(r.err));
  assert.equal(r.usageChunk, null);
  up.script([{ sse: sse(PIECES) }]);
  const whole = await client.chat.completions.create({ model: 'm', messages: [{ role: 'user', content: 'q' }] });
  assert.equal(whole.choices[0]?.message.content, TEXT);
  assert.equal(whole.usage, null);
});

test('usage only in the last chunk and finish_reason length reach the client', async () => {
  const r = await streamed({ sse: sse([...PIECES.slice(0, 3), chunk({}, 'length'), USAGE]) });
  assert.equal(r.finish, 'length');
  assert.deepEqual(r.usage, { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
});

const MID_STREAM: Array<[string, FakeReply, RegExp]> = [
  ['an error chunk', { sse: sse([PIECES[1]!, '{"error":{"message":"model overloaded","type":"server_error"}}'], { done: false }) }, /model overloaded/],
  ['an `event: error` frame with a bare message', { sse: `${sse([PIECES[1]!], { done: false })}event: error\ndata: {"message":"shard 3 lost"}\n\n` }, /shard 3 lost/],
  ['an `event: error` frame', { sse: `${sse([PIECES[1]!], { done: false })}event: error\ndata: {"error":{"message":"model overloaded"}}\n\n` }, /model overloaded/],
  ['a connection reset', { sse: sse(PIECES), cutAfterChunks: 2 }, /failed/],
  ['an end without finish reason or [DONE]', { sse: sse(PIECES.slice(0, 2), { done: false }) }, /before it finished/],
];
for (const [name, reply, message] of MID_STREAM) {
  test(`${name} mid-stream: the text so far, then an error the SDK throws with the cause`, async () => {
    const r = await streamed(reply);
    assert.equal(r.content, 'Héllo 世');
    assert.ok(r.err, 'the stream must fail, not end cleanly');
    assert.match(r.err.message, message);
  });
}

const BEFORE: Array<[string, FakeReply, number, RegExp]> = [
  ['a 429 with retry-after', { status: 429, headers: { 'retry-after': '7' }, body: { error: { message: 'slow down' } } }, 429, /slow down/],
  ['an HTML 502 page', { status: 502, headers: { 'content-type': 'text/html' }, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' }, 502, /502 Bad Gateway/],
  ['a 200 HTML page instead of a stream', { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: '<!doctype html><title>Open WebUI</title>' }, 502, /text\/html.*Open WebUI/],
];
for (const [name, reply, status, message] of BEFORE) {
  test(`${name}: an HTTP ${status} before the stream starts, with the upstream's words`, async () => {
    const r = await streamed(reply);
    assert.equal(r.err?.status, status, String(r.err));
    assert.match(r.err.message, message);
    if (status === 429) assert.equal(r.err.headers?.get('retry-after'), '7');
  });
}
