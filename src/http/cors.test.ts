/**
 * A page on another origin (a front-end dev server on localhost:5173, say) calling the API
 * as a browser does: a preflight `OPTIONS` without the key, then the real request with
 * `Origin`. Regression: the preflight was a 405 (401 with keys), so no browser page on
 * another origin could use streamgate at all.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ConfigInput } from '../config/schema.js';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';

const data = tempDataDir();
after(() => data.remove());

const KEY = 'sk-cors-test-key-0123';
const DEV_PAGE = 'http://localhost:5173';

async function serve(extra: Partial<ConfigInput>): Promise<RunningServer> {
  return startServer({
    port: 0,
    host: '127.0.0.1',
    config: { dataDir: data.dir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 }, auth: { keys: [{ key: KEY }] }, ...extra },
  });
}

function preflight(server: RunningServer, path: string, origin: string, method = 'POST', headers = 'authorization,content-type,x-stainless-os') {
  return fetch(server.url + path, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers },
  });
}

function chat(server: RunningServer, origin: string, stream = false) {
  return fetch(`${server.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: 3, stream }),
  });
}

describe('default: pages served from localhost may call the API', () => {
  let server: RunningServer;
  before(async () => {
    server = await serve({});
  });
  after(() => server.close());

  for (const path of ['/v1/chat/completions', '/lm/v2/chat/completions', '/v1/complete', '/v1/models']) {
    test(`a preflight to ${path} from ${DEV_PAGE} is a 204 allowing the method and the headers asked for, without the key`, async () => {
      const res = await preflight(server, path, DEV_PAGE);
      assert.equal(res.status, 204, await res.text());
      assert.equal(res.headers.get('access-control-allow-origin'), DEV_PAGE);
      assert.match(res.headers.get('access-control-allow-methods') ?? '', /\bPOST\b/);
      assert.equal(res.headers.get('access-control-allow-headers'), 'authorization,content-type,x-stainless-os');
      assert.match(res.headers.get('vary') ?? '', /Origin/i);
      assert.ok(Number(res.headers.get('access-control-max-age')) > 0);
    });
  }

  test('the answer (JSON and SSE) carries the origin and exposes the ids a client reads', async () => {
    for (const stream of [false, true]) {
      const res = await chat(server, DEV_PAGE, stream);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('access-control-allow-origin'), DEV_PAGE);
      assert.match(res.headers.get('access-control-expose-headers') ?? '', /X-Request-Id/i);
      if (stream) assert.match(res.headers.get('access-control-expose-headers') ?? '', /X-Stream-Id/i);
      await res.text();
    }
  });

  test('errors carry the origin too, so the page can read the error message', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { origin: DEV_PAGE, 'content-type': 'application/json' }, body: '{}' });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('access-control-allow-origin'), DEV_PAGE);
  });

  test('a page on another site gets no CORS headers, and its preflight is a 403 naming the setting', async () => {
    const res = await preflight(server, '/v1/chat/completions', 'https://evil.example');
    assert.equal(res.status, 403);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'cors_origin_not_allowed');
    assert.match(body.error.message, /cors\.origins/);
    const answer = await chat(server, 'https://evil.example');
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    await answer.text();
  });

  test('a request without Origin (curl, SDKs) is unchanged: OPTIONS without a preflight is no 204', async () => {
    const res = await fetch(`${server.url}/v1/chat/completions`, { method: 'OPTIONS' });
    assert.equal(res.status, 401);
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });
});

describe('configured origins', () => {
  test('"*" lets every origin call (with the key), answered as *', async () => {
    const server = await serve({ cors: { origins: ['*'] } });
    try {
      const res = await preflight(server, '/v1/chat/completions', 'https://app.example.com');
      assert.equal(res.status, 204);
      assert.equal(res.headers.get('access-control-allow-origin'), '*');
    } finally {
      await server.close();
    }
  });

  test('a wildcard subdomain matches its subdomains only; an empty list turns CORS off', async () => {
    const server = await serve({ cors: { origins: ['https://*.example.com'] } });
    try {
      assert.equal((await preflight(server, '/v1/chat/completions', 'https://app.example.com')).status, 204);
      assert.equal((await preflight(server, '/v1/chat/completions', 'https://example.com.evil.io')).status, 403);
      assert.equal((await preflight(server, '/v1/chat/completions', DEV_PAGE)).status, 403);
    } finally {
      await server.close();
    }
    const off = await serve({ cors: { origins: [] } });
    try {
      const res = await preflight(off, '/v1/chat/completions', DEV_PAGE);
      assert.equal(res.status, 401);
      assert.equal(res.headers.get('access-control-allow-origin'), null);
    } finally {
      await off.close();
    }
  });
});
