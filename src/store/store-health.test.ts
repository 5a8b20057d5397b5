/**
 * Health that tells the truth (issue 13): a Redis frozen with SIGSTOP (process stopped,
 * connection open) makes requests 503 store_unavailable within seconds instead of hanging
 * and /healthz 503 until it answers again; a session database with damaged pages is found
 * at start, reported by /healthz (503 store_corrupt) and one log line naming the file,
 * while the endpoints that need no session keep streaming.
 */
import assert from 'node:assert/strict';
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../server.js';
import { installHint, requireBinary, startRedis, type RunningService } from '../test-support/services.js';
import { capturingLogger } from '../test-support/capturing-logger.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { SESSION_DB_FILE } from './sqlite-session-store.js';

const chat = (extra: Record<string, unknown> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ model: 'sim-chat', stream: true, max_completion_tokens: 5, messages: [{ role: 'user', content: 'hi' }], ...extra }),
});


async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('a Redis that hangs (SIGSTOP, real redis-server)', { timeout: 120_000 }, () => {
  let service: RunningService | undefined;
  let server: RunningServer | undefined;
  const data = tempDataDir();
  const log = capturingLogger();

  before(async () => {
    const binary = requireBinary('redis-server');
    if (!binary) return;
    service = await startRedis(binary);
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      logger: log.logger,
      config: { dataDir: data.dir, store: { type: 'redis', url: `redis://127.0.0.1:${service.port}` }, simulator: { tokensPerSecond: 0, firstTokenMs: 0 } },
    });
  });
  after(async () => {
    if (service && service.process.exitCode === null) service.process.kill('SIGCONT');
    await server?.close();
    await service?.stop();
    data.remove();
  });

  test('requests get 503 store_unavailable within seconds, /healthz 503; after SIGCONT both recover', async (t) => {
    if (!service || !server) return t.skip(installHint('redis-server'));
    const url = server.url;
    assert.equal((await fetch(`${url}/v1/chat/completions`, chat())).status, 200);
    assert.equal((await fetch(`${url}/healthz`)).status, 200);

    service.process.kill('SIGSTOP');
    // Before the fix this request hung for as long as Redis was stopped.
    const started = Date.now();
    // A resumable stream needs the shared log (a plain one does not touch Redis at all).
    const first = await fetch(`${url}/v1/chat/completions`, { ...chat({ resumable: true }), signal: AbortSignal.timeout(30_000) });
    const firstMs = Date.now() - started;
    assert.equal(first.status, 503);
    assert.equal(((await first.json()) as { error: { code: string } }).error.code, 'store_unavailable');
    assert.ok(firstMs < 15_000, `answered in ${firstMs} ms`);

    const health = await eventually('/healthz 503', async () => {
      const res = await fetch(`${url}/healthz`);
      const body = (await res.json()) as { status: string };
      return res.status === 503 ? body : undefined;
    });
    assert.equal(health.status, 'store_unavailable');
    assert.ok(log.lines.some((l) => /redis does not answer/.test(String(l.msg))), 'a log line says Redis hangs');

    // Known down: the next ones fail without waiting for a command timeout each.
    const resumable = await fetch(`${url}/v1/chat/completions`, { ...chat({ resumable: true }), signal: AbortSignal.timeout(30_000) });
    assert.equal(resumable.status, 503);
    await resumable.text();
    const sessions = await fetch(`${url}/v1/sessions`, { signal: AbortSignal.timeout(30_000) });
    assert.equal(sessions.status, 503);
    const complete = await fetch(`${url}/v1/complete?question=hi&model=sim-chat`, { signal: AbortSignal.timeout(30_000) });
    assert.equal(complete.status, 503);
    await complete.text();

    service.process.kill('SIGCONT');
    await eventually('/healthz 200 again', async () => ((await fetch(`${url}/healthz`)).status === 200 ? true : undefined));
    assert.ok(log.lines.some((l) => /redis connection restored/.test(String(l.msg))), 'a log line says it is back');
    const again = await fetch(`${url}/v1/chat/completions`, chat({ resumable: true }));
    assert.equal(again.status, 200);
    assert.match(await again.text(), /\[DONE\]/);
  });
});

/** Writes `bytes` of garbage at `offset` of the file. */
function scribble(path: string, offset: number, bytes: number): void {
  const fd = openSync(path, 'r+');
  try {
    const garbage = Buffer.alloc(bytes);
    for (let i = 0; i < bytes; i++) garbage[i] = (i * 131 + 7) & 0xff;
    writeSync(fd, garbage, 0, bytes, offset);
  } finally {
    closeSync(fd);
  }
}

describe('a damaged SQLite session file', { timeout: 120_000 }, () => {
  const data = tempDataDir();
  after(() => data.remove());

  async function fill(): Promise<void> {
    const server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 } } });
    try {
      // Enough turns for several pages of sessions and turns.
      for (let i = 0; i < 40; i++) {
        const res = await fetch(`${server.url}/v1/complete?question=${encodeURIComponent(`question ${i} ${'long '.repeat(40)}`)}&model=sim-chat&sessionId=s-${i}`);
        assert.equal(res.status, 200);
        await res.text();
      }
      assert.equal((await fetch(`${server.url}/v1/sessions`)).status, 200);
    } finally {
      await server.close();
    }
  }

  test('is found at start: /healthz 503 store_corrupt, session calls 503, a log line names the file, chat still streams', async () => {
    await fill();
    const file = join(data.dir, SESSION_DB_FILE);
    const size = statSync(file).size;
    assert.ok(size >= 4096 * 4, `the database has several pages (${size} bytes)`);
    // Page 1 (the header and schema) stays, the pages after it are garbage.
    scribble(file, 4096, size - 4096);

    const log = capturingLogger();
    const server = await startServer({ port: 0, host: '127.0.0.1', logger: log.logger, config: { dataDir: data.dir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 } } });
    try {
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 503);
      const body = (await health.json()) as { status: string; problems: Array<{ status: string; message: string }> };
      assert.equal(body.status, 'store_corrupt');
      assert.match(body.problems[0]!.message, /session database is damaged/);

      const line = log.lines.find((l) => l.level === 50 && String(l.msg).includes(file));
      assert.ok(line, 'an error line names the file');
      assert.match(String(line.msg), /quick_check/);

      const list = await fetch(`${server.url}/v1/sessions`);
      assert.equal(list.status, 503);
      assert.equal(((await list.json()) as { error: { code: string } }).error.code, 'store_corrupt');
      const complete = await fetch(`${server.url}/v1/complete?question=hi&model=sim-chat&sessionId=s-1`);
      assert.equal(complete.status, 503);
      assert.match(await complete.text(), /store_corrupt/);

      const streamed = await fetch(`${server.url}/v1/chat/completions`, chat());
      assert.equal(streamed.status, 200);
      assert.match(await streamed.text(), /\[DONE\]/);
      const lm = await fetch(`${server.url}/lm/v2/chat/completions`, chat());
      assert.equal(lm.status, 200);
      await lm.text();
    } finally {
      await server.close();
    }
  });

  test('a file that is not a database at all is reported the same way', async () => {
    const file = join(data.dir, SESSION_DB_FILE);
    scribble(file, 0, 4096);
    const log = capturingLogger();
    const server = await startServer({ port: 0, host: '127.0.0.1', logger: log.logger, config: { dataDir: data.dir } });
    try {
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 503);
      assert.match(JSON.stringify(await health.json()), /store_corrupt.*not a database/);
      assert.equal((await fetch(`${server.url}/v1/sessions/s-1`)).status, 503);
    } finally {
      await server.close();
    }
  });
});
