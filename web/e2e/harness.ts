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
  const sources = Math.max(newestMtime(join(WEB, 'src')), newestMtime(join(WEB, 'index.html')), newestMtime(join(WEB, 'public')), newestMtime(join(WEB, 'vite.config.ts')));
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
export async function startTestServer(config: Record<string, unknown> = {}): Promise<TestServer> {
  const external = process.env.STREAMGATE_E2E_URL;
  if (external && Object.keys(config).length === 0) return { url: external.replace(/\/$/, ''), close: async () => {} };
  const dataDir = mkdtempSync(join(tmpdir(), 'streamgate-web-'));
  const { startServer } = await import('../../src/server.js');
  const s = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir, logLevel: 'warn', simulator: { tokensPerSecond: 50, firstTokenMs: 100 }, ...config } });
  return {
    url: s.url,
    close: async () => {
      await s.close({ graceMs: 100 });
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export interface CuttingProxy {
  /** The proxy's base URL: the page is opened through it. */
  url: string;
  /** Connections that carried a request whose first line matches (e.g. `POST /v1/complete`). */
  count(pattern: RegExp): number;
  /** Cuts every open connection that carried such a request, as a dropped network would. */
  cut(pattern: RegExp): number;
  /** New connections go to another server from now on (a restart behind the same address). */
  retarget(url: string): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy (node `net`) in front of the server: it passes bytes both ways untouched
 * and can cut the page's connections mid-answer, without the server doing anything.
 */
export async function startCuttingProxy(target: string): Promise<CuttingProxy> {
  const { createServer, connect } = await import('node:net');
  let { hostname, port } = new URL(target);
  const conns = new Set<{ client: import('node:net').Socket; upstream: import('node:net').Socket; lines: string[] }>();
  const seen: string[] = [];
  const server = createServer((client) => {
    const upstream = connect(Number(port), hostname);
    const conn = { client, upstream, lines: [] as string[] };
    conns.add(conn);
    client.on('data', (chunk: Buffer) => {
      // Request lines of this connection (keep-alive may carry several).
      for (const m of chunk.toString('latin1').matchAll(/^(GET|POST|PATCH|DELETE|PUT|HEAD|OPTIONS) (\S+) HTTP\/1\.1/gm)) {
        conn.lines.push(`${m[1]} ${m[2]}`);
        seen.push(`${m[1]} ${m[2]}`);
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    const end = () => {
      conns.delete(conn);
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address() as import('node:net').AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    count: (pattern) => seen.filter((l) => pattern.test(l)).length,
    retarget(url) {
      ({ hostname, port } = new URL(url));
    },
    cut(pattern) {
      let n = 0;
      for (const c of [...conns]) {
        if (!c.lines.some((l) => pattern.test(l))) continue;
        // A reset, not a clean close: what a dropped Wi-Fi or a killed proxy looks like.
        c.client.resetAndDestroy();
        c.upstream.destroy();
        conns.delete(c);
        n++;
      }
      return n;
    },
    close: async () => {
      for (const c of conns) {
        c.client.destroy();
        c.upstream.destroy();
      }
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}

/** A page with the default test settings; records every request URL it makes. */
export async function newPage(browser: Browser, opts: { colorScheme?: 'light' | 'dark'; context?: import('playwright-core').BrowserContext } = {}) {
  const context = opts.context ?? (await browser.newContext({ viewport: { width: 1100, height: 800 }, locale: 'en-US', colorScheme: opts.colorScheme ?? 'light' }));
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  const requests: { url: string; headers: Record<string, string> }[] = [];
  page.on('request', (r) => requests.push({ url: r.url(), headers: r.headers() }));
  return { page, context, requests };
}

/** An OpenAI chat-completions SSE body that streams `pieces` as content deltas, one event each. */
export function openAiSse(pieces: string[]): string {
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'chatcmpl-web', object: 'chat.completion.chunk', created: 0, model: 'scripted', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return chunk({ role: 'assistant', content: '' }, null) + pieces.map((p) => chunk({ content: p }, null)).join('') + chunk({}, 'stop') + 'data: [DONE]\n\n';
}

/** A streamgate whose model `scripted` is a real HTTP fake upstream replaying `replies` (see fake-upstream.ts). */
export async function startScriptedServer(replies: import('../../src/providers/test-support/fake-upstream.js').FakeReply[], config: Record<string, unknown> = {}) {
  const { startFakeUpstream } = await import('../../src/providers/test-support/fake-upstream.js');
  const upstream = await startFakeUpstream(replies);
  const server = await startTestServer({
    providers: [{ id: 'fake', type: 'openai', baseURL: `${upstream.url}/v1`, maxRetries: 0 }],
    models: [{ name: 'scripted', provider: 'fake' }],
    ...config,
  });
  return {
    server,
    upstream,
    close: async () => {
      await server.close();
      await upstream.close();
    },
  };
}
