/**
 * An answer survives the network and the user: a TCP proxy cuts the page's connection
 * mid-answer (the page resumes quietly, "reconnecting…", and loses or repeats nothing),
 * a reload mid-answer re-attaches to the running answer, and switching to another
 * conversation mid-answer leaves it running on the server, shown again on return.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, ensureBuilt, launchBrowser, newPage, startCuttingProxy, startTestServer, type CuttingProxy, type TestServer } from './harness.js';

const skip = browserSkipReason();

/** Records every connection state and turn state the last turn goes through (from inside the page). */
const RECORDER = `
  window.seen = new Set();
  new MutationObserver(() => {
    const turn = document.querySelector('.turn:last-child');
    if (!turn) return;
    window.seen.add('state:' + turn.dataset.state);
    if (turn.dataset.connection) window.seen.add('conn:' + turn.dataset.connection);
    const note = turn.querySelector('.turn-conn')?.textContent;
    if (note) window.seen.add('note:' + note);
  }).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
`;

describe('chat page resume (browser)', { skip: skip ?? false }, () => {
  let server: TestServer;
  let proxy: CuttingProxy;
  let browser: Browser;

  before(async () => {
    await ensureBuilt();
    server = await startTestServer();
    proxy = await startCuttingProxy(server.url);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await proxy?.close();
    await server?.close();
  });

  const answerLength = (p: Page) => p.evaluate(() => document.querySelector('.turn:last-child .answer')?.textContent?.length ?? 0);
  async function storedAnswerText(p: Page): Promise<string> {
    // The saved turn, rendered by the page itself from history.
    await p.reload();
    await p.waitForSelector('.turn:last-child[data-state="done"]');
    return (await p.textContent('.turn:last-child .answer')) ?? '';
  }
  async function sessionOf(p: Page) {
    const id = decodeURIComponent(new URL(p.url()).hash.slice(3));
    return (await (await fetch(`${server.url}/v1/sessions/${encodeURIComponent(id)}`)).json()) as { turns: { status: string; answer: string }[] };
  }

  it('a connection cut mid-answer is resumed with Last-Event-ID: "reconnecting…", then the whole answer, nothing repeated', async () => {
    const { page, context, requests } = await midAnswer(proxy.url, RECORDER);
    const before = await answerLength(page);
    assert.equal(proxy.cut(/^POST \/v1\/complete/), 1, 'the stream\'s connection was cut');
    await page.waitForSelector('.turn:last-child[data-state="done"]', { timeout: 30_000 });
    const seen = await page.evaluate(() => [...(window as unknown as { seen: Set<string> }).seen]);
    assert.ok(seen.includes('conn:reconnecting'), seen.join());
    assert.ok(seen.includes('note:Reconnecting…'), seen.join());
    assert.ok(!seen.includes('state:failed'), 'no error shown: it could resume');
    assert.ok((await answerLength(page)) > before);
    // Resumed with the header, the key of the stream being the page's own requestId.
    const resumes = requests.filter((r) => r.headers['last-event-id'] !== undefined);
    assert.ok(resumes.length >= 1, 'a request with Last-Event-ID');
    assert.ok(Number(resumes[0]!.headers['last-event-id']) > 0, 'after the last event seen');
    const live = (await page.textContent('.turn:last-child .answer')) ?? '';
    const stored = await sessionOf(page);
    assert.deepEqual(stored.turns.map((t) => t.status), ['complete'], 'one run, complete');
    assert.equal(live, await storedAnswerText(page), 'what streamed across the cut is exactly the saved answer');
    await context.close();
  });

  /** A page whose answer (25 tokens/s, a few seconds long) has begun to arrive. */
  async function midAnswer(url: string, script?: string) {
    const opened = await newPage(browser);
    await opened.page.goto(`${url}/?sim_tokens_per_second=25&sim_first_token_ms=0`);
    await opened.page.waitForSelector('#model option', { state: 'attached' });
    if (script) await opened.page.evaluate(script);
    await opened.page.fill('#input', 'hello');
    await opened.page.press('#input', 'Enter');
    await opened.page.waitForFunction(() => (document.querySelector('.turn:last-child .answer')?.textContent?.length ?? 0) > 5);
    return opened;
  }

  it('when the stream is gone (the server restarted), the page says the answer could not be resumed and keeps what it had; nothing is asked twice', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-restart-'));
    const a = await startTestServer({ dataDir });
    const front = await startCuttingProxy(a.url);
    let b: TestServer | undefined;
    try {
      const { page, context } = await midAnswer(front.url);
      const before = (await page.textContent('.turn:last-child .answer')) ?? '';
      b = await startTestServer({ dataDir });
      front.retarget(b.url);
      await a.close(); // its streams end with it; the page's connection drops
      front.cut(/./);
      await page.waitForSelector('.turn:last-child:is([data-state="failed"], [data-state="stopped"])', { timeout: 30_000 });
      const after = (await page.textContent('.turn:last-child .answer')) ?? '';
      assert.ok(after.startsWith(before.slice(0, 5)) && (after.match(/Hey/g) ?? []).length <= 1, `not a second answer appended: ${after}`);
      const note = (await page.textContent('.turn:last-child .turn-status')) ?? '';
      assert.match(note, /could not be resumed|Stopped|failed/, note);
      // No second complete answer was made for the same question behind the page's back.
      const id = decodeURIComponent(new URL(page.url()).hash.slice(3));
      const stored = (await (await fetch(`${b.url}/v1/sessions/${encodeURIComponent(id)}`)).json()) as { turns: { status: string }[] };
      await page.waitForTimeout(500);
      assert.ok(!stored.turns.some((t) => t.status === 'complete'), JSON.stringify(stored.turns.map((t) => t.status)));
      await context.close();
    } finally {
      await front.close();
      await b?.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('a reload mid-answer re-attaches to the running answer and shows it to its end', async () => {
    const { page, context } = await midAnswer(server.url);
    await page.reload();
    await page.waitForSelector('.turn:last-child[data-state="streaming"]');
    assert.equal(await page.isVisible('#stop'), true, 'the re-attached answer can be stopped');
    await page.waitForSelector('.turn:last-child[data-state="done"]', { timeout: 30_000 });
    const live = (await page.textContent('.turn:last-child .answer')) ?? '';
    assert.deepEqual((await sessionOf(page)).turns.map((t) => t.status), ['complete']);
    assert.equal(live, await storedAnswerText(page));
    await context.close();
  });

  it('switching to another conversation mid-answer leaves it running; on return it is there', async () => {
    const { page, context } = await midAnswer(server.url);
    const first = new URL(page.url()).hash;
    await page.click('#new-chat');
    assert.equal(await page.locator('.turn').count(), 0);
    await page.click(`.session-open[data-session-id="${decodeURIComponent(first.slice(3))}"]`);
    await page.waitForSelector('.turn:last-child[data-state="done"]', { timeout: 30_000 });
    assert.deepEqual((await sessionOf(page)).turns.map((t) => t.status), ['complete'], 'the answer ran to its end');
    await context.close();
  });
});
