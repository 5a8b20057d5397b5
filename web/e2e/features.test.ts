/**
 * What every chat page has, in a real browser: regenerate and edit (the earlier answer
 * stays reachable as a version), copy answer, syntax highlighting and math loaded only
 * when an answer has code or math, scroll-to-bottom, delete with undo, rename, search,
 * date groups, and a conversation's own model, system prompt and temperature, kept by the
 * server (they survive a reload and show in another browser).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, ensureBuilt, launchBrowser, newPage, openAiSse, startScriptedServer } from './harness.js';

const skip = browserSkipReason();

const RICH = [
  'Here is **quick sort**:\n\n',
  '```python\ndef quick_sort(xs):\n    # split around a pivot\n    return xs if len(xs) < 2 else [x for x in xs]\n```\n\n',
  'Its cost is $O(n \\log n)$ on average, and\n\n$$\\sum_{i=1}^{n} i = \\frac{n(n+1)}{2}$$\n\nDone.',
];

describe('chat page features (browser)', { skip: skip ?? false }, () => {
  let env: Awaited<ReturnType<typeof startScriptedServer>>;
  let browser: Browser;

  before(async () => {
    await ensureBuilt();
    env = await startScriptedServer([{ sse: openAiSse(RICH), chunkDelayMs: 20 }]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  const base = () => `${env.server.url}/?sim_tokens_per_second=400&sim_first_token_ms=0`;
  async function ask(p: Page, q: string): Promise<void> {
    const n = await p.locator('.turn[data-state="done"]').count();
    await p.fill('#input', q);
    await p.press('#input', 'Enter');
    await p.waitForFunction((k) => document.querySelectorAll('.turn[data-state="done"]').length > k && !document.querySelector('.turn[data-state="streaming"]'), n);
  }
  const sessionIdOf = (p: Page) => decodeURIComponent(new URL(p.url()).hash.slice(3));
  async function stored(p: Page) {
    return (await (await fetch(`${env.server.url}/v1/sessions/${encodeURIComponent(sessionIdOf(p))}`)).json()) as {
      title: string; system: string | null; model: string | null; temperature: number | null;
      turns: { requestId: string; question: string; answer: string; parentId: string | null; status: string }[];
    };
  }
  const loaded = (p: Page) => p.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name.split('/').pop() ?? ''));

  it('regenerate and edit keep every version reachable, also after a reload', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(base());
    await ask(page, 'hello');
    await ask(page, 'and then?');
    await page.locator('.turn').last().locator('.regenerate').click();
    await page.waitForSelector('.turn:last-child[data-state="done"] .branch-pos');
    assert.equal(await page.textContent('.turn:last-child .branch-pos'), '2 / 2');
    assert.equal(await page.locator('.turn').count(), 2, 'a sibling, not a third turn');

    // Edit the first question: a new first version; the branch below it is the new one.
    await page.locator('.turn').first().locator('.edit-btn').click();
    await page.fill('.edit-area', 'hi there');
    await page.click('.edit-form button[type="submit"]');
    await page.waitForFunction(() => document.querySelectorAll('.turn').length === 1 && document.querySelector('.turn')?.getAttribute('data-state') === 'done');
    assert.equal(await page.textContent('.turn .bubble'), 'hi there');
    assert.equal(await page.textContent('.turn .branch-pos'), '2 / 2');

    // Back to the first version: its branch (with the regenerated answer) is there again.
    await page.click('.turn .branch-nav button[aria-label="Previous version"]');
    assert.equal(await page.textContent('.turn:first-child .bubble'), 'hello');
    assert.equal(await page.locator('.turn').count(), 2);
    assert.equal(await page.textContent('.turn:last-child .branch-pos'), '2 / 2');

    const s = await stored(page);
    const [a, b, b2, e] = s.turns;
    assert.deepEqual(s.turns.map((t) => [t.question, t.parentId]), [
      ['hello', null],
      ['and then?', a!.requestId],
      ['and then?', a!.requestId],
      ['hi there', null],
    ]);
    assert.ok(b && b2 && e);

    await page.reload();
    await page.waitForSelector('.turn[data-state="done"]');
    assert.equal(await page.textContent('.turn:first-child .bubble'), 'hi there', 'the newest version is shown after a reload');
    await page.click('.turn .branch-nav button[aria-label="Previous version"]');
    assert.equal(await page.locator('.turn').count(), 2);
    await context.close();
  });

  it('copies a whole answer (its Markdown, without the thinking)', async () => {
    const { page, context } = await newPage(browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
    await page.goto(base());
    await ask(page, 'hello');
    await page.click('.turn:last-child .copy-answer');
    await page.waitForSelector('.toast');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const answer = (await stored(page)).turns[0]!.answer;
    assert.equal(copied, answer.slice(answer.indexOf('</think>') + 8).trimStart());
    await context.close();
  });

  it('highlight.js and KaTeX are fetched only once an answer has code or math', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(base());
    await ask(page, 'hello');
    const plain = await loaded(page);
    assert.ok(!plain.some((n) => /^(common|katex)-/.test(n)), `nothing loaded for a plain answer: ${plain.join(' ')}`);
    await page.selectOption('#model', 'scripted');
    await ask(page, 'show me quick sort');
    await page.waitForSelector('.turn:last-child code.hljs .hljs-keyword');
    await page.waitForSelector('.turn:last-child .math-inline .katex');
    await page.waitForSelector('.turn:last-child .math-display .katex-display');
    assert.equal(await page.textContent('.turn:last-child .hljs-keyword'), 'def');
    assert.ok((await page.textContent('.turn:last-child .code-lang')) === 'python');
    const after = await loaded(page);
    assert.ok(after.some((n) => /^common-.*\.js$/.test(n)) && after.some((n) => /^katex-.*\.js$/.test(n)), after.join(' '));
    await context.close();
  });

  it('scroll-to-bottom appears when scrolled up and brings the latest back', async () => {
    const context = await browser.newContext({ viewport: { width: 900, height: 420 }, locale: 'en-US' });
    const { page } = await newPage(browser, { context });
    await page.goto(base());
    for (const q of ['hello', 'tell me more', 'and more']) await ask(page, q);
    assert.equal(await page.isVisible('#to-bottom'), false, 'at the bottom: no button');
    await page.evaluate(() => document.getElementById('messages')!.scrollTo({ top: 0 }));
    await page.waitForSelector('#to-bottom', { state: 'visible' });
    assert.equal(await page.getAttribute('#to-bottom', 'aria-label'), 'Scroll to the latest message');
    await page.click('#to-bottom');
    await page.waitForFunction(() => {
      const m = document.getElementById('messages')!;
      return m.scrollHeight - m.scrollTop - m.clientHeight < 4;
    });
    await page.waitForSelector('#to-bottom', { state: 'hidden' });
    await context.close();
  });

  it('rename, search, date groups; delete with undo, then for real', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(base());
    await ask(page, 'first topic');
    const id = sessionIdOf(page);
    await page.click('#new-chat');
    await ask(page, 'second topic');
    await page.waitForSelector(`.session-open[data-session-id="${id}"]`);
    assert.ok((await page.$$eval('.group-heading', (hs) => hs.map((x) => x.textContent))).includes('Today'));

    await page.click(`.session-open[data-session-id="${id}"] ~ .session-rename`);
    await page.fill('.rename-input', 'Renamed topic');
    await page.press('.rename-input', 'Enter');
    await page.waitForSelector(`.session-open[data-session-id="${id}"]:text("Renamed topic")`);
    const serverTitle = async () => ((await (await fetch(`${env.server.url}/v1/sessions/${encodeURIComponent(id)}`)).json()) as { title: string }).title;
    // The page shows the new name at once and saves it with a PATCH: wait for that to land.
    for (let i = 0; i < 100 && (await serverTitle()) !== 'Renamed topic'; i++) await page.waitForTimeout(50);
    assert.equal(await serverTitle(), 'Renamed topic');

    await page.fill('#search', 'renamed');
    assert.deepEqual(await page.$$eval('.session-open', (bs) => bs.map((b) => b.textContent)), ['Renamed topic']);
    await page.fill('#search', 'no such words');
    assert.equal(await page.textContent('.session-groups .empty'), 'No matching conversations');
    await page.fill('#search', '');

    await page.click(`.session-open[data-session-id="${id}"] ~ .session-delete`);
    await page.waitForSelector(`.session-open[data-session-id="${id}"]`, { state: 'detached' });
    await page.click('.toast-action:text("Undo")');
    await page.waitForSelector(`.session-open[data-session-id="${id}"]`);
    assert.equal(await serverTitle(), 'Renamed topic', 'undone: the server still has it');

    await page.click(`.session-open[data-session-id="${id}"] ~ .session-delete`);
    const deadline = Date.now() + 20_000;
    while ((await fetch(`${env.server.url}/v1/sessions/${encodeURIComponent(id)}`)).status !== 404) {
      assert.ok(Date.now() < deadline, 'deleted once the undo time is over');
      await page.waitForTimeout(250);
    }
    await context.close();
  });

  it('a conversation keeps its model, system prompt and temperature on the server: a reload and another browser see them', async () => {
    const { page, context } = await newPage(browser);
    await page.goto(base());
    await page.selectOption('#model', 'sim-chat');
    await page.click('#settings-btn');
    await page.fill('#system-input', 'Answer like a pirate.');
    await page.fill('#temperature-input', '0.3');
    await page.click('#settings-save');
    await ask(page, 'hello');
    const s = await stored(page);
    assert.deepEqual([s.model, s.system, s.temperature], ['sim-chat', 'Answer like a pirate.', 0.3]);

    const other = await browser.newContext({ viewport: { width: 1100, height: 800 }, locale: 'en-US' });
    const p2 = await other.newPage();
    await p2.goto(`${env.server.url}/#s=${encodeURIComponent(sessionIdOf(page))}`);
    await p2.waitForSelector('.turn[data-state="done"]');
    await p2.waitForFunction(() => (document.getElementById('model') as HTMLSelectElement).value === 'sim-chat');
    await p2.click('#settings-btn');
    assert.equal(await p2.inputValue('#system-input'), 'Answer like a pirate.');
    assert.equal(await p2.inputValue('#temperature-input'), '0.3');
    await p2.fill('#system-input', 'Be brief.');
    await p2.click('#settings-save');
    await p2.waitForFunction(async () => true);
    const deadline = Date.now() + 5000;
    while ((await stored(page)).system !== 'Be brief.') {
      assert.ok(Date.now() < deadline, 'the change reached the server');
      await page.waitForTimeout(100);
    }
    await other.close();
    await context.close();
  });
});
