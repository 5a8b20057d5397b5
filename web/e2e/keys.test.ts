/**
 * The page against a server with `auth`: it asks for a key, says clearly when a key is
 * wrong, lists the key's own models, and sends the key only in the Authorization header
 * (never in a URL, which would end up in proxy logs); the key can be removed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { browserSkipReason, ensureBuilt, launchBrowser, newPage, startTestServer, type TestServer } from './harness.js';

const skip = browserSkipReason();
const ALICE = 'sk-alice-chat-page-1234';
const BOB = 'sk-bob-chat-page-5678';

describe('chat page with API keys (browser)', { skip: skip ?? false }, () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    await ensureBuilt();
    server = await startTestServer({
      auth: { keys: [{ key: ALICE, name: 'alice' }, { key: BOB, name: 'bob', models: ['sim-chat'] }] },
    });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('asks for a key, says when it is wrong, lists the key\'s models, answers; the key is never in a URL', async () => {
    const { page, context, requests } = await newPage(browser);
    await page.goto(`${server.url}/?sim_tokens_per_second=200&sim_first_token_ms=0`);
    const dialog = page.locator('#key-dialog');
    await dialog.waitFor({ state: 'visible' });
    assert.match(await page.textContent('#key-intro') ?? '', /needs an API key/);
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'key-input', 'focus goes to the key field');
    assert.equal(await page.getAttribute('#key-input', 'type'), 'password');

    // A wrong key: the dialog says so, in the server's words.
    await page.fill('#key-input', 'sk-not-a-real-key-000');
    await page.press('#key-input', 'Enter');
    await page.waitForSelector('#key-error:not([hidden])');
    assert.match(await page.textContent('#key-error') ?? '', /refused this key: .*(invalid|Incorrect|not valid|unknown)/i);
    assert.equal(await page.$$eval('#model option', (os) => os.length), 0, 'no models without a valid key');

    // Bob's key may use sim-chat only: that is all the picker shows.
    await page.fill('#key-input', BOB);
    await page.click('#key-save');
    await page.waitForSelector('#model option[value="sim-chat"]', { state: 'attached' });
    assert.deepEqual(await page.$$eval('#model option', (os) => os.map((o) => (o as HTMLOptionElement).value)), ['sim-chat']);
    assert.equal(await dialog.isVisible(), false);

    await page.fill('#input', 'hello');
    await page.press('#input', 'Enter');
    await page.waitForSelector('.turn:last-child[data-state="done"]');
    assert.ok(((await page.textContent('.turn:last-child .answer')) ?? '').length > 0);

    // Stored in this browser: a reload needs no dialog.
    await page.reload();
    await page.waitForSelector('#model option[value="sim-chat"]', { state: 'attached' });
    assert.equal(await dialog.isVisible(), false);
    assert.ok((await page.locator('.session-open').count()) >= 1, 'the key\'s conversations are listed');

    for (const r of requests) {
      assert.ok(!r.url.includes(BOB) && !r.url.includes(ALICE) && !r.url.includes('sk-not-a-real'), `a key in a URL: ${r.url}`);
    }
    const api = requests.filter((r) => new URL(r.url).pathname.startsWith('/v1/'));
    assert.ok(api.some((r) => r.url.endsWith('/v1/complete')), 'streams with POST /v1/complete (no query string)');
    assert.ok(api.filter((r) => r.headers.authorization === `Bearer ${BOB}`).length >= 4, 'the key travels in the Authorization header');

    // Removed: gone from the browser, and the server asks again.
    await page.click('#key-btn');
    await page.click('#key-remove');
    await dialog.waitFor({ state: 'visible' });
    assert.equal(await page.evaluate(() => localStorage.getItem('streamgate.apiKey')), null);
    await context.close();
  });

  it('a key the server stops accepting mid-session: the answer says so and the dialog opens', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(server.url);
    await page.evaluate(() => localStorage.setItem('streamgate.apiKey', 'sk-revoked-key-9999'));
    await page.reload();
    await page.waitForSelector('#key-error:not([hidden])');
    await page.click('#key-cancel');
    await page.fill('#input', 'hello');
    await page.press('#input', 'Enter');
    await page.waitForSelector('.turn:last-child[data-state="failed"]');
    assert.match(await page.textContent('.turn:last-child .error') ?? '', /refused this key/);
    await page.locator('#key-dialog').waitFor({ state: 'visible' });
    await context.close();
  });
});
