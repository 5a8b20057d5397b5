/**
 * A stop is a stop: a client that leaves a default (not resumable) stream closes the
 * upstream request at once, before or after its first byte, with no retry and no
 * fallback asked for a client that is gone; its key's stream slot is free for the next
 * question. A resumable stream instead survives the drop and resumes. Real HTTP servers
 * on loopback: a fake OpenAI-compatible upstream and the gateway.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI from 'openai';
import { startServer, type RunningServer } from '../server.js';
import { chatText, readSse } from '../test-support/sse-reader.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { startFakeUpstream, type FakeUpstream } from './test-support/fake-upstream.js';

const PLAIN = readFileSync(new URL('./openai/__fixtures__/openai-plain.sse', import.meta.url), 'utf8');
const KEY = 'sk-client-key-stop-tests';
const data = tempDataDir();

let gateway: RunningServer;
let slow: FakeUpstream;
let backup: FakeUpstream;

before(async () => {
  slow = await startFakeUpstream([]);
  backup = await startFakeUpstream([{ sse: PLAIN }]);
  gateway = await startServer({
    port: 0,
    host: '127.0.0.1',
    config: {
      dataDir: data.dir,
      // Long enough that a slot held for the grace period would show.
      streams: { resumeGraceMs: 60_000 },
      auth: { keys: [{ key: KEY, name: 'stopper', rateLimit: { concurrentStreams: 1 } }] },
      providers: [
        { id: 'slow', type: 'openai', baseURL: `${slow.url}/v1`, apiKey: 'sk-up', maxRetries: 3 },
        { id: 'backup', type: 'openai', baseURL: `${backup.url}/v1`, apiKey: 'sk-up' },
      ],
      models: [
        { name: 'slow', provider: 'slow', fallbacks: ['backup'] },
        { name: 'backup', provider: 'backup' },
      ],
    },
  });
});
after(async () => {
  await gateway.close();
  await slow.close();
  await backup.close();
  data.remove();
});

const client = () => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: KEY, maxRetries: 0 });

async function until(what: string, done: () => boolean, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!done()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting until ${what}`);
    await sleep(10);
  }
}

/** `promise`, or a failure naming `what` after a generous `ms`. */
async function within<T>(what: string, promise: Promise<T>, ms = 10_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out waiting until ${what}`)), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The next request is served at once: the slot of the stopped stream was given back. */
async function slotIsFree(): Promise<void> {
  backup.script([{ sse: PLAIN }]);
  const stream = await client().chat.completions.create({ model: 'backup', stream: true, messages: [{ role: 'user', content: 'again' }] });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  assert.match(text, /Beijing/);
}

describe('a stop reaches the upstream', () => {
  it('before the first byte: the upstream request is closed, and neither retried nor sent to the fallback', async () => {
    slow.script([{ sse: PLAIN, headersDelayMs: 60_000 }]);
    const sentBefore = slow.requests.length;
    const backupBefore = backup.requests.length;
    const controller = new AbortController();
    const pending = client().chat.completions.create({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal });
    pending.catch(() => undefined);
    await until('the upstream got the request', () => slow.requests.length === sentBefore + 1);
    controller.abort();
    await within('the upstream saw the close', slow.requests.at(-1)!.disconnected);
    // The run is over once the gateway saw the stop: nothing is left that could retry.
    await until('the run ended', () => gateway.context.streams.activeRuns === 0);
    assert.equal(slow.requests.length, sentBefore + 1, 'no retry for a client that left');
    assert.equal(backup.requests.length, backupBefore, 'no fallback for a client that left');
    await slotIsFree();
  });

  it('after the first byte: the upstream request is closed and the slot is free for "stop, then ask again"', async () => {
    slow.script([{ sse: PLAIN, chunkDelayMs: 2_000 }]);
    const sentBefore = slow.requests.length;
    const controller = new AbortController();
    const stream = await client().chat.completions.create({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'hi' }] }, { signal: controller.signal });
    try {
      for await (const chunk of stream) if (chunk.choices[0]?.delta.content) controller.abort();
    } catch (err) {
      assert.match(String(err), /abort/i);
    }
    await within('the upstream saw the close', slow.requests.at(-1)!.disconnected);
    await until('the run ended', () => gateway.context.streams.activeRuns === 0);
    assert.equal(slow.requests.length, sentBefore + 1);
    await slotIsFree();
  });

  it('"resumable": true: the run survives the drop, the upstream is not cut, and GET /v1/streams/:id gives the rest', async () => {
    slow.script([{ sse: PLAIN, chunkDelayMs: 30 }]);
    const body = { model: 'slow', stream: true, resumable: true, messages: [{ role: 'user', content: 'hi' }] };
    const headers = { authorization: `Bearer ${KEY}` };
    const first = await readSse(`${gateway.url}/v1/chat/completions`, { body, headers, dropAfter: 3 });
    const id = first.headers.get('x-stream-id')!;
    const rest = await readSse(`${gateway.url}/v1/streams/${id}`, { headers: { ...headers, 'Last-Event-ID': first.events.at(-1)!.id! } });
    assert.equal(rest.events.at(-1)?.data, '[DONE]');
    assert.equal(chatText([...first.events, ...rest.events]), 'Beijing is the capital of China (北京). It has over 3,000 years of history 🏯.');
    assert.equal(slow.requests.at(-1)!.disconnectedAt, undefined, 'the upstream answered to its end');
  });
});
