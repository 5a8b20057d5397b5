/**
 * What the browser tests share: Debian's chromium (never a downloaded browser), a fresh
 * build of the page, and a streamgate on port 0 with its own data directory.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const WEB = fileURLToPath(new URL('..', import.meta.url));

/**
 * Why the browser tests cannot run here, or null when they can. Under CI a missing
 * browser is a failure (`.ci/run` installs it), so this throws there instead.
 */
export function browserSkipReason(): string | null {
  if (existsSync(CHROMIUM)) return null;
  const msg = `${CHROMIUM} is missing: apt-get install chromium`;
  if (process.env.CI === 'true') throw new Error(msg);
  return msg;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newestMtime(join(path, name)));
  return max;
}

/** Builds web/dist unless it is newer than every source of the page. */
export async function ensureBuilt(): Promise<void> {
  const index = join(WEB, 'dist', 'index.html');
  const sources = Math.max(newestMtime(join(WEB, 'src')), newestMtime(join(WEB, 'index.html')), newestMtime(join(WEB, 'public')));
  if (existsSync(index) && statSync(index).mtimeMs > sources) return;
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
}

/**
 * A streamgate for the browser; `STREAMGATE_E2E_URL` points the tests at one already
 * running instead (handy while developing the page against `npm start`).
 */
export async function startTestServer(): Promise<TestServer> {
  const external = process.env.STREAMGATE_E2E_URL;
  if (external) return { url: external.replace(/\/$/, ''), close: async () => {} };
  const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-web-'));
  const { startServer } = await import('../../src/server.js');
  const s = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir, logLevel: 'warn', simulator: { tokensPerSecond: 50, firstTokenMs: 100 } } });
  return {
    url: s.url,
    close: async () => {
      await s.close({ graceMs: 100 });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
