/**
 * Polish, measured in a real browser: no raw Markdown markers flash mid-stream, nothing
 * moves when an answer ends, a stalled stream says so, every visible text has WCAG AA
 * contrast (4.5:1, computed from the page's own computed styles) in both themes, every
 * control has a name and the keyboard reaches them in order, and a strict
 * Content-Security-Policy blocks nothing.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, ensureBuilt, launchBrowser, newPage, openAiSse, startScriptedServer } from './harness.js';

const skip = browserSkipReason();

const EMPHASIS = ['This is **bo', 'ld text** and *it', 'alic* and `co', 'de` and ~~stru', 'ck~~ done.'];
const BLOCKS = [
  'An opening paragraph that wraps a little to make the layout real.\n\n',
  '## A heading after a paragraph\n\n',
  'Another paragraph.\n\n- one\n- two\n\n',
  '```js\nconst x = 1;\n```\n\n',
  '### Last heading\n\nThe end',
  '.',
];
const RICH = ['# Title\n\nSome **bold**, a [link](https://example.com) and `code`.\n\n', '```python\ndef f(x):\n    return "s" + str(1)  # note\n```\n\n', 'Math $a^2+b^2=c^2$.\n\n> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n'];

/** Samples the streaming turn's answer text each frame (in the page). */
const SAMPLER = `
  window.samples = [];
  (function tick() {
    const turn = document.querySelector('.turn:last-child');
    if (turn && turn.dataset.state === 'streaming') window.samples.push(turn.querySelector('.answer').textContent);
    if (!turn || turn.dataset.state !== 'done') requestAnimationFrame(tick);
  })();
`;

/** Tops of every element of the answer, relative to it, each frame while streaming; and once when done. */
const LAYOUT = `
  window.layout = { last: null, final: null };
  (function tick() {
    const turn = document.querySelector('.turn:last-child');
    const tops = () => {
      const a = turn.querySelector('.answer');
      const base = a.getBoundingClientRect().top;
      return [...a.querySelectorAll('h1, h2, h3, p, li, pre')].map((e) => [e.tagName + ':' + e.textContent.slice(0, 20), e.getBoundingClientRect().top - base]);
    };
    if (turn && turn.dataset.state === 'streaming') window.layout.last = tops();
    if (turn && turn.dataset.state === 'done') { window.layout.final = tops(); return; }
    requestAnimationFrame(tick);
  })();
`;

/** Every visible text (and placeholder) with its contrast against what is behind it. */
const CONTRAST = `(() => {
  const parse = (c) => { const m = c.match(/rgba?\\(([^)]+)\\)/); if (!m) return [0, 0, 0, 0]; const p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => { const a = top[3]; return [top[0] * a + under[0] * (1 - a), top[1] * a + under[1] * (1 - a), top[2] * a + under[2] * (1 - a), 1]; };
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }; return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) { const c = parse(getComputedStyle(e).backgroundColor); if (c[3] > 0) layers.push(c); if (c[3] === 1) break; }
    let bg = [255, 255, 255, 1];
    for (const l of layers.reverse()) bg = over(l, bg);
    return bg;
  };
  const opacity = (el) => { let o = 1; for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const s = getComputedStyle(el);
    if (s.visibility !== 'visible' || s.display === 'none') return false;
    for (let e = el; e; e = e.parentElement) { const cs = getComputedStyle(e); if (cs.clip === 'rect(0px, 0px, 0px, 0px)' || cs.clipPath === 'inset(50%)') return false; if (e.hidden) return false; }
    return true;
  };
  const out = [];
  const check = (el, color, what) => {
    const bg = background(el);
    const fg = over([color[0], color[1], color[2], color[3] * opacity(el)], bg);
    out.push({ what, ratio: Math.round(ratio(fg, bg) * 100) / 100 });
  };
  for (const el of document.querySelectorAll('body *')) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim() !== '');
    if (own && visible(el)) check(el, parse(getComputedStyle(el).color), (el.id ? '#' + el.id : el.className ? '.' + String(el.className).trim().split(/ +/).join('.') : el.tagName) + ' "' + el.textContent.trim().slice(0, 24) + '"');
    if ((el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') && el.placeholder && !el.value && visible(el)) check(el, parse(getComputedStyle(el, '::placeholder').color), '#' + el.id + '::placeholder');
  }
  return out;
})()`;

describe('chat page polish (browser)', { skip: skip ?? false }, () => {
  let env: Awaited<ReturnType<typeof startScriptedServer>>;
  let browser: Browser;

  before(async () => {
    await ensureBuilt();
    env = await startScriptedServer([{ sse: openAiSse(EMPHASIS), chunkDelayMs: 250 }]);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await env?.close();
  });

  async function start(p: Page, q: string, query = '', script?: string): Promise<void> {
    await p.goto(`${env.server.url}/${query}`);
    await p.waitForSelector('#model option[value="scripted"]', { state: 'attached' });
    if (script) await p.evaluate(script);
    await p.selectOption('#model', 'scripted');
    await p.fill('#input', q);
    await p.press('#input', 'Enter');
  }

  it('no raw Markdown markers flash by mid-stream: an unclosed ** ` * ~~ is rendered closed', async () => {
    env.upstream.script([{ sse: openAiSse(EMPHASIS), chunkDelayMs: 250 }]);
    const { page, context } = await newPage(browser);
    await start(page, 'emphasis please', '', SAMPLER);
    await page.waitForSelector('.turn:last-child[data-state="done"]');
    const samples = await page.evaluate(() => (window as unknown as { samples: string[] }).samples);
    assert.ok(samples.length >= 4, `sampled while streaming: ${samples.length}`);
    assert.ok(samples.some((s) => s.includes('This is bo')), 'a half-written bold word was on screen');
    for (const s of samples) assert.ok(!/\*|`|~~/.test(s), `raw marker on screen: ${JSON.stringify(s)}`);
    assert.equal(await page.textContent('.turn:last-child strong'), 'bold text');
    assert.equal(await page.locator('.turn:last-child .answer').getAttribute('aria-live'), 'polite');
    await context.close();
  });

  it('nothing moves when an answer ends', async () => {
    env.upstream.script([{ sse: openAiSse(BLOCKS), chunkDelayMs: 200 }]);
    const { page, context } = await newPage(browser);
    await start(page, 'blocks please', '', LAYOUT);
    await page.waitForSelector('.turn:last-child[data-state="done"]');
    await page.waitForTimeout(100);
    const { last, final } = await page.evaluate(() => (window as unknown as { layout: { last: [string, number][]; final: [string, number][] } }).layout);
    assert.ok(last && last.length >= 6, `seen while streaming: ${JSON.stringify(last)}`);
    const finalTops = new Map(final);
    for (const [key, top] of last) {
      const now = finalTops.get(key);
      if (now === undefined) continue; // the element was still growing (its text changed)
      assert.ok(Math.abs(now - top) < 0.5, `${key} moved ${now - top}px at the end`);
    }
    await context.close();
  });

  it('a stream that stalls says so, with the time since the last event', async () => {
    env.upstream.script([{ sse: openAiSse(['Starting to ', 'answer and then']), stallAfterChunks: 3 }]);
    const { page, context } = await newPage(browser);
    await start(page, 'stall please', '?stall_ms=1500');
    await page.waitForSelector('.turn:last-child[data-connection="stalled"]', { timeout: 10_000 });
    assert.match(await page.textContent('.turn:last-child .turn-conn') ?? '', /Waiting for the model… nothing for \d+\.\d s/);
    assert.equal(await page.getAttribute('.turn:last-child .turn-conn', 'role'), 'status');
    await page.click('#stop');
    await page.waitForSelector('.turn:last-child[data-state="stopped"]');
    await context.close();
  });

  for (const scheme of ['light', 'dark'] as const) {
    it(`every visible text has AA contrast (4.5:1) in the ${scheme} theme`, async () => {
      env.upstream.script([{ sse: openAiSse(RICH), chunkDelayMs: 10 }]);
      const { page, context } = await newPage(browser, { colorScheme: scheme });
      await start(page, 'a rich answer');
      await page.waitForSelector('.turn:last-child[data-state="done"] .hljs-keyword');
      await page.waitForSelector('.turn:last-child .katex');
      // A stopped answer, an error and the sidebar's pieces too.
      env.upstream.script([{ sse: openAiSse(['Half ', 'of it']), stallAfterChunks: 2 }]);
      await page.fill('#input', 'stop me');
      await page.press('#input', 'Enter');
      await page.waitForSelector('.turn:last-child[data-state="streaming"]');
      await page.click('#stop');
      env.upstream.script([{ status: 500, body: { error: { message: 'upstream broke' } } }]);
      await page.fill('#input', 'fail me');
      await page.press('#input', 'Enter');
      await page.waitForSelector('.turn:last-child[data-state="failed"]');
      // A second version of the failed turn, and a toast.
      await page.click('.turn:last-child .regenerate');
      await page.waitForSelector('.turn:last-child[data-state="failed"] .branch-pos');
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: env.server.url });
      await page.click('.turn:first-child .copy-answer');
      await page.waitForSelector('.toast');
      await page.waitForSelector('.session-open');
      assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), scheme);

      type Check = { what: string; ratio: number };
      const measure = async (): Promise<Check[]> => (await page.evaluate(CONTRAST)) as Check[];
      const checks = await measure();
      await page.click('#settings-btn');
      checks.push(...(await measure()).filter((c) => /system|temperature|settings/i.test(c.what)));
      await page.keyboard.press('Escape');
      await page.click('#key-btn');
      checks.push(...(await measure()).filter((c) => /key/i.test(c.what)));
      await page.keyboard.press('Escape');

      const texts = checks.map((c) => c.what).join('\n');
      for (const must of ['#hint', '.turn-stats', '#conv-heading', '.code-lang', '.session-delete', '.session-rename', '.branch-pos', '#group-today', '.toast-text', '#input::placeholder', '#search::placeholder', '.hljs-comment', '.note', '.error-msg', '#key-intro', '#system-label']) {
        assert.ok(texts.includes(must), `checked ${must}:\n${texts}`);
      }
      const low = checks.filter((c) => c.ratio < 4.5);
      assert.deepEqual(low, [], `below 4.5:1 in ${scheme}`);
      await context.close();
    });
  }

  it('keyboard and screen readers: every control is named, Tab reaches them in order, dialogs trap and return focus', async () => {
    env.upstream.script([{ sse: openAiSse(RICH), chunkDelayMs: 10 }]);
    const { page, context } = await newPage(browser);
    await start(page, 'a rich answer');
    await page.waitForSelector('.turn:last-child[data-state="done"]');
    const unnamed = await page.evaluate(`[...document.querySelectorAll('button, input, select, textarea, a[href]')]
      .filter((el) => !(el.getAttribute('aria-label') || (el.id && document.querySelector('label[for="' + el.id + '"]')?.textContent) || el.textContent.trim() || el.getAttribute('title')))
      .map((el) => el.outerHTML.slice(0, 80))`);
    assert.deepEqual(unnamed, []);

    // From the top of the page: the skip link is the first stop.
    await page.focus('.skip-link');
    const order: string[] = ['skip-link'];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const f = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el ? el.id || el.className.split(' ').at(-1) || el.tagName : '';
      });
      order.push(f);
      if (f === 'send') break;
    }
    const at = (x: string) => order.indexOf(x);
    for (const x of ['skip-link', 'new-chat', 'search', 'session-open', 'session-rename', 'session-delete', 'model', 'settings-btn', 'key-btn', 'theme-btn', 'edit-btn', 'copy-btn', 'copy-answer', 'regenerate', 'input', 'send']) assert.ok(at(x) >= 0, `${x} in ${order.join(' ')}`);
    assert.ok(at('new-chat') < at('search') && at('search') < at('session-open') && at('session-open') < at('model') && at('model') < at('copy-answer') && at('copy-answer') < at('input') && at('input') < at('send'), order.join(' '));

    await page.focus('#settings-btn');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'system-input');
    await page.keyboard.press('Escape');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'settings-btn', 'focus returns to the button');
    await context.close();
  });

  it('a strict Content-Security-Policy blocks nothing (no inline scripts or style attributes)', async () => {
    env.upstream.script([{ sse: openAiSse(RICH), chunkDelayMs: 10 }]);
    const { page, context } = await newPage(browser);
    // The server's own page policy (src/http/security-headers.ts); the page must pass it.
    const pageResponse = page.waitForResponse((r) => r.request().resourceType() === 'document');
    await page.addInitScript(() => {
      const w = window as unknown as { violations: string[] };
      w.violations = [];
      document.addEventListener('securitypolicyviolation', (e) => w.violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
    });
    await start(page, 'a rich answer');
    const csp = (await (await pageResponse).allHeaders())['content-security-policy'] ?? '';
    for (const rule of ["script-src 'self'", "style-src 'self'", "connect-src 'self'", "font-src 'self'"]) assert.ok(csp.includes(rule), `${rule} in ${csp}`);
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp), csp);
    await page.waitForSelector('.turn:last-child[data-state="done"] .hljs-keyword');
    await page.waitForSelector('.turn:last-child .katex');
    await page.click('#settings-btn');
    await page.keyboard.press('Escape');
    await page.fill('#input', 'a\nb\nc');
    await page.click('#theme-btn');
    await page.waitForTimeout(200);
    assert.deepEqual(await page.evaluate(() => (window as unknown as { violations: string[] }).violations), []);
    assert.ok(await page.evaluate(() => getComputedStyle(document.querySelector('.katex')!).fontFamily.includes('KaTeX')), 'KaTeX styles applied under the CSP');
    await context.close();
  });
});
