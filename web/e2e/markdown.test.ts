/**
 * The answer renderer (web/src/markdown.ts) with hostile Markdown, run where it runs: in
 * the browser, since DOMPurify needs a DOM. The module is bundled alone for this test.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchBrowser, WEB } from './harness.js';

const skip = browserSkipReason();

describe('renderMarkdown (in the browser)', { skip: skip ?? false }, () => {
  let browser: Browser;
  let page: Page;
  let outDir: string;
  const dialogs: string[] = [];

  before(async () => {
    outDir = mkdtempSync(join(tmpdir(), 'streamgate-md-'));
    const { build } = await import('vite');
    await build({
      configFile: false,
      logLevel: 'warn',
      build: {
        outDir,
        emptyOutDir: true,
        lib: { entry: join(WEB, 'src', 'markdown.ts'), name: 'md', formats: ['iife'], fileName: () => 'md.js' },
      },
    });
    browser = await launchBrowser();
    page = await browser.newPage();
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await page.setContent('<!doctype html><div id="out"></div>');
    await page.addScriptTag({ path: join(outDir, 'md.js') });
  });
  after(async () => {
    await browser?.close();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  /** Renders into the live document (so anything that could run, would) and reports. */
  async function render(src: string): Promise<{ html: string; text: string }> {
    const r = await page.evaluate((s) => {
      const out = document.getElementById('out')!;
      out.innerHTML = (window as unknown as { md: { renderMarkdown(s: string): string } }).md.renderMarkdown(s);
      return { html: out.innerHTML, text: out.textContent ?? '' };
    }, src);
    await page.waitForTimeout(50); // let an onerror fire if one slipped through
    return r;
  }

  /** Every element, attribute or URL in the rendered output that could run code. */
  function dangers(): Promise<string[]> {
    return page.evaluate(() => {
      const found: string[] = [];
      for (const el of document.querySelectorAll('#out *')) {
        if (/^(script|iframe|svg|math|object|embed|style|form|input|button)$/i.test(el.tagName)) found.push(`<${el.tagName}>`);
        for (const a of el.attributes) {
          if (/^on/i.test(a.name)) found.push(`${el.tagName} ${a.name}`);
          if (/^(href|src|srcset|action|formaction|xlink:href)$/i.test(a.name) && !/^(https?:|mailto:|\/|#|[^:]*$)/i.test(a.value.trim()))
            found.push(`${el.tagName} ${a.name}=${a.value}`);
        }
      }
      return found;
    });
  }

  const hostile: [string, string][] = [
    ['raw img with onerror', '<img src=x onerror=alert(1)>'],
    ['script tag', '<script>alert(1)</script>'],
    ['svg onload', '<svg onload=alert(1)></svg>'],
    ['iframe srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ['inline html in a paragraph', 'Hello <b onmouseover=alert(1)>there</b> <a href="javascript:alert(1)">x</a>'],
    ['javascript: link', '[click](javascript:alert(1))'],
    ['javascript: link with odd case and entities', '[click](JaVaScRiPt&colon;alert(1))'],
    ['javascript: link with a tab', '[click](java\tscript:alert(1))'],
    ['autolink', '<javascript:alert(1)>'],
    ['data: link', '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['vbscript link', '[x](vbscript:msgbox(1))'],
    ['image with javascript src', '![x](javascript:alert(1))'],
    ['reference link', '[x][r]\n\n[r]: javascript:alert(1)'],
    ['html block', '<div>\n<img src=x onerror=alert(1)>\n</div>'],
  ];

  for (const [name, src] of hostile) {
    it(`keeps ${name} inert`, async () => {
      const { html } = await render(src);
      assert.deepEqual(await dangers(), [], html);
      assert.deepEqual(dialogs, []);
    });
  }

  it('shows raw HTML from the model as text, not markup', async () => {
    const { text } = await render('An <img src=x onerror=alert(1)> tag');
    assert.equal(text.trim(), 'An <img src=x onerror=alert(1)> tag');
  });

  it('still renders ordinary Markdown: headings, lists, tables, code, safe links', async () => {
    const { html } = await render(
      '# Title\n\n- a\n- b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n```ts\nconst a = 1 < 2;\n```\n\n[site](https://example.com) [rel](/docs) [mail](mailto:a@b.c)',
    );
    assert.match(html, /<h1>Title<\/h1>/);
    assert.match(html, /<li>a<\/li>/);
    assert.match(html, /<table>[\s\S]*<td>1<\/td>/);
    assert.match(html, /<code class="language-ts">const a = 1 &lt; 2;/);
    assert.match(html, /<a href="https:\/\/example.com" target="_blank" rel="noopener noreferrer nofollow">site<\/a>/);
    assert.match(html, /href="\/docs"/);
    assert.match(html, /href="mailto:a@b.c"/);
  });

  it('drops classes that could dress text up as page controls', async () => {
    const { html } = await render('```js\nx\n```');
    assert.match(html, /class="language-js"/);
    await render('<span class="copy-btn">x</span> [a](https://x.y)');
    assert.equal(await page.locator('#out [class]').count(), 0);
  });
});
