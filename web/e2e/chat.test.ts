/**
 * The chat page in a real browser against a real streamgate and its simulator: thinking
 * then answer arriving live, stop, sessions across switches and reloads, hostile answers
 * kept inert, and simulated faults shown inline with a retry.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, ensureBuilt, launchBrowser, startTestServer, type TestServer } from './harness.js';

const SAMPLER = `
  window.samples = [];
  (function tick() {
    const turn = document.querySelector('.turn:last-child');
    if (turn) {
      window.samples.push({
        think: turn.querySelector('.thinking-body')?.textContent?.length ?? 0,
        answer: turn.querySelector('.answer')?.textContent?.length ?? 0,
        label: turn.querySelector('.think-label')?.textContent ?? '',
      });
    }
    if (turn?.getAttribute('data-state') !== 'done') setTimeout(tick, 25);
  })();
`;

const skip = browserSkipReason();
if (skip) console.log(`# skipping browser tests: ${skip}`);

describe('chat page (browser)', { skip: skip ?? false }, () => {
  let server: TestServer;
  let browser: Browser;
  const dialogs: string[] = [];

  before(async () => {
    await ensureBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  async function open(query = '', page?: Page): Promise<Page> {
    const p = page ?? (await browser.newPage({ viewport: { width: 1100, height: 800 }, locale: 'en-US' }));
    p.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    p.setDefaultTimeout(10_000);
    await p.goto(`${server.url}/${query}`);
    await p.waitForSelector('#model option', { state: 'attached' });
    return p;
  }

  async function ask(p: Page, question: string): Promise<void> {
    await p.fill('#input', question);
    await p.press('#input', 'Enter');
  }

  const lastTurn = (p: Page) => p.locator('.turn').last();
  const waitState = (p: Page, state: string, timeout = 15_000) =>
    p.waitForSelector(`.turn:last-child[data-state="${state}"]`, { timeout });

  it('lists the server models in the picker', async () => {
    const p = await open();
    const ids = await p.$$eval('#model option', (os) => os.map((o) => (o as HTMLOptionElement).value));
    assert.ok(ids.includes('sim-reasoner') && ids.includes('sim-chat'), ids.join());
    assert.equal(await p.inputValue('#model'), 'sim-reasoner');
    await p.close();
  });

  it('shows thinking with a running timer, then the answer arriving in several steps', async () => {
    const p = await open('?sim_tokens_per_second=25');
    // Sample the page every 25 ms from inside, so the test sees what a user would. A
    // string, because tsx would wrap a named inner function in a helper the page lacks.
    await p.evaluate(SAMPLER);
    await ask(p, 'What day of the week is it?');
    await p.waitForSelector('.turn:last-child .think-label:text-matches("Thinking… \\\\d+\\\\.\\\\d s")', { timeout: 5000 });
    assert.equal(await p.getAttribute('.turn:last-child .answer', 'aria-live'), 'polite');
    assert.equal(await p.isVisible('#stop'), true);
    await waitState(p, 'done');

    const samples = await p.evaluate(() => (window as unknown as { samples: { think: number; answer: number; label: string }[] }).samples);
    const firstThink = samples.findIndex((s) => s.think > 0);
    const firstAnswer = samples.findIndex((s) => s.answer > 0);
    assert.ok(firstThink >= 0 && firstAnswer > firstThink, `thinking (${firstThink}) before answer (${firstAnswer})`);
    const thinkSteps = new Set(samples.map((s) => s.think).filter((n) => n > 0));
    const answerSteps = new Set(samples.slice(0, -1).map((s) => s.answer).filter((n) => n > 0));
    assert.ok(thinkSteps.size >= 3, `thinking grew in ${thinkSteps.size} steps`);
    assert.ok(answerSteps.size >= 3, `answer grew in ${answerSteps.size} steps before the end`);
    assert.ok(new Set(samples.map((s) => s.label).filter((l) => l.startsWith('Thinking'))).size >= 2, 'the timer ran');

    const turn = lastTurn(p);
    assert.match((await turn.locator('.think-label').textContent()) ?? '', /^Thought for \d+\.\d s$/);
    assert.equal(await turn.locator('details.thinking').getAttribute('open'), null, 'thinking collapses once answered');
    await turn.locator('.thinking summary').click();
    assert.notEqual(await turn.locator('details.thinking').getAttribute('open'), null, 'and opens again on click');
    assert.ok(((await turn.locator('.thinking-body').textContent()) ?? '').length > 10);
    assert.ok(!((await turn.locator('.answer').textContent()) ?? '').includes('</think>'));
    assert.match((await turn.locator('.turn-stats').textContent()) ?? '', /first token \d+\.\d\d s · [\d.]+ tok\/s · \d+ tokens/);
    assert.equal(await p.isVisible('#send'), true);
    await p.close();
  });

  it('Shift+Enter adds a line and Enter sends', async () => {
    const p = await open();
    await p.fill('#input', 'line one');
    await p.press('#input', 'Shift+Enter');
    await p.type('#input', 'line two');
    assert.equal(await p.inputValue('#input'), 'line one\nline two');
    assert.equal(await p.locator('.turn').count(), 0);
    await p.press('#input', 'Enter');
    await p.waitForSelector('.turn');
    assert.equal(await p.locator('.turn .bubble').textContent(), 'line one\nline two');
    assert.equal(await p.inputValue('#input'), '');
    await waitState(p, 'done');
    await p.close();
  });

  it('stops a stream mid-way: the text stops growing and Send comes back', async () => {
    const p = await open('?sim_tokens_per_second=8');
    await ask(p, 'Tell me a long story');
    await p.waitForFunction(() => (document.querySelector('.turn:last-child .thinking-body')?.textContent?.length ?? 0) > 0);
    await p.click('#stop');
    await waitState(p, 'stopped', 2000);
    const len = async () => p.evaluate(() => document.querySelector('.turn:last-child')?.textContent?.length ?? 0);
    const before = await len();
    await p.waitForTimeout(700);
    assert.equal(await len(), before, 'nothing arrives after stop');
    assert.equal(await p.isVisible('#send'), true);
    assert.match((await lastTurn(p).locator('.turn-status').textContent()) ?? '', /Stopped/);
    assert.match((await lastTurn(p).locator('.think-label').textContent()) ?? '', /^Thought for/);
    await p.close();
  });

  it('keeps conversations in the sidebar: switch, reload, delete', async () => {
    const p = await open('?sim_tokens_per_second=0');
    await ask(p, 'First conversation question');
    await waitState(p, 'done');
    await p.click('#new-chat');
    assert.equal(await p.locator('.turn').count(), 0);
    await ask(p, 'Second conversation question');
    await waitState(p, 'done');
    await p.waitForFunction(() => document.querySelectorAll('#session-list .session').length === 2);

    await p.click('#session-list .session-open:text("First conversation")');
    await p.waitForSelector('.turn .bubble:text("First conversation question")');
    assert.equal(await p.locator('.turn').count(), 1);
    assert.match(await p.getAttribute('#session-list .session-open[aria-current="true"]', 'title') ?? '', /First/);

    await p.reload();
    await p.waitForSelector('.turn .bubble:text("First conversation question")');
    await p.waitForFunction(() => document.querySelectorAll('#session-list .session').length === 2);
    assert.ok(((await lastTurn(p).locator('.answer').textContent()) ?? '').length > 10, 'the stored answer is shown');
    assert.match((await lastTurn(p).locator('.turn-stats').textContent()) ?? '', /tokens/);

    await p.click('#session-list .session:has-text("First conversation") .session-delete');
    await p.waitForFunction(() => document.querySelectorAll('#session-list .session').length === 1);
    assert.equal(await p.locator('.turn').count(), 0, 'deleting the open conversation starts a new chat');
    await p.reload();
    await p.waitForFunction(() => document.querySelectorAll('#session-list .session').length === 1);
    assert.match((await p.textContent('#session-list')) ?? '', /Second conversation/);
    await p.close();
  });

  it('renders a hostile answer as inert text', async () => {
    const p = await open('?sim_tokens_per_second=0');
    const hostile = '<img src=x onerror=alert(1)> and [click](javascript:alert(1))';
    await ask(p, hostile);
    await waitState(p, 'done');
    await p.waitForTimeout(300);
    assert.deepEqual(dialogs, []);
    assert.equal(await p.locator('img[onerror], img[src="x"]').count(), 0);
    assert.equal(await p.locator('a[href^="javascript:" i]').count(), 0);
    assert.ok(((await lastTurn(p).locator('.answer').textContent()) ?? '').includes('<img src=x onerror=alert(1)>'), 'echoed as text');
    assert.equal(await p.locator('.turn .bubble').textContent(), hostile);
    await p.close();
  });

  for (const fault of ['error_mid_stream', 'error_before_first_token', 'rate_limited']) {
    it(`shows the simulator fault ${fault} inline with a retry`, async () => {
      const p = await open(`?sim_fault=${fault}`);
      await ask(p, 'Will this fail?');
      await waitState(p, 'failed');
      const alert = lastTurn(p).locator('[role="alert"]');
      assert.ok(((await alert.locator('.error-msg').textContent()) ?? '').length > 3);
      assert.equal(await p.isVisible('#send'), true);
      await alert.locator('.retry-btn').click();
      await waitState(p, 'failed');
      assert.equal(await p.locator('.turn').count(), 1, 'retry reuses the turn');
      await p.close();
    });
  }
});
