/**
 * Without `auth`: DNS rebinding (a foreign `Host`) and cross-site pages (`Origin`,
 * `Sec-Fetch-Site`) are refused before any work; with `auth` the Host check is off.
 * Real servers on loopback; requests by `http.request` so `Host` can be anything.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import type { ConfigInput } from '../config/schema.js';
import { pino } from 'pino';
import { startServer, type RunningServer } from '../server.js';
import type { SessionSummary } from '../store/types.js';
import { startTestServer, tempDataDir } from './test-support/complete-client.js';
import { hostAllowed, hostnameOf } from './local-only.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function send(server: RunningServer, path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, path, method: options.method ?? 'GET', headers: options.headers ?? {}, setHost: options.headers?.host === undefined },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

interface ErrorFields {
  message: string;
  param: string | null;
  code: string;
}

/** The error of an OpenAI-shaped body, or of a `/v1/complete` error envelope (`msg`, `detail[0]`). */
function errorOf(a: Answer): ErrorFields {
  const body = JSON.parse(a.body) as { error?: ErrorFields; msg?: string; detail?: Array<{ code: string; param: string | null }> };
  if (body.error) return body.error;
  const detail = body.detail![0]!;
  return { message: body.msg!, code: detail.code, param: detail.param };
}
const FAST = { sim_tokens_per_second: '0', sim_first_token_ms: '0' };
const completeQuery = (question: string) => `/v1/complete?${new URLSearchParams({ question, userId: 'victim', ...FAST })}`;

async function withServer(config: ConfigInput, body: (server: RunningServer) => Promise<void>): Promise<void> {
  const data = tempDataDir();
  const server = await startTestServer(data.dir, config);
  try {
    await body(server);
  } finally {
    await server.close();
    data.remove();
  }
}

test('hostnameOf and hostAllowed: ports, brackets, case, trailing dots, suffix entries', () => {
  assert.equal(hostnameOf('LOCALHOST:8003'), 'localhost');
  assert.equal(hostnameOf('[::1]:8003'), '::1');
  assert.equal(hostnameOf('::1'), '::1');
  assert.equal(hostnameOf('gw.example.com.'), 'gw.example.com');
  const allowed = hostAllowed({ host: 'box.lan', allowedHosts: ['gw.example.com', '.corp.example'] });
  for (const host of ['localhost', 'localhost:1', '127.0.0.1:8003', '[::1]:80', '192.168.1.20:8003', 'app.localhost', 'box.lan:8003', 'GW.example.com', 'corp.example', 'a.corp.example:443']) {
    assert.ok(allowed(host), host);
  }
  for (const host of ['evil.example', 'localhost.evil.example', 'gw.example.com.evil', 'xcorp.example', '127.0.0.1.nip.io']) assert.ok(!allowed(host), host);
});

describe('without auth', () => {
  let server: RunningServer;
  const data = tempDataDir();
  before(async () => {
    server = await startTestServer(data.dir, { allowedHosts: ['gateway.test'], cors: { origins: ['http://localhost:*', 'https://app.example'] } });
  });
  after(async () => {
    await server.close();
    data.remove();
  });

  test("a rebinding page's Host is refused with a 403 naming it and allowedHosts, before any work; /healthz stays open", async () => {
    const before = (await (await fetch(`${server.url}/v1/sessions?userId=victim`)).json()) as { data: SessionSummary[] };
    for (const path of [completeQuery('rebound'), '/v1/sessions', '/v1/models', '/', '/metrics']) {
      const res = await send(server, path, { headers: { host: 'evil.example:8003' } });
      assert.equal(res.status, 403, path);
      const error = errorOf(res);
      assert.equal(error.code, 'host_not_allowed');
      assert.equal(error.param, 'Host');
      assert.match(error.message, /"evil\.example:8003"/);
      assert.match(error.message, /allowedHosts/);
    }
    const after = (await (await fetch(`${server.url}/v1/sessions?userId=victim`)).json()) as { data: SessionSummary[] };
    assert.equal(after.data.length, before.data.length, 'the refused /v1/complete saved nothing');
    assert.equal((await send(server, '/healthz', { headers: { host: 'evil.example' } })).status, 200);
  });

  test('localhost names, IP addresses and allowedHosts are answered', async () => {
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`, `[::1]:${server.port}`, 'gateway.test', 'GATEWAY.test:443', '10.0.0.7:8003']) {
      const res = await send(server, '/v1/models', { headers: { host } });
      assert.equal(res.status, 200, `${host}: ${res.body}`);
    }
  });

  test("a cross-site page cannot start a run or touch sessions (Origin or Sec-Fetch-Site); this server's own page and cors.origins can", async () => {
    const victim = await send(server, completeQuery('my own question'));
    assert.equal(victim.status, 200);
    const sessions = () => send(server, '/v1/sessions?userId=victim');
    const count = async () => (JSON.parse((await sessions()).body) as { data: SessionSummary[] }).data.length;
    const saved = await count();
    const sessionId = (JSON.parse((await sessions()).body) as { data: SessionSummary[] }).data[0]!.id;

    const refused: Array<[string, string, Record<string, string>, string?]> = [
      // EventSource from an evil page: CORS mode, Origin sent.
      ['GET', completeQuery('evil asks'), { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' }],
      // <img src> or a link: no Origin, only Sec-Fetch-Site.
      ['GET', completeQuery('evil asks'), { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'no-cors' }],
      // A form POST from another site.
      ['POST', '/v1/complete', { origin: 'https://evil.example', 'content-type': 'application/json' }, JSON.stringify({ question: 'evil asks' })],
      ['POST', '/v1/chat/completions', { origin: 'null', 'content-type': 'application/json' }, JSON.stringify({ model: 'sim-chat', messages: [{ role: 'user', content: 'x' }] })],
      ['GET', '/v1/sessions', { origin: 'https://evil.example' }],
      ['GET', `/v1/sessions/${encodeURIComponent(sessionId)}`, { 'sec-fetch-site': 'cross-site' }],
      ['DELETE', `/v1/sessions/${encodeURIComponent(sessionId)}`, { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }],
    ];
    for (const [method, path, headers, body] of refused) {
      const res = await send(server, path, { method, headers, ...(body !== undefined ? { body } : {}) });
      assert.equal(res.status, 403, `${method} ${path} ${JSON.stringify(headers)}: ${res.body}`);
      const error = errorOf(res);
      assert.equal(error.code, 'cross_site_request');
      assert.match(error.message, /cors\.origins/);
    }
    assert.equal(await count(), saved, 'nothing was saved, nothing deleted');

    const served: Array<Record<string, string>> = [
      {}, // curl, a script
      { 'sec-fetch-site': 'same-origin' }, // this server's own page
      { 'sec-fetch-site': 'none' }, // typed into the address bar
      { origin: `http://127.0.0.1:${server.port}`, 'sec-fetch-site': 'same-origin' },
      { origin: 'http://localhost:5173', 'sec-fetch-site': 'same-site' }, // a dev server in cors.origins
      { origin: 'https://app.example', 'sec-fetch-site': 'cross-site' }, // a page cors.origins allows
    ];
    for (const headers of served) {
      const res = await send(server, completeQuery('allowed asks'), { headers });
      assert.equal(res.status, 200, `${JSON.stringify(headers)}: ${res.body}`);
      assert.match(res.body, /"event":"end"/);
    }
  });
});

test('at start, a server without keys logs a warning that says so; one with keys does not', async () => {
  const warnings = async (config: ConfigInput) => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const data = tempDataDir();
    const server = await startServer({ port: 0, host: '127.0.0.1', logger: pino({ level: 'warn' }, sink), config: { dataDir: data.dir, ...config } });
    await server.close();
    data.remove();
    return lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level === 40).map((l) => l.msg);
  };
  const open = await warnings({});
  assert.equal(open.length, 1, open.join('\n'));
  assert.match(open[0]!, /without API keys/);
  assert.deepEqual(await warnings({ auth: { keys: [{ key: 'sk-local-0123456789', name: 'me' }] } }), []);
});

describe('with auth', () => {
  test('the Host check is off (keys protect the API) and cross-site pages are left to the key check', async () => {
    await withServer({ auth: { keys: [{ key: 'sk-local-0123456789', name: 'me' }] } }, async (server) => {
      const res = await send(server, '/v1/models', { headers: { host: 'gateway.example.com', authorization: 'Bearer sk-local-0123456789', origin: 'https://other.example' } });
      assert.equal(res.status, 200, res.body);
      const anonymous = await send(server, '/v1/models', { headers: { host: 'gateway.example.com' } });
      assert.equal(anonymous.status, 401);
    });
  });
});
