/**
 * Bad input of every kind gets a clear 4xx in OpenAI's shape, and the server keeps serving.
 * Each case is followed by a check that a good request still works.
 */
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { after, before, test } from 'node:test';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';

let server: RunningServer;
const data = tempDataDir();
before(async () => {
  server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 } } });
});
after(async () => {
  await server.close();
  data.remove();
});

const PATHS = ['/v1/chat/completions', '/lm/v2/chat/completions'];
const good = (content: unknown = 'hi') => ({ model: 'sim-chat', messages: [{ role: 'user', content }], max_completion_tokens: 3 });

async function send(path: string, body: string | Buffer, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const res = await fetch(server.url + path, { method: 'POST', headers, body });
  const text = await res.text();
  let json: { error?: { message: string; param: string | null; code: string } } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json };
}

async function stillServing(): Promise<void> {
  assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
  const res = await send('/v1/chat/completions', JSON.stringify(good()));
  assert.equal(res.status, 200, res.text);
}

const CASES: Array<{ name: string; body: string | Buffer; headers?: Record<string, string>; status: number; code: string; param?: string | null; message?: RegExp }> = [
  { name: 'body over the 1 MiB limit', body: JSON.stringify(good('x'.repeat(1024 * 1024 + 10))), status: 413, code: 'request_too_large' },
  {
    name: 'gzip body that inflates past the limit',
    body: gzipSync(JSON.stringify(good('x'.repeat(4 * 1024 * 1024)))),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    status: 413,
    code: 'request_too_large',
  },
  // Regression: answered with zlib's bare "incorrect header check".
  {
    name: 'a body marked gzip that is not gzip',
    body: JSON.stringify(good()),
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    status: 400,
    code: 'invalid_content_encoding',
    message: /could not be decompressed as its Content-Encoding says/,
  },
  { name: 'text/plain', body: JSON.stringify(good()), headers: { 'content-type': 'text/plain' }, status: 415, code: 'unsupported_media_type', message: /^Content-Type must be application\/json, got text\/plain/ },
  { name: 'form-encoded', body: 'model=sim-chat', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'unsupported_media_type' },
  { name: 'unsupported charset', body: JSON.stringify(good()), headers: { 'content-type': 'application/json; charset=koi8-r' }, status: 415, code: 'unsupported_media_type' },
  { name: 'invalid JSON', body: '{"model": "sim-chat", "messages": [', status: 400, code: 'invalid_json', message: /^The request body is not valid JSON/ },
  { name: 'a JSON string, not an object', body: '"hello"', status: 400, code: 'invalid_json', message: /^The request body must be a JSON object, got a string\.$/ },
  // Regression: said `Unexpected token 'n', "null" is not valid JSON`, though it is valid JSON.
  { name: 'a JSON null', body: 'null', status: 400, code: 'invalid_json', message: /^The request body must be a JSON object, got null\.$/ },
  { name: 'an array body', body: '[1,2]', status: 400, code: 'invalid_value', param: null, message: /^Invalid type for 'body': expected an object, but got an array\.$/ },
  { name: 'an empty body', body: '', status: 400, code: 'missing_required_parameter', param: 'model', message: /^Missing required parameter: 'model'\.$/ },
  { name: 'nested 100 levels deep in an unknown field', body: `{"x":${'['.repeat(100)}${']'.repeat(100)},"model":"sim-chat","messages":[]}`, status: 400, code: 'json_too_deep', param: null },
  // Regression: invalid bytes were decoded to U+FFFD and the altered text sent to the model.
  { name: 'bytes that are not UTF-8', body: Buffer.concat([Buffer.from('{"model":"sim-chat","messages":[{"role":"user","content":"caf'), Buffer.from([0xe9]), Buffer.from('"}]}')]), status: 400, code: 'invalid_utf8', message: /not valid UTF-8/ },
  { name: 'nested 200,000 levels deep', body: '['.repeat(200_000), status: 400, code: 'json_too_deep' },
  { name: '10,000 messages', body: JSON.stringify({ ...good(), messages: Array.from({ length: 10_000 }, () => ({ role: 'user', content: 'a' })) }), status: 400, code: 'invalid_value', param: 'messages' },
  { name: 'a huge array of numbers as messages', body: `{"model":"sim-chat","messages":[${'1,'.repeat(300_000)}1]}`, status: 400, code: 'invalid_value', param: 'messages' },
  { name: 'numbers as strings', body: JSON.stringify({ ...good(), max_completion_tokens: '3' }), status: 400, code: 'invalid_value', param: 'max_completion_tokens' },
  { name: 'a number too large for a double', body: '{"model":"sim-chat","messages":[{"role":"user","content":"a"}],"top_k":1e400}', status: 400, code: 'invalid_value', param: 'top_k' },
  { name: 'messages as an object', body: JSON.stringify({ model: 'sim-chat', messages: { 0: { role: 'user', content: 'a' } } }), status: 400, code: 'invalid_value', param: 'messages' },
];

for (const c of CASES) {
  for (const path of PATHS) {
    test(`${path}: ${c.name} → ${c.status} ${c.code}`, async () => {
      const res = await send(path, c.body, c.headers);
      assert.equal(res.status, c.status, res.text.slice(0, 300));
      assert.equal(res.json?.error?.code, c.code, res.text.slice(0, 300));
      if (c.param !== undefined) assert.equal(res.json?.error?.param, c.param);
      if (c.message) assert.match(res.json?.error?.message ?? '', c.message);
      await stillServing();
    });
  }
}

test('NUL and lone surrogates are harmless text: accepted, and the answer is valid JSON', async () => {
  for (const path of PATHS) {
    for (const stream of [false, true]) {
      const body = `{"model":"sim-chat","stream":${stream},"max_completion_tokens":40,"messages":[{"role":"user","content":"a\\u0000b\\ud800c\\udfffd"}]}`;
      const res = await send(path, body);
      assert.equal(res.status, 200, res.text);
      if (!stream) assert.equal(JSON.parse(res.text).object, 'chat.completion');
      else for (const line of res.text.split('\n').filter((l) => l.startsWith('data: {'))) JSON.parse(line.slice(6));
    }
  }
  await stillServing();
});

test('NUL and lone surrogates in the model name: a 404 whose body is still valid JSON', async () => {
  const res = await send('/lm/v2/chat/completions', '{"model":"x\\u0000\\ud800","messages":[{"role":"user","content":"a"}]}');
  assert.equal(res.status, 404);
  assert.equal(res.json?.error?.param, 'model');
  assert.ok(!res.text.includes('\0'), 'raw NUL never reaches the wire');
});

test('a "__proto__" key is ignored like any unknown field', async () => {
  const res = await send('/lm/v2/chat/completions', '{"__proto__":{"stream":true,"model":"sim-reasoner"},"model":"sim-chat","messages":[{"role":"user","content":"a"}],"max_completion_tokens":2}');
  assert.equal(res.status, 200);
  assert.equal(JSON.parse(res.text).model, 'sim-chat');
});

/** Raw bytes on a socket: what fetch would refuse to send. Resolves with the status line. */
function rawRequest(head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.end(head));
    let data = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (data += chunk));
    socket.on('end', () => resolve(data.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

test('X-Request-Id cannot inject headers or SSE lines: unsafe ids are replaced, broken header bytes are a 400', async () => {
  const unsafe = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'id: evil data: x' } });
  assert.match(unsafe.headers.get('x-request-id') ?? '', /^[A-Za-z0-9_-]{16}$/);
  const safe = await fetch(`${server.url}/healthz`, { headers: { 'x-request-id': 'trace-42.a:b@c' } });
  assert.equal(safe.headers.get('x-request-id'), 'trace-42.a:b@c');
  const status = await rawRequest('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Request-Id: a\rid: evil\r\nConnection: close\r\n\r\n');
  assert.match(status, /^HTTP\/1\.1 400/);
  await stillServing();
});

test('a 1 MiB query string is refused with a 4xx before any route runs', async () => {
  const status = await rawRequest(`GET /v1/complete?question=${'q'.repeat(1024 * 1024)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  assert.match(status, /^HTTP\/1\.1 4\d\d/);
  await stillServing();
});
