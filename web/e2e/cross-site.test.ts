/**
 * The attacks of `src/http/local-only.ts` in a real Chromium, against a server without `auth`:
 * a page on another site firing `EventSource`, `<img>` and a no-cors POST at the API, and a
 * DNS-rebinding page (its name resolves to 127.0.0.1 and it loads from the server's own
 * port). Names are mapped to 127.0.0.1 with `--host-resolver-rules`; nothing leaves loopback.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { browserSkipReason, CHROMIUM } from './harness.js';
import type { RunningServer } from '../../src/server.js';
import type { SessionSummary } from '../../src/store/types.js';
import { startTestServer, tempDataDir } from '../../src/http/test-support/complete-client.js';

const skip = browserSkipReason();

/** Serves one HTML page that attacks `target` (or, when allowed, uses it). */
function pageServer(html: (target: string) => string, target: string): Promise<Server> {
  const server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html(target)));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const attack = (target: string) => `<!doctype html><title>evil</title><script>
  const q = (question) => '${target}/v1/complete?userId=victim&sim_tokens_per_second=0&sim_first_token_ms=0&question=' + encodeURIComponent(question);
  window.results = [];
  const es = new EventSource(q('from an EventSource'));
  es.onmessage = () => window.results.push('eventsource-message');
  es.onerror = () => { window.results.push('eventsource-error'); es.close(); };
  const img = new Image();
  img.onerror = () => window.results.push('img-done');
  img.src = q('from an img');
  fetch('${target}/v1/complete', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ question: 'from a no-cors POST', userId: 'victim' }) })
    .then(() => window.results.push('post-sent'), () => window.results.push('post-failed'));
</script>`;

const friendly = (target: string) => `<!doctype html><title>allowed</title><script>
  window.events = [];
  const es = new EventSource('${target}/v1/complete?userId=friend&sim_tokens_per_second=0&sim_first_token_ms=0&question=hello');
  es.onmessage = (e) => { const env = JSON.parse(e.data); window.events.push(env.event); if (env.event !== 'message') es.close(); };
  es.onerror = () => { window.events.push('error'); es.close(); };
</script>`;

describe('without auth, in Chromium', { skip: skip ?? false }, () => {
  let api: RunningServer;
  let browser: Browser;
  const pages: Server[] = [];
  const data = tempDataDir();

  before(async () => {
    api = await startTestServer(data.dir, { cors: { origins: ['http://friend.test:*'] } });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--host-resolver-rules=MAP evil.test 127.0.0.1, MAP friend.test 127.0.0.1'],
    });
  });
  after(async () => {
    await browser?.close();
    for (const p of pages) await new Promise((r) => p.close(r));
    await api.close();
    data.remove();
  });

  const sessionsOf = async (userId: string) =>
    ((await (await fetch(`${api.url}/v1/sessions?userId=${userId}`)).json()) as { data: SessionSummary[] }).data;

  test('a page on another site cannot start a run with EventSource, <img> or a no-cors POST', async () => {
    const evil = await pageServer(attack, api.url);
    pages.push(evil);
    const page = await browser.newPage();
    await page.goto(`http://evil.test:${(evil.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => (globalThis as unknown as { results: string[] }).results.length >= 3, undefined, { timeout: 20_000 });
    const results = await page.evaluate(() => (globalThis as unknown as { results: string[] }).results);
    assert.ok(results.includes('eventsource-error') && !results.includes('eventsource-message'), results.join());
    // Give a run that might have started time to save its turn before looking.
    await new Promise((r) => setTimeout(r, 500));
    assert.deepEqual(await sessionsOf('victim'), [], 'no question of the evil page was asked or saved');
    await page.close();
  });

  test('a page whose name is rebound to 127.0.0.1 (same port as the API) gets 403 host_not_allowed', async () => {
    const page = await browser.newPage();
    const res = await page.goto(`http://evil.test:${api.port}/v1/sessions`);
    assert.equal(res?.status(), 403);
    assert.match(await page.content(), /host_not_allowed/);
    await page.close();
  });

  test('a page of an origin in cors.origins is served (the chat page itself: web/e2e)', async () => {
    const friend = await pageServer(friendly, api.url);
    pages.push(friend);
    const page = await browser.newPage();
    await page.goto(`http://friend.test:${(friend.address() as AddressInfo).port}/`);
    await page.waitForFunction(() => (globalThis as unknown as { events: string[] }).events.some((e) => e !== 'message'), undefined, { timeout: 20_000 });
    const events = await page.evaluate(() => (globalThis as unknown as { events: string[] }).events);
    assert.equal(events.at(-1), 'end', events.join());
    assert.equal((await sessionsOf('friend')).length, 1);
    await page.close();
  });
});
