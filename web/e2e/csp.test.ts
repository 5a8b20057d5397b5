/**
 * The chat page under its own Content-Security-Policy, in real Chromium: it loads, asks,
 * streams thinking and an answer and renders Markdown with no policy violation (no inline
 * script or style anywhere, the SVG favicon included), and the headers that refuse
 * framing and sniffing are there.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser } from 'playwright-core';
import { browserSkipReason, ensureBuilt, launchBrowser, startTestServer, type TestServer } from './harness.js';

const skip = browserSkipReason();

describe('chat page under its Content-Security-Policy (browser)', { skip: skip ?? false }, () => {
  let server: TestServer;
  let browser: Browser;

  before(async () => {
    await ensureBuilt();
    server = await startTestServer();
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  it('serves the page with a strict policy, nosniff and no framing', async () => {
    const res = await fetch(`${server.url}/`);
    await res.text();
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /style-src 'self'(;|$)/);
    assert.match(csp, /frame-ancestors 'none'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('x-frame-options'), 'DENY');
  });

  it('loads and streams an answer with no CSP violation', async () => {
    const page = await browser.newPage({ viewport: { width: 1100, height: 800 }, locale: 'en-US' });
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    // Collected in the page from its very first script on, so early violations count too.
    await page.addInitScript(`
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => {
        window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sourceFile || '') + ':' + e.lineNumber);
      });
    `);
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#model option', { state: 'attached' });
    await page.fill('#input', 'Show me a list and some `code`, please.');
    await page.press('#input', 'Enter');
    await page.waitForSelector('.turn:last-child[data-state="done"]', { timeout: 30_000 });
    const answer = await page.textContent('.turn:last-child .answer');
    assert.ok((answer ?? '').length > 0, 'an answer was streamed');
    const violations = (await page.evaluate('window.__violations')) as string[];
    assert.deepEqual(violations, []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('the policy is really enforced: an inline script is refused', async () => {
    const page = await browser.newPage();
    await page.addInitScript(`
      window.__violations = [];
      document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective));
    `);
    await page.goto(`${server.url}/`);
    await page.waitForSelector('#model option', { state: 'attached' });
    await page.evaluate(`(() => { const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.body.append(s); })()`);
    await page.waitForFunction('window.__violations.length > 0');
    assert.equal(await page.evaluate('window.__ran === true'), false);
    assert.match(((await page.evaluate('window.__violations')) as string[])[0]!, /script-src/);
    await page.close();
  });
});
