/**
 * A real browser (Debian's chromium) reads every streaming endpoint through a quiet stretch
 * after the first event: `EventSource` on `GET /v1/complete` (with `id:` lines, and without
 * them under `resumable=false`), and `fetch` with a ReadableStream reader, as chat pages do,
 * on both chat dialects (plain and resumable) and `POST /v1/complete`. The page is served by
 * a recording proxy in front of streamgate, so what the browser reports is compared with the
 * exact bytes the server sent, and a reconnect or re-sent request shows up as a second
 * exchange. The Node and Python clients are in `src/http/sse-clients.test.ts`.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startServer, type RunningServer } from '../../src/server.js';
import {
  assertServedStream,
  CHAT_STREAMS,
  chatBody,
  completeBody,
  completeQuery,
  exchangeFor,
  MATRIX_HEARTBEAT_MS,
  parseEvents,
} from '../../src/test-support/client-matrix.js';
import { startRecordingProxy, type RecordingProxy } from '../../src/test-support/recording-proxy.js';
import { browserSkipReason, launchBrowser } from './harness.js';

const skip = browserSkipReason();
if (skip) console.log(`# skipping browser tests: ${skip}`);

describe('a browser reads every stream through a quiet stretch', { skip: skip ?? false }, () => {
  let server: RunningServer;
  let proxy: RecordingProxy;
  let browser: Browser;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-clients-'));

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir, logLevel: 'warn', heartbeatMs: MATRIX_HEARTBEAT_MS } });
    proxy = await startRecordingProxy(server.url);
    browser = await launchBrowser();
    page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    // Any page of the server's origin, so the streams are same-origin requests.
    await page.goto(`${proxy.url}/healthz`);
  });
  after(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.close({ graceMs: 100 });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('EventSource on GET /v1/complete, with id: lines and with resumable=false', async () => {
    const runs = [
      { tag: 'browser-es', query: completeQuery('browser-es'), withIds: true },
      { tag: 'browser-es-plain', query: `${completeQuery('browser-es-plain')}&resumable=false`, withIds: false },
    ];
    const read = await Promise.all(
      runs.map(async (run) => ({
        run,
        got: await page.evaluate(
          (url) =>
            new Promise<{ messages: Array<{ data: string; lastEventId: string }>; errors: number }>((resolve) => {
              const es = new EventSource(url);
              const messages: Array<{ data: string; lastEventId: string }> = [];
              let errors = 0;
              es.onmessage = (e: MessageEvent<string>) => {
                messages.push({ data: e.data, lastEventId: e.lastEventId });
                // The end event closes it, as a page does: left open, it would reconnect.
                if ((JSON.parse(e.data) as { event?: string }).event === 'end') {
                  es.close();
                  resolve({ messages, errors });
                }
              };
              es.onerror = () => {
                errors += 1;
                es.close();
                resolve({ messages, errors });
              };
            }),
          `/v1/complete?${run.query}`,
        ),
      })),
    );
    for (const { run, got } of read) {
      assert.equal(got.errors, 0, `${run.tag}: no error event before the end`);
      assert.deepEqual(
        got.messages,
        parseEvents(exchangeFor(proxy, run.tag).body).map((e) => ({ data: e.data, lastEventId: e.id ?? '' })),
        `${run.tag}: the browser's messages are the server's events`,
      );
    }
    for (const { run } of read) assertServedStream(exchangeFor(proxy, run.tag), { withIds: run.withIds, kind: 'complete' });
  });

  it('fetch and a ReadableStream reader on both chat dialects and POST /v1/complete', async () => {
    const runs = [
      ...CHAT_STREAMS.map((s) => ({ tag: `browser-fetch-${s.name}`, path: `${s.base}/chat/completions`, body: chatBody(s, `browser-fetch-${s.name}`), withIds: s.resumable, kind: 'chat' as const })),
      { tag: 'browser-fetch-complete', path: '/v1/complete', body: completeBody('browser-fetch-complete'), withIds: true, kind: 'complete' as const },
    ];
    const read = await Promise.all(
      runs.map(async (run) => ({
        run,
        got: await page.evaluate(
          async ({ path, body }) => {
            const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
            const reader = (res.body as ReadableStream<Uint8Array>).getReader();
            const decoder = new TextDecoder();
            let text = '';
            // What a chat page does with each read: split events at blank lines, JSON.parse the data.
            let buffer = '';
            const payloads: string[] = [];
            const parseErrors: string[] = [];
            for (;;) {
              const { done, value } = await reader.read();
              if (done) break;
              const piece = decoder.decode(value, { stream: true });
              text += piece;
              buffer += piece;
              let end: number;
              while ((end = buffer.indexOf('\n\n')) !== -1) {
                const block = buffer.slice(0, end);
                buffer = buffer.slice(end + 2);
                const data = block
                  .split('\n')
                  .filter((line) => line.startsWith('data: '))
                  .map((line) => line.slice(6))
                  .join('\n');
                if (data === '') continue;
                payloads.push(data);
                if (data === '[DONE]') continue;
                try {
                  JSON.parse(data);
                } catch (err) {
                  parseErrors.push(`${String(err)}: ${JSON.stringify(data)}`);
                }
              }
            }
            return { status: res.status, text, payloads, parseErrors, rest: buffer };
          },
          { path: run.path, body: run.body },
        ),
      })),
    );
    for (const { run, got } of read) {
      const exchange = exchangeFor(proxy, run.tag);
      assert.equal(got.status, 200, run.tag);
      assert.equal(got.text, exchange.body, `${run.tag}: the browser read exactly the bytes the server sent`);
      assert.deepEqual(got.parseErrors, [], `${run.tag}: every event's data parsed`);
      assert.equal(got.rest.replaceAll(': ping\n', ''), '', `${run.tag}: nothing left over after the last event`);
      assert.deepEqual(got.payloads, parseEvents(exchange.body).map((e) => e.data), `${run.tag}: the page's events are the server's events`);
    }
    for (const { run } of read) assertServedStream(exchangeFor(proxy, run.tag), { withIds: run.withIds, kind: run.kind });
  });
});
