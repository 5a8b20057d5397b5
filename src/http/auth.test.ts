import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { pino } from 'pino';
import { fingerprint } from '../logger.js';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';

const WEB_KEY = 'sk-web-0123456789abcdef';
const SIM_CHAT_KEY = 'sk-only-chat-0123456789';
const NO_MODELS_KEY = 'sk-no-models-0123456789';
const logLines: string[] = [];
let server: RunningServer;
const data = tempDataDir();

before(async () => {
  const sink = new Writable({
    write(chunk, _encoding, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  server = await startServer({
    port: 0,
    host: '127.0.0.1',
    logger: pino({ level: 'info' }, sink),
    config: {
      dataDir: data.dir,
      simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
      auth: {
        keys: [
          { key: WEB_KEY, name: 'web', models: ['*'] },
          { key: SIM_CHAT_KEY, name: 'chat-only', models: ['sim-c*'] },
          { key: NO_MODELS_KEY, name: 'no-models', models: ['none-*'] },
        ],
      },
    },
  });
});
after(async () => {
  await server.close();
  data.remove();
});

const chatBody = (model = 'sim-chat') => JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }], max_completion_tokens: 2 });

async function call(path: string, init: { key?: string; authorization?: string; body?: string; method?: string } = {}) {
  const headers: Record<string, string> = {};
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (init.key !== undefined) headers.authorization = `Bearer ${init.key}`;
  if (init.authorization !== undefined) headers.authorization = init.authorization;
  const res = await fetch(server.url + path, { method: init.method ?? (init.body ? 'POST' : 'GET'), headers, body: init.body });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: text.startsWith('{') ? JSON.parse(text) : undefined };
}

describe('API keys', () => {
  for (const path of ['/v1/chat/completions', '/lm/v2/chat/completions']) {
    test(`${path}: a missing key is a 401 in OpenAI's shape`, async () => {
      const res = await call(path, { body: chatBody() });
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('www-authenticate'), 'Bearer');
      assert.deepEqual(res.json, {
        error: {
          message: "You didn't provide an API key. Send it in an Authorization header: 'Authorization: Bearer YOUR_KEY'.",
          type: 'authentication_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    });

    test(`${path}: a wrong key is a 401 invalid_api_key`, async () => {
      for (const key of ['sk-wrong', `${WEB_KEY}x`, WEB_KEY.slice(0, -1), WEB_KEY.toUpperCase()]) {
        const res = await call(path, { key, body: chatBody() });
        assert.equal(res.status, 401, key);
        assert.equal(res.json.error.code, 'invalid_api_key');
        assert.ok(!res.text.includes(key), 'the key is not echoed');
      }
    });

    test(`${path}: the right key is served`, async () => {
      const res = await call(path, { key: WEB_KEY, body: chatBody() });
      assert.equal(res.status, 200, res.text);
    });
  }

  test('malformed Authorization headers are 401s, not 500s', async () => {
    for (const authorization of ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', WEB_KEY, `Bearer ${WEB_KEY} extra`, 'bearer  ' + WEB_KEY + 'x']) {
      const res = await call('/v1/models', { authorization });
      assert.equal(res.status, 401, authorization);
    }
  });

  test('the scheme is case-insensitive, as RFC 7235 says', async () => {
    assert.equal((await call('/v1/models', { authorization: `bearer ${WEB_KEY}` })).status, 200);
  });

  test('a key limited by globs gets 403 model_not_allowed naming "model" on both dialects', async () => {
    for (const path of ['/v1/chat/completions', '/lm/v2/chat/completions']) {
      assert.equal((await call(path, { key: SIM_CHAT_KEY, body: chatBody('sim-chat') })).status, 200);
      const res = await call(path, { key: SIM_CHAT_KEY, body: chatBody('sim-reasoner') });
      assert.equal(res.status, 403);
      assert.deepEqual(res.json, {
        error: { message: "This API key may not use the model 'sim-reasoner'.", type: 'permission_error', param: 'model', code: 'model_not_allowed' },
      });
    }
  });

  test('/v1/models lists only the models the key may use', async () => {
    const all = await call('/v1/models', { key: WEB_KEY });
    const limited = await call('/v1/models', { key: SIM_CHAT_KEY });
    assert.deepEqual(all.json.data.map((m: { id: string }) => m.id).sort(), ['sim-chat', 'sim-reasoner']);
    assert.deepEqual(limited.json.data.map((m: { id: string }) => m.id), ['sim-chat']);
  });

  test('/v1/models is empty for a key whose globs match no model', async () => {
    assert.deepEqual((await call('/v1/models', { key: NO_MODELS_KEY })).json, { object: 'list', data: [] });
  });

  test("a 404 model_not_found lists only the models the key may use", async () => {
    // Regression: the message listed every model of the gateway, whatever the key.
    const notFound = (model: string) => ({
      error: { message: `The model '${model}' does not exist. Available models: sim-chat`, type: 'not_found_error', param: 'model', code: 'model_not_found' },
    });
    for (const path of ['/v1/chat/completions', '/lm/v2/chat/completions']) {
      const res = await call(path, { key: SIM_CHAT_KEY, body: chatBody('sim-chatty') });
      assert.equal(res.status, 404);
      assert.deepEqual(res.json, notFound('sim-chatty'));
    }
    const complete = await call('/v1/complete', { key: SIM_CHAT_KEY, body: JSON.stringify({ question: 'hi', model: 'sim-cx' }) });
    assert.equal(complete.status, 404);
    assert.match(complete.text, /The model 'sim-cx' does not exist\. Available models: sim-chat"/);
    const all = await call('/v1/chat/completions', { key: WEB_KEY, body: chatBody('sim-nope') });
    assert.equal(all.json.error.message, "The model 'sim-nope' does not exist. Available models: sim-reasoner, sim-chat");
  });

  test('a key that may use no model is told so, and no model is named', async () => {
    const res = await call('/v1/chat/completions', { key: NO_MODELS_KEY, body: chatBody('none-such') });
    assert.equal(res.status, 404);
    assert.equal(res.json.error.message, "The model 'none-such' does not exist. No models are available to this API key.");
  });

  test('GET /v1/models/:id answers only for the models the key may use', async () => {
    assert.equal((await call('/v1/models/sim-chat', { key: SIM_CHAT_KEY })).json.id, 'sim-chat');
    const hidden = await call('/v1/models/sim-reasoner', { key: SIM_CHAT_KEY });
    assert.equal(hidden.status, 404);
    assert.equal(hidden.json.error.message, "The model 'sim-reasoner' does not exist. Available models: sim-chat");
    assert.equal((await call('/v1/models/sim-reasoner', { key: WEB_KEY })).status, 200);
  });

  test('/healthz and the chat page stay open; unknown API paths want a key first', async () => {
    assert.equal((await call('/healthz')).status, 200);
    assert.notEqual((await call('/')).status, 401);
    assert.equal((await call('/v1/nothing-here')).status, 401);
  });

  test('?api_key= is read only on GET /v1/complete (for EventSource), nowhere else', async () => {
    assert.equal((await call(`/v1/models?api_key=${WEB_KEY}`)).status, 401);
    assert.equal((await call(`/v1/chat/completions?api_key=${WEB_KEY}`, { body: chatBody() })).status, 401);
    assert.equal((await call(`/v1/complete?api_key=${WEB_KEY}`, { method: 'POST', body: '{}' })).status, 401);
    // Accepted there: past auth, whatever the route then answers.
    assert.notEqual((await call(`/v1/complete?api_key=${WEB_KEY}&question=hi`)).status, 401);
    assert.equal((await call('/v1/complete?api_key=sk-wrong&question=hi')).status, 401);
  });

  test('keys never reach the logs, their fingerprints do', () => {
    const logs = logLines.join('');
    assert.ok(logs.length > 0);
    for (const key of [WEB_KEY, SIM_CHAT_KEY, 'sk-wrong']) assert.ok(!logs.includes(key), `${key} was logged`);
    assert.ok(logs.includes(fingerprint(WEB_KEY)));
    assert.ok(logs.includes(fingerprint('sk-wrong')));
  });
});

test('without auth in the config no key is needed', async () => {
  const openData = tempDataDir();
  const open = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: openData.dir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 } } });
  try {
    const res = await fetch(`${open.url}/v1/models`);
    assert.equal(res.status, 200);
  } finally {
    await open.close();
    openData.remove();
  }
});
