/**
 * Real clients read every streaming endpoint through a quiet stretch after the first event:
 * the official Python `openai` SDK (sync and async), the `openai` Node SDK,
 * `@microsoft/fetch-event-source` and `eventsource`. Each reads through a recording proxy,
 * so the test compares what the client reports with the exact bytes the server sent, and
 * sees a re-sent request as a second exchange. The browser is in `web/e2e/sse-clients.test.ts`.
 *
 * A heartbeat must never become an event. Before issue 12 a heartbeat was `: ping` plus a
 * blank line, and once a stream had carried an `id:` line the Python SDK dispatched an empty
 * event at that blank line and died in `json.loads("")`, and fetch-event-source handed every
 * heartbeat to `onmessage` as empty data (then re-POSTed the question when `JSON.parse`
 * threw). "the old heartbeat" below replays exactly that wire from a raw server, to show
 * these clients do fail on it, so the tests above can fail.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fetchEventSource, type EventSourceMessage } from '@microsoft/fetch-event-source';
import { EventSource } from 'eventsource';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../server.js';
import {
  assertServedStream,
  CHAT_STREAMS,
  chatBody,
  chatPayloads,
  completeBody,
  completeParams,
  completeQuery,
  exchangeFor,
  MATRIX_HEARTBEAT_MS,
  parseEvents,
} from '../test-support/client-matrix.js';
import { startRecordingProxy, type RecordingProxy } from '../test-support/recording-proxy.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';

const PYTHON_SCRIPT = fileURLToPath(new URL('./test-support/openai_python_streams.py', import.meta.url));
const PYTHON_HINT = 'the Python openai SDK is needed: python3 -m pip install openai (.ci/run installs it)';

let pythonProbe: Promise<{ ok: boolean; detail: string }> | undefined;

/** Whether `python3 -c "import openai"` works, asked once per file (asynchronously: the server is in this process). */
function probePython(): Promise<{ ok: boolean; detail: string }> {
  pythonProbe ??= new Promise((resolve) => {
    const child = spawn('python3', ['-c', 'import openai; print(openai.__version__)'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', (err) => resolve({ ok: false, detail: err.message }));
    child.once('close', (code) => resolve({ ok: code === 0, detail: out.trim().split('\n').at(-1) ?? '' }));
  });
  return pythonProbe;
}

/** The Python SDK's version, or null (the test is skipped) when python3 or the package is missing; under CI=true, a failure. */
async function requirePythonOpenai(t: TestContext): Promise<string | null> {
  const probe = await probePython();
  if (probe.ok) return probe.detail;
  const why = `${PYTHON_HINT}: ${probe.detail}`;
  if (process.env.CI === 'true') throw new Error(`${why} (CI=true: client tests must not be skipped)`);
  t.skip(why);
  return null;
}

interface PythonStream {
  name: string;
  base_url: string;
  kind: 'chat' | 'get';
  create?: Record<string, unknown>;
  path?: string;
  params?: Record<string, string>;
}

interface PythonResult {
  name: string;
  mode: 'sync' | 'async';
  items: unknown[];
  error: string | null;
}

/** Runs the Python script as a child process (never spawnSync: the server is in this process). */
async function runPython(streams: PythonStream[]): Promise<PythonResult[]> {
  // The script reads each stream once per mode; `{mode}` in a definition becomes the mode's name.
  const child = spawn('python3', [PYTHON_SCRIPT, JSON.stringify(streams)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  assert.equal(code, 0, `python exited with ${code}: ${err}`);
  return out
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as PythonResult);
}

/** The SDK's create() arguments for a chat body: the fields it does not know go in `extra_body`. */
function pythonCreate(body: Record<string, unknown>): Record<string, unknown> {
  const { sim, resumable, ...known } = body;
  return { ...known, extra_body: { sim, ...(resumable !== undefined ? { resumable } : {}) } };
}

describe('real clients read every stream through a quiet stretch', () => {
  let server: RunningServer;
  let proxy: RecordingProxy;
  const data = tempDataDir();

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, logLevel: 'warn', heartbeatMs: MATRIX_HEARTBEAT_MS } });
    proxy = await startRecordingProxy(server.url);
  });
  after(async () => {
    await proxy.close();
    await server.close({ graceMs: 100 });
    data.remove();
  });

  it('the Python openai SDK, sync and async: chat on both dialects, plain and resumable, and GET /v1/complete', async (t) => {
    const version = await requirePythonOpenai(t);
    if (version === null) return;
    t.diagnostic(`python openai ${version}`);
    const streams: PythonStream[] = [
      ...CHAT_STREAMS.map((s) => ({ name: s.name, base_url: `${proxy.url}${s.base}`, kind: 'chat' as const, create: pythonCreate(chatBody(s, `py-{mode}-${s.name}`)) })),
      { name: 'complete', base_url: `${proxy.url}/v1`, kind: 'get', path: '/complete', params: completeParams('py-{mode}-complete') },
    ];
    const results = await runPython(streams);
    assert.equal(results.length, streams.length * 2);
    // Client first, wire second: what the client got, then that the wire had what this tests.
    assert.deepEqual(
      results.filter((r) => r.error !== null).map((r) => `${r.mode} ${r.name}: ${r.error}`),
      [],
      'the SDK raised on no stream',
    );
    for (const result of results) {
      const exchange = exchangeFor(proxy, `py-${result.mode}-${result.name}`);
      // What the SDK yielded is exactly the server's events, in order, none added or lost.
      assert.deepEqual(result.items, chatPayloads(parseEvents(exchange.body)), `${result.mode} ${result.name}: the SDK's items are the server's events`);
    }
    for (const result of results) {
      const chat = CHAT_STREAMS.find((s) => s.name === result.name);
      assertServedStream(exchangeFor(proxy, `py-${result.mode}-${result.name}`), chat ? { withIds: chat.resumable, kind: 'chat' } : { withIds: true, kind: 'complete' });
    }
  });

  it('the openai Node SDK: chat.completions.create streams on both dialects, plain and resumable', async () => {
    const read = await Promise.all(
      CHAT_STREAMS.map(async (s) => {
        const tag = `node-sdk-${s.name}`;
        const client = new OpenAI({ baseURL: `${proxy.url}${s.base}`, apiKey: 'test-key', maxRetries: 0 });
        const chunks: unknown[] = [];
        const stream = await client.chat.completions.create(chatBody(s, tag) as unknown as OpenAI.ChatCompletionCreateParamsStreaming);
        for await (const chunk of stream) chunks.push(chunk);
        return { s, tag, chunks };
      }),
    );
    for (const { s, tag, chunks } of read) {
      assert.deepEqual(chunks, chatPayloads(parseEvents(exchangeFor(proxy, tag).body)), `${s.name}: the SDK's chunks are the server's events`);
    }
    for (const { s, tag } of read) assertServedStream(exchangeFor(proxy, tag), { withIds: s.resumable, kind: 'chat' });
  });

  describe('@microsoft/fetch-event-source (with window/document stand-ins)', () => {
    before(() => installBrowserStandIns());
    after(() => removeBrowserStandIns());

    it('chat on both dialects and POST /v1/complete: onmessage never gets empty data, nothing is re-sent', async () => {
      const runs: Array<{ tag: string; url: string; body: Record<string, unknown>; withIds: boolean; kind: 'chat' | 'complete' }> = [
        ...CHAT_STREAMS.map((s) => ({ tag: `fes-${s.name}`, url: `${proxy.url}${s.base}/chat/completions`, body: chatBody(s, `fes-${s.name}`), withIds: s.resumable, kind: 'chat' as const })),
        { tag: 'fes-complete', url: `${proxy.url}/v1/complete`, body: completeBody('fes-complete'), withIds: true, kind: 'complete' },
      ];
      const read = await Promise.all(runs.map(async (run) => ({ run, got: await readWithFetchEventSource(run.url, run.body) })));
      for (const { run, got } of read) {
        assert.deepEqual(got.errors, [], `${run.tag}: onerror was never called`);
        assert.equal(got.fetches, 1, `${run.tag}: one request`);
        assert.deepEqual(
          got.messages.map((m) => ({ data: m.data, id: m.id })),
          parseEvents(exchangeFor(proxy, run.tag).body).map((e) => ({ data: e.data, id: run.withIds ? e.id : '' })),
          `${run.tag}: onmessage got exactly the server's events`,
        );
      }
      for (const { run } of read) assertServedStream(exchangeFor(proxy, run.tag), { withIds: run.withIds, kind: run.kind });
    });
  });

  it('eventsource (npm, v4) on GET /v1/complete, with id: lines and with resumable=false', async () => {
    const runs = [
      { tag: 'es-complete', query: completeQuery('es-complete'), withIds: true },
      { tag: 'es-complete-plain', query: `${completeQuery('es-complete-plain')}&resumable=false`, withIds: false },
    ];
    const read = await Promise.all(
      runs.map(async (run) => {
        let fetches = 0;
        const messages: Array<{ data: string; lastEventId: string }> = [];
        const errors: string[] = [];
        const es = new EventSource(`${proxy.url}/v1/complete?${run.query}`, {
          fetch: (input, init) => {
            fetches += 1;
            return fetch(input, init);
          },
        });
        // The end event closes it: left open, EventSource would reconnect after the end.
        await new Promise<void>((resolve) => {
          es.onmessage = (e) => {
            messages.push({ data: e.data, lastEventId: e.lastEventId });
            if ((JSON.parse(e.data) as { event?: string }).event === 'end') resolve();
          };
          es.onerror = (e) => {
            errors.push(String(e.message ?? 'error'));
            resolve();
          };
        }).finally(() => es.close());
        return { run, fetches, messages, errors };
      }),
    );
    for (const { run, fetches, messages, errors } of read) {
      assert.deepEqual(errors, [], `${run.tag}: no error before the end`);
      assert.equal(fetches, 1, `${run.tag}: one request`);
      assert.deepEqual(
        messages,
        parseEvents(exchangeFor(proxy, run.tag).body).map((e) => ({ data: e.data, lastEventId: e.id ?? '' })),
        `${run.tag}: the messages are the server's events`,
      );
    }
    for (const { run } of read) assertServedStream(exchangeFor(proxy, run.tag), { withIds: run.withIds, kind: 'complete' });
  });
});

describe('the old heartbeat (`: ping` and a blank line) breaks these clients: the tests above can fail', () => {
  let raw: Server;
  let url = '';
  const requests: string[] = [];

  before(async () => {
    raw = createServer((req, res) => {
      requests.push(req.url ?? '');
      req.resume();
      req.on('end', async () => {
        const heartbeat = req.url?.startsWith('/old/') ? ': ping\n\n' : ': ping\n';
        const chunk = (n: number, content: string) =>
          `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'm', choices: [{ index: 0, delta: { content }, finish_reason: null }] })}\nid: ${n}\n\n`;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk(1, 'Hi'));
        for (let i = 0; i < 2; i += 1) {
          await sleep(30);
          res.write(heartbeat);
        }
        res.end(`${chunk(2, ' there')}data: [DONE]\nid: 3\n\n`);
      });
    });
    await new Promise<void>((resolve) => raw.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => raw.close(() => resolve())));

  it('the Python SDK raises JSONDecodeError on it, and reads the same stream with a lone comment line', async (t) => {
    if ((await requirePythonOpenai(t)) === null) return;
    const create = { model: 'm', messages: [{ role: 'user', content: 'hi' }], stream: true };
    const results = await runPython(
      [
        { name: 'old', base_url: `${url}/old/v1`, kind: 'chat', create },
        { name: 'new', base_url: `${url}/new/v1`, kind: 'chat', create },
      ],
    );
    for (const mode of ['sync', 'async'] as const) {
      const old = results.find((r) => r.name === 'old' && r.mode === mode) as PythonResult;
      const current = results.find((r) => r.name === 'new' && r.mode === mode) as PythonResult;
      assert.match(String(old.error), /JSONDecodeError/, `${mode}: the SDK fails on the old heartbeat`);
      assert.equal(current.error, null, `${mode}: and reads the new one`);
      assert.equal(current.items.length, 2);
    }
  });

  it('fetch-event-source hands it to onmessage as an empty message, and re-POSTs when JSON.parse throws', async () => {
    installBrowserStandIns();
    try {
      const before = requests.length;
      const got = await readWithFetchEventSource(`${url}/old/v1/chat/completions`, { model: 'm' }, { retries: 1 });
      assert.ok(got.messages.some((m) => m.data === ''), 'an empty message reached onmessage');
      assert.equal(got.errors.length, 2, 'JSON.parse threw in onmessage, so onerror ran (then the retry failed the same way)');
      assert.equal(requests.length - before, 2, 'the question was POSTed again');
      const current = await readWithFetchEventSource(`${url}/new/v1/chat/completions`, { model: 'm' });
      assert.deepEqual(current.errors, []);
      assert.deepEqual(
        current.messages.map((m) => m.data === '[DONE]' || JSON.parse(m.data).choices[0].delta.content),
        ['Hi', ' there', true],
      );
    } finally {
      removeBrowserStandIns();
    }
  });
});

describe('the first heartbeat comes heartbeatMs after the last byte written', () => {
  const HEARTBEAT_MS = 1000;
  let upstream: Server;
  let server: RunningServer;
  /** `performance.now()` when the fake upstream wrote its first chunk. */
  let firstChunkSentAt = 0;
  /** Lets the upstream send its first chunk: called when the client sees the first heartbeat. */
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  const data = tempDataDir();

  before(async () => {
    // A real upstream speaking OpenAI's stream: the first chunk right after the client saw
    // the gateway's first heartbeat (so just after a heartbeat period began: a timer on a
    // fixed grid, as before issue 12, then waits almost two periods), then 3 s of silence,
    // then the rest.
    upstream = createServer((req, res) => {
      req.resume();
      req.on('end', async () => {
        const chunk = (delta: object, finish: string | null) =>
          `data: ${JSON.stringify({ id: 'chatcmpl-up', object: 'chat.completion.chunk', created: 1, model: 'slow', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.flushHeaders();
        await Promise.race([released, sleep(5000)]);
        firstChunkSentAt = performance.now();
        res.write(chunk({ role: 'assistant', content: 'Hi' }, null));
        await sleep(3000);
        res.end(`${chunk({ content: '!' }, null)}${chunk({}, 'stop')}data: [DONE]\n\n`);
      });
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: {
        dataDir: data.dir,
        logLevel: 'warn',
        heartbeatMs: HEARTBEAT_MS,
        providers: [{ id: 'slow', type: 'openai', baseURL: `${upstreamUrl}/v1`, maxRetries: 0 }],
        models: [{ name: 'slow', provider: 'slow' }],
      },
    });
  });
  after(async () => {
    await server.close({ graceMs: 100 });
    await new Promise<void>((resolve) => upstream.close(() => resolve()));
    data.remove();
  });

  it('measured on the raw socket: not before heartbeatMs, and well before two of them', async (t) => {
    // Arrival times of each piece of the body, read straight off the socket.
    const arrivals: Array<{ at: number; text: string }> = [];
    await new Promise<void>((resolve, reject) => {
      const req = request(`${server.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (text: string) => {
          arrivals.push({ at: performance.now(), text });
          if (text.includes(': ping')) release();
        });
        res.on('end', resolve);
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'hi' }] }));
    });
    const firstData = arrivals.findIndex((a) => a.text.includes('data: {'));
    assert.ok(firstData >= 0, 'the first chunk arrived');
    const ping = arrivals.slice(firstData + 1).find((a) => a.text.includes(': ping'));
    assert.ok(ping, `a heartbeat during the 3 s of silence: ${JSON.stringify(arrivals.map((a) => a.text))}`);
    const dataAt = (arrivals[firstData] as { at: number }).at;
    // Lower bound against when the upstream sent the chunk (the gateway wrote it after that,
    // so the heartbeat cannot be due earlier): sound however late this process reads.
    const sinceSent = ping.at - firstChunkSentAt;
    // Upper bound against when the chunk arrived here: a timer on a fixed 1 s grid would
    // send its first heartbeat almost 2 s after this chunk; 1800 leaves 800 ms for a
    // loaded machine's timer lateness.
    const sinceArrived = ping.at - dataAt;
    const start = (arrivals[0] as { at: number }).at;
    t.diagnostic(`arrivals (ms after the first): ${arrivals.map((a) => `${(a.at - start).toFixed(0)} ${JSON.stringify(a.text.slice(0, 12))}`).join(', ')}`);
    t.diagnostic(`first heartbeat after the chunk: ${sinceSent.toFixed(0)} ms after it was sent, ${sinceArrived.toFixed(0)} ms after it arrived`);
    assert.ok(sinceSent >= HEARTBEAT_MS * 0.9, `the heartbeat came ${sinceSent.toFixed(0)} ms after the chunk was sent, sooner than heartbeatMs`);
    assert.ok(sinceArrived < 1800, `the heartbeat came ${sinceArrived.toFixed(0)} ms after the chunk, not heartbeatMs (${HEARTBEAT_MS})`);
  });
});

// ---- fetch-event-source in Node ----------------------------------------------------------

let standIns = 0;

/** fetch-event-source reads `window.fetch`, `window.setTimeout` and `document` (for visibility). */
function installBrowserStandIns(): void {
  standIns += 1;
  if (standIns > 1) return;
  const g = globalThis as Record<string, unknown>;
  g.window = { fetch: globalThis.fetch, setTimeout, clearTimeout };
  g.document = { hidden: false, addEventListener() {}, removeEventListener() {} };
}

function removeBrowserStandIns(): void {
  standIns -= 1;
  if (standIns > 0) return;
  const g = globalThis as Record<string, unknown>;
  delete g.window;
  delete g.document;
}

/**
 * POSTs `body` with fetch-event-source as a chat page would: `JSON.parse` on every message
 * but `[DONE]`. Every `onerror` is recorded; after `retries` of them the error is rethrown,
 * which stops the library's retrying (by default at once).
 */
async function readWithFetchEventSource(url: string, body: unknown, options: { retries?: number } = {}): Promise<{ messages: EventSourceMessage[]; errors: string[]; fetches: number }> {
  const messages: EventSourceMessage[] = [];
  const errors: string[] = [];
  let fetches = 0;
  await fetchEventSource(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    openWhenHidden: true,
    fetch: (input, init) => {
      fetches += 1;
      return fetch(input, init);
    },
    onmessage(msg) {
      messages.push(msg);
      if (msg.data !== '[DONE]') JSON.parse(msg.data);
    },
    onerror(err: unknown) {
      errors.push(String(err));
      if (errors.length > (options.retries ?? 0)) throw err;
      return 0;
    },
  }).catch(() => {});
  return { messages, errors, fetches };
}
