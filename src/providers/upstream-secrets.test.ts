/**
 * A hostile upstream that echoes its own key (and other secrets) in every place an
 * upstream's text can reach a client: an error chunk mid-stream, an `event: error`, a
 * malformed line, an Anthropic `error` event, an error body before the stream. Read over
 * real HTTP on every dialect (`/v1/chat/completions` streaming and not, through the
 * official SDK too, `/lm/v2/chat/completions`, `/v1/complete`), in the replay of each
 * stream (`GET /v1/streams/:id`) and in the logs: no run of 8 characters of any configured
 * secret ever appears. Regression: the key reached clients, replays and logs whole.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import OpenAI from 'openai';
import { parseConfig } from '../config/load-config.js';
import { configuredSecrets } from '../config/secrets.js';
import { createConfigLogger, createLogger } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { startFakeUpstream, type FakeReply, type FakeUpstream } from './test-support/fake-upstream.js';

const OPENAI_KEY = 'sk-live-9f8e7d6c5b4a3210ZYXWvuts';
const ANTHROPIC_KEY = 'sk-ant-api03-QWERTYuiop1234567890asdf';
const HEADER_KEY = 'hdr-Secret-77aa88bb99ccdd';
const CLIENT_KEY = 'client-key-Mnbvcxz0987654321';
const SECRETS = [OPENAI_KEY, ANTHROPIC_KEY, HEADER_KEY, CLIENT_KEY];

/** The first 8-character run of a secret found in `text`, if any. */
function leakedRun(text: string): string | undefined {
  for (const secret of SECRETS) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const run = secret.slice(i, i + 8);
      if (text.includes(run)) return run;
    }
  }
  return undefined;
}

function assertNoSecret(text: string, where: string): void {
  const run = leakedRun(text);
  assert.equal(run, undefined, `${where} shows "${run}", part of a secret:\n${text.slice(0, 2000)}`);
}

const chunk = (content: string) => `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content } }] })}\n\n`;
const anthropicStart = [
  `event: message_start\ndata: ${JSON.stringify({ type: 'message_start', message: { usage: { input_tokens: 3, output_tokens: 0 } } })}\n\n`,
  `event: content_block_start\ndata: ${JSON.stringify({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } })}\n\n`,
  `event: content_block_delta\ndata: ${JSON.stringify({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } })}\n\n`,
].join('');

interface Attack {
  name: string;
  model: 'openai' | 'anthropic';
  reply: FakeReply;
  /** Words of the upstream's message that must still reach the client (so the test sees the error at all). */
  said: RegExp;
  /** After the first text: the streams are 200s with a final error event, and replayable. */
  midStream: boolean;
}

const ATTACKS: Attack[] = [
  {
    name: 'an error chunk mid-stream',
    model: 'openai',
    reply: { sse: `${chunk('Hello')}data: ${JSON.stringify({ error: { message: `key Bearer ${OPENAI_KEY} revoked` } })}\n\n` },
    said: /revoked/,
    midStream: true,
  },
  {
    name: 'an `event: error` mid-stream, quoting the header secret and the key\'s last 10 characters',
    model: 'openai',
    reply: { sse: `${chunk('Hello')}event: error\ndata: ${JSON.stringify({ message: `x-extra-auth ${HEADER_KEY} refused; key ending in ${OPENAI_KEY.slice(-10)}` })}\n\n` },
    said: /refused; key ending in/,
    midStream: true,
  },
  {
    name: 'malformed data carrying the key',
    model: 'openai',
    reply: { sse: `${chunk('Hello')}data: {"choices": oops ${OPENAI_KEY.slice(3)} and the client's ${CLIENT_KEY}\n\n` },
    said: /malformed data/,
    midStream: true,
  },
  {
    name: 'an Anthropic `error` event',
    model: 'anthropic',
    reply: { sse: `${anthropicStart}event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${ANTHROPIC_KEY}` } })}\n\n` },
    said: /invalid x-api-key/,
    midStream: true,
  },
  {
    name: 'an error body before the stream (500)',
    model: 'openai',
    reply: { status: 500, body: { error: { message: `upstream crashed handling Authorization: Bearer ${OPENAI_KEY}` } } },
    said: /upstream crashed/,
    midStream: false,
  },
  {
    name: 'an error chunk before any text',
    model: 'anthropic',
    reply: { sse: `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: `overloaded (key ${ANTHROPIC_KEY.slice(0, 20)})` } })}\n\n` },
    said: /overloaded/,
    midStream: false,
  },
];

const data = tempDataDir();
const logs = new PassThrough();
let logText = '';
logs.on('data', (c: Buffer) => (logText += c.toString()));
let up: FakeUpstream;
let gateway: RunningServer;
const auth = { authorization: `Bearer ${CLIENT_KEY}` };

before(async () => {
  up = await startFakeUpstream([]);
  const config = parseConfig({
    dataDir: data.dir,
    auth: { keys: [{ key: CLIENT_KEY, name: 'tester' }] },
    providers: [
      { id: 'up', type: 'openai', baseURL: `${up.url}/v1`, apiKey: OPENAI_KEY, headers: { 'x-extra-auth': HEADER_KEY }, maxRetries: 0 },
      { id: 'ant', type: 'anthropic', baseURL: up.url, apiKey: ANTHROPIC_KEY, maxRetries: 0 },
    ],
    models: [
      { name: 'openai', provider: 'up' },
      { name: 'anthropic', provider: 'ant' },
    ],
    // Each test scripts its own failure: none may leave a deployment cooling for the next.
    routing: { maxCooldownMs: 1, authCooldownMs: 1, failureThreshold: 1000 },
  });
  // The logger main.ts builds, writing where the test can read it.
  gateway = await startServer({ port: 0, host: '127.0.0.1', config, logger: createConfigLogger(config, logs) });
});
after(async () => {
  await gateway.close();
  await up.close();
  data.remove();
});

async function post(path: string, body: unknown): Promise<{ status: number; streamId: string | null; text: string }> {
  const res = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...auth }, body: JSON.stringify(body) });
  return { status: res.status, streamId: res.headers.get('x-stream-id'), text: await res.text() };
}

/** The stream as replayed from its log, when the run kept one. */
async function replay(streamId: string | null): Promise<string | undefined> {
  if (!streamId) return undefined;
  const res = await fetch(`${gateway.url}/v1/streams/${streamId}`, { headers: auth });
  return res.status === 200 ? res.text() : undefined;
}

const messages = [{ role: 'user', content: 'hi' }];

describe('a hostile upstream echoing secrets', () => {
  for (const attack of ATTACKS) {
    test(`${attack.name}: no secret on any dialect, replay or SDK error`, async () => {
      const seen: Array<[string, string]> = [];
      const run = async (where: string, path: string, body: unknown) => {
        up.script([attack.reply]);
        const r = await post(path, body);
        seen.push([`${where} (${r.status})`, r.text]);
        const replayed = await replay(r.streamId);
        if (replayed !== undefined) seen.push([`${where} replay`, replayed]);
        return r;
      };
      await run('POST /v1/chat/completions stream', '/v1/chat/completions', { model: attack.model, messages, stream: true, resumable: true });
      await run('POST /v1/chat/completions', '/v1/chat/completions', { model: attack.model, messages });
      await run('POST /lm/v2/chat/completions stream', '/lm/v2/chat/completions', { model: attack.model, messages, stream: true, resumable: true });
      await run('POST /lm/v2/chat/completions', '/lm/v2/chat/completions', { model: attack.model, messages, stream: false });
      const complete = await run('POST /v1/complete', '/v1/complete', { model: attack.model, question: 'hi' });
      assert.equal(complete.status === 200 || complete.status === 502, true, complete.text);

      const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: CLIENT_KEY, maxRetries: 0 });
      up.script([attack.reply]);
      const sdkStreamed = await (async () => {
        try {
          const stream = await client.chat.completions.create({ model: attack.model, messages: [{ role: 'user', content: 'hi' }], stream: true });
          for await (const _ of stream);
          return 'no error';
        } catch (err) {
          return String((err as Error).message);
        }
      })();
      seen.push(['openai SDK, streaming', sdkStreamed]);
      up.script([attack.reply]);
      const sdkError = await client.chat.completions.create({ model: attack.model, messages: [{ role: 'user', content: 'hi' }] }).then(
        () => 'no error',
        (err: Error) => err.message,
      );
      seen.push(['openai SDK', sdkError]);

      for (const [where, text] of seen) {
        assertNoSecret(text, where);
        assert.match(text, attack.said, `${where} shows the upstream's error:\n${text.slice(0, 1000)}`);
      }
      const replays = seen.filter(([where]) => where.endsWith('replay')).length;
      // The two chat streams and /v1/complete.
      if (attack.midStream) assert.equal(replays, 3, `every stream was replayed: ${seen.map(([w]) => w).join(', ')}`);
      if (process.env.SHOW_WIRE) for (const [where, text] of seen) console.log(`--- ${where}\n${text}`);
    });
  }

  test('the logs hold the failures, never a secret', async () => {
    // Pino writes asynchronously through the PassThrough: wait for the last line of the tests above.
    await new Promise((resolve) => setImmediate(resolve));
    assert.match(logText, /revoked|invalid x-api-key|upstream crashed/, 'the failures were logged');
    assertNoSecret(logText, 'the logs');
  });
});

describe('the logger', () => {
  test("takes every configured secret out of a line, an error's stack and its cause included", () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const config = parseConfig({ providers: [{ id: 'up', type: 'openai', baseURL: 'http://127.0.0.1:9/v1', apiKey: OPENAI_KEY, headers: { Authorization: `Bearer ${HEADER_KEY}` } }], auth: { keys: [{ key: CLIENT_KEY }] } });
    const logger = createLogger('info', { secrets: configuredSecrets(config), destination: out });
    const err = new Error(`failed with ${OPENAI_KEY}`, { cause: new Error(`header ${HEADER_KEY}, client ${CLIENT_KEY.slice(2)}`) });
    logger.error({ err, note: `part ${OPENAI_KEY.slice(4, 16)}` }, 'upstream failed');
    assert.match(text, /upstream failed/);
    assert.match(text, /\[redacted\]/);
    assertNoSecret(text, 'the log line');
  });
});
