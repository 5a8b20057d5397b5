/**
 * `npm run screenshots`: pictures of the chat page for the README (light, dark, phone
 * width), taken with Debian's chromium against a streamgate with the simulator.
 * Writes docs/screenshots/chat-light.png, chat-dark.png, chat-phone.png, and chat-key.png
 * (a server with `auth` asking for a key).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { browserSkipReason, ensureBuilt, launchBrowser, startTestServer } from './harness.js';

const OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));

const SEED_QUESTIONS = ['今天星期几？', 'Explain server-sent events in two sentences'];
// Questions the simulator's corpus answers with tables and code.
const QUESTION_LIGHT = 'Python vs JavaScript: which should I learn first? Compare them.';
const QUESTION_DARK = 'How does Promise.all work with async/await in JavaScript?';
const QUESTION_PHONE = '用 Python 写一个快速排序';

async function ask(page: Page, question: string, state = 'done'): Promise<void> {
  await page.fill('#input', question);
  await page.press('#input', 'Enter');
  await page.waitForSelector(`.turn:last-child[data-state="${state}"]`, { timeout: 30_000 });
}

interface Shot {
  name: string;
  question: string;
  /** Taken mid-stream, with the thinking panel open and its timer running. */
  live: boolean;
  context: BrowserContextOptions;
}

async function shot(browser: Browser, url: string, { name, question, live, context }: Shot): Promise<void> {
  const ctx = await browser.newContext(context);
  const page = await ctx.newPage();
  await page.goto(`${url}/${live ? '?sim_tokens_per_second=12' : ''}`);
  await page.waitForSelector('#model option', { state: 'attached' });
  if (live) {
    await ask(page, question, 'streaming');
    await page.waitForFunction(() => (document.querySelector('.turn:last-child .thinking-body')?.textContent?.length ?? 0) > 160, undefined, { timeout: 30_000 });
  } else {
    await ask(page, question);
  }
  await page.waitForTimeout(200);
  await page.screenshot({ path: join(OUT, name) });
  console.log(`wrote docs/screenshots/${name}`);
  await ctx.close();
}

/** The page against a server with `auth`: it asks for a key, and says when one is refused. */
async function keyShot(browser: Browser): Promise<void> {
  const server = await startTestServer({ auth: { keys: [{ key: 'sk-screenshot-key-1234', name: 'demo' }] } });
  try {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 860 }, colorScheme: 'light', locale: 'en-US' });
    const page = await ctx.newPage();
    await page.goto(server.url);
    await page.waitForSelector('#key-dialog[open]');
    await page.fill('#key-input', 'sk-wrong-key-0000');
    await page.press('#key-input', 'Enter');
    await page.waitForSelector('#key-error:not([hidden])');
    await page.waitForTimeout(200);
    await page.screenshot({ path: join(OUT, 'chat-key.png') });
    console.log('wrote docs/screenshots/chat-key.png');
    await ctx.close();
  } finally {
    await server.close();
  }
}

async function main(): Promise<void> {
  const skip = browserSkipReason();
  if (skip) throw new Error(skip);
  mkdirSync(OUT, { recursive: true });
  await ensureBuilt();
  const server = await startTestServer();
  const browser = await launchBrowser();
  try {
    // A few earlier conversations, so the sidebar has something to show.
    const seedCtx = await browser.newContext();
    const seed = await seedCtx.newPage();
    await seed.goto(`${server.url}/?sim_tokens_per_second=0`);
    for (const q of SEED_QUESTIONS) {
      await seed.click('#new-chat');
      await ask(seed, q);
    }
    const storageState = await seedCtx.storageState();
    await seedCtx.close();

    const desktop = { width: 1280, height: 860 };
    const shots: Shot[] = [
      { name: 'chat-light.png', question: QUESTION_LIGHT, live: false, context: { storageState, viewport: desktop, colorScheme: 'light', locale: 'en-US' } },
      { name: 'chat-dark.png', question: QUESTION_DARK, live: true, context: { storageState, viewport: desktop, colorScheme: 'dark', locale: 'en-US' } },
      {
        name: 'chat-phone.png',
        question: QUESTION_PHONE,
        live: false,
        context: { storageState, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, colorScheme: 'light', locale: 'zh-CN' },
      },
    ];
    for (const s of shots) await shot(browser, server.url, s);
    await keyShot(browser);
  } finally {
    await browser.close();
    await server.close();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
