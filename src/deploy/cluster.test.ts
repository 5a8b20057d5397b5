/**
 * The deployment as operators run it: real redis-server, two streamgate processes, real
 * nginx with the repository's `deploy/nginx/streamgate.conf`. A client drops mid-answer
 * and resumes on the other instance; the serving instance gets SIGTERM and the client
 * resumes elsewhere; Redis restarts under load and the service recovers. Skipped with what
 * to install when redis-server or nginx is missing (fails instead under CI=true).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { chatText, eventIds, readSse, type SseRead } from '../test-support/sse-reader.js';
import { freePort, installHint, requireBinary, startNginx, startRedis, type RunningService } from '../test-support/services.js';
import { startStreamgate, type StreamgateProcess } from '../test-support/streamgate-process.js';

const NGINX_CONF = fileURLToPath(new URL('../../deploy/nginx/streamgate.conf', import.meta.url));

/** A resumable chat stream: what can move to another instance. */
const body = (seed: number, sim: Record<string, unknown>) => ({
  model: 'sim-reasoner',
  stream: true,
  resumable: true,
  seed,
  messages: [{ role: 'user', content: 'Explain server-sent events in a few sentences.' }],
  sim: { first_token_ms: 0, ...sim },
});

/** The repository's nginx config with test ports, plus a header naming the instance that answered. */
function nginxConfig(listen: number, upstreams: number[]): string {
  const conf = readFileSync(NGINX_CONF, 'utf8');
  const servers = upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=5s;`).join('\n');
  const out = conf
    .replace(/^\s*server 127\.0\.0\.1:\d+[^\n]*\n(?:\s*server 127\.0\.0\.1:\d+[^\n]*\n)*/m, `${servers}\n`)
    .replace(/listen 8080;/, `listen 127.0.0.1:${listen};`)
    .replace(/location \/ \{/, 'location / {\n        add_header X-Upstream $upstream_addr always;');
  assert.ok(out.includes(`127.0.0.1:${upstreams[1]}`) && out.includes(`listen 127.0.0.1:${listen}`), 'the config was adapted');
  return out;
}

describe('two instances behind nginx with one Redis', { timeout: 90_000 }, () => {
  let redisBinary: string | null = null;
  let redis: RunningService | undefined;
  let nginx: RunningService | undefined;
  const instances: StreamgateProcess[] = [];
  let ports: number[] = [];
  let dir = '';
  let base = '';
  let config: object = {};

  before(async () => {
    redisBinary = requireBinary('redis-server');
    const nginxBinary = requireBinary('nginx');
    if (!redisBinary || !nginxBinary) return;
    dir = mkdtempSync(join(tmpdir(), 'sg-cluster-'));
    redis = await startRedis(redisBinary);
    ports = [await freePort(), await freePort()];
    config = {
      host: '127.0.0.1',
      store: { type: 'redis', url: `redis://127.0.0.1:${redis.port}` },
      streams: { resumeGraceMs: 10_000 },
      shutdownGraceMs: 15_000,
      heartbeatMs: 1_000,
    };
    for (const [i, port] of ports.entries()) instances.push(await startStreamgate({ port, config, dir, name: `sg${i}` }));
    const listen = await freePort();
    nginx = await startNginx(nginxBinary, { port: listen, httpConfig: nginxConfig(listen, ports) });
    base = `http://127.0.0.1:${listen}`;
  });

  after(async () => {
    for (const instance of instances) instance.kill('SIGKILL');
    await nginx?.stop();
    await redis?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const skipped = () => (redis && nginx ? false : installHint(!redisBinary ? 'redis-server' : 'nginx'));
  const portOf = (read: SseRead) => Number(read.headers.get('x-upstream')?.split(':').pop());

  /** Resumes through nginx, insisting on landing on an instance other than `avoid`. */
  async function resumeElsewhere(streamId: string, lastId: string, avoid: number): Promise<SseRead> {
    for (let attempt = 0; attempt < 6; attempt++) {
      const read = await readSse(`${base}/v1/streams/${streamId}`, {
        headers: { 'Last-Event-ID': lastId },
        acceptHeaders: (h) => Number(h.get('x-upstream')?.split(':').pop()) !== avoid,
      });
      if (!read.rejected) return read;
    }
    throw new Error('nginx never sent the resume to the other instance');
  }

  test('a client drops mid-answer and resumes through nginx on the other instance', async (t) => {
    const reason = skipped();
    if (reason) return t.skip(reason);
    const whole = await readSse(`${base}/v1/chat/completions`, { body: body(11, { tokens_per_second: 0 }) });
    assert.equal(whole.status, 200);
    assert.equal(whole.headers.get('content-encoding'), null, 'event streams are not gzipped');

    const first = await readSse(`${base}/v1/chat/completions`, { body: body(11, { tokens_per_second: 40 }), dropAfter: 10 });
    assert.ok(first.dropped);
    const served = portOf(first);
    assert.ok(ports.includes(served));
    const rest = await resumeElsewhere(first.headers.get('x-stream-id')!, first.events.at(-1)!.id!, served);
    assert.equal(rest.status, 200);
    assert.notEqual(portOf(rest), served);
    const joined = [...first.events, ...rest.events];
    assert.deepEqual(eventIds(joined), joined.map((_, i) => i + 1), 'no event lost or repeated');
    assert.equal(chatText(joined), chatText(whole.events));
    assert.equal(joined.at(-1)?.data, '[DONE]');
  });

  test('other responses are gzipped by nginx', async (t) => {
    const reason = skipped();
    if (reason) return t.skip(reason);
    const res = await fetch(`${base}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-encoding': 'gzip' },
      body: JSON.stringify({ ...body(13, { tokens_per_second: 0 }), stream: false }),
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.ok(((await res.json()) as { choices: unknown[] }).choices.length === 1, 'fetch decompressed a valid body');
  });

  test('SIGTERM on the serving instance: the client is told to resume and gets the rest elsewhere, the instance exits 0', async (t) => {
    const reason = skipped();
    if (reason) return t.skip(reason);
    const whole = await readSse(`${base}/v1/chat/completions`, { body: body(12, { tokens_per_second: 0 }) });
    let victim: StreamgateProcess | undefined;
    let served = 0;
    const first = await readSse(`${base}/v1/chat/completions`, {
      body: body(12, { tokens_per_second: 40 }),
      acceptHeaders: (h) => {
        served = Number(h.get('x-upstream')?.split(':').pop());
        return true;
      },
      dropWhen: (_e, n) => {
        // After 10 events, SIGTERM the instance serving this stream and keep reading.
        if (n === 10) {
          victim = instances.find((i) => i.port === served);
          victim?.kill('SIGTERM');
        }
        return false;
      },
    });
    assert.ok(victim, 'the serving instance was found');
    const notice = JSON.parse(first.events.at(-1)!.data) as { error?: { code?: string; stream_id?: string } };
    assert.equal(notice.error?.code, 'resume', 'the client was told to resume');
    assert.ok(first.events.length < whole.events.length, 'the connection was closed before the end');
    const received = first.events.slice(0, -1);
    const rest = await resumeElsewhere(notice.error!.stream_id!, received.at(-1)!.id!, victim.port);
    const joined = [...received, ...rest.events];
    assert.deepEqual(eventIds(joined), joined.map((_, i) => i + 1), 'no event lost or repeated');
    assert.equal(chatText(joined), chatText(whole.events));
    assert.equal(await victim.exited, 0, `exit code 0; output:\n${victim.output()}`);

    // Bring it back for the next test.
    const index = instances.indexOf(victim);
    instances[index] = await startStreamgate({ port: victim.port, config, dir, name: `sg${index}b` });
  });

  test('Redis restarted under load: clear 503s while it is down, no crash, recovery after', async (t) => {
    const reason = skipped();
    if (reason) return t.skip(reason);
    let started = 0;
    const running = [1, 2, 3, 4].map((seed) =>
      readSse(`${base}/v1/chat/completions`, { body: body(20 + seed, { tokens_per_second: 40 }), acceptHeaders: () => (started++, true) }),
    );
    // Every stream has begun before Redis goes (a fixed sleep is not enough on a loaded machine).
    for (let i = 0; i < 3000 && started < 4; i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(started, 4, 'the four streams started');
    const port = redis!.port;
    await redis!.stop();

    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body(30, { tokens_per_second: 0 })),
      });
      statuses.push(res.status);
      if (res.status === 503) {
        const err = ((await res.json()) as { error: { code: string } }).error;
        assert.equal(err.code, 'store_unavailable');
        assert.equal(res.headers.get('retry-after'), '1');
      } else await res.arrayBuffer();
    }
    assert.deepEqual(statuses, [503, 503, 503, 503, 503, 503]);
    for (const p of ports) assert.equal((await fetch(`http://127.0.0.1:${p}/healthz`)).status, 503);

    // Streams already running keep serving their clients from memory; none is cut silently.
    for (const read of await Promise.all(running)) {
      assert.equal(read.status, 200, read.raw);
      const last = read.events.at(-1)?.data;
      assert.ok(last === '[DONE]' || (last !== undefined && 'error' in JSON.parse(last)), `ends with [DONE] or an error event, got ${last}`);
    }

    redis = await startRedis(redisBinary!, port);
    const deadline = Date.now() + 10_000;
    let recovered = 0;
    while (Date.now() < deadline && recovered < 2) {
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body(31, { tokens_per_second: 0 })),
      });
      const text = await res.text();
      // Two successes in a row: both instances are back (nginx alternates).
      recovered = res.status === 200 && text.includes('[DONE]') ? recovered + 1 : 0;
      if (recovered < 2) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(recovered, 2, 'the service recovered after Redis came back');
    for (const instance of instances) assert.equal(instance.child.exitCode, null, `instance on ${instance.port} is still running`);

    // And resuming across instances works again.
    const first = await readSse(`${base}/v1/chat/completions`, { body: body(32, { tokens_per_second: 40 }), dropAfter: 5 });
    const rest = await resumeElsewhere(first.headers.get('x-stream-id')!, first.events.at(-1)!.id!, portOf(first));
    assert.equal(rest.events.at(-1)?.data, '[DONE]');
    assert.deepEqual(eventIds([...first.events, ...rest.events]), [...first.events, ...rest.events].map((_, i) => i + 1));
  });
});
