/**
 * Shutdown as an operator meets it, on one instance run as a real process: SIGTERM lets a
 * short answer finish whole and ends a long one, at the deadline, with an error that says
 * the restart cut it (never "reconnect to resume": nothing could resume it); a second
 * signal exits at once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { readSse } from '../test-support/sse-reader.js';
import { startStreamgate } from '../test-support/streamgate-process.js';

const dir = mkdtempSync(join(tmpdir(), 'sg-shutdown-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const chat = (extra: Record<string, unknown>) => ({
  model: 'sim-chat',
  stream: true,
  seed: 3,
  messages: [{ role: 'user', content: 'Explain server-sent events in a few sentences.' }],
  ...extra,
});

/** A free port: listen on 0, close, reuse (the child must be told its port up front). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('shutdown of one instance (real process)', () => {
  test('SIGTERM: a short answer arrives whole, a long one ends at the deadline with the truthful error, exit 0', async () => {
    const sg = await startStreamgate({ port: await freePort(), dir, name: 'one', config: { dataDir: join(dir, 'data1'), shutdownGraceMs: 3000 } });
    let started = 0;
    const acceptHeaders = () => (started++, true);
    const short = readSse(`${sg.url}/v1/chat/completions`, { acceptHeaders, body: chat({ max_tokens: 20, sim: { tokens_per_second: 20, first_token_ms: 0 } }) });
    const long = readSse(`${sg.url}/v1/chat/completions`, { acceptHeaders, body: chat({ sim: { tokens_per_second: 0, first_token_ms: 0, fault: 'stall' } }) });
    const complete = readSse(`${sg.url}/v1/complete?question=hello&sim_fault=stall&sim_first_token_ms=0`, { acceptHeaders });
    // All three have begun (a fixed sleep is not enough on a loaded machine).
    for (let i = 0; i < 3000 && started < 3; i++) await new Promise((r) => setTimeout(r, 10));
    sg.kill('SIGTERM');
    const [s, l, c] = await Promise.all([short, long, complete]);
    assert.equal(s.events.at(-1)?.data, '[DONE]', `the short answer is whole:\n${s.raw}`);
    const cut = JSON.parse(l.events.at(-1)!.data) as { error: { code: string; message: string } };
    assert.equal(cut.error.code, 'server_restarted');
    assert.doesNotMatch(cut.error.message, /reconnect|resume/i);
    const envelope = JSON.parse(c.events.at(-1)!.data) as { event: string; code: number; msg: string };
    assert.equal(envelope.event, 'error');
    assert.equal(envelope.code, 503);
    assert.match(envelope.msg, /cut short because the server restarted/);
    assert.deepEqual([...l.retries, ...c.retries], [], 'nobody is asked to reconnect');
    assert.equal(await sg.exited, 0, sg.output());
  });

  test('a second signal exits at once, without waiting for the deadline', async () => {
    const sg = await startStreamgate({ port: await freePort(), dir, name: 'two', config: { dataDir: join(dir, 'data2'), shutdownGraceMs: 600_000 } });
    const long = readSse(`${sg.url}/v1/chat/completions`, { body: chat({ sim: { tokens_per_second: 0, first_token_ms: 0, fault: 'stall' } }) }).catch(() => null);
    await new Promise((r) => setTimeout(r, 300));
    sg.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(sg.child.exitCode, null, 'the first signal drains (the stalled stream holds it)');
    sg.kill('SIGINT');
    // Well before the 10-minute deadline: the test's own timeout would catch a wait for it.
    assert.equal(await sg.exited, 130);
    await long;
  });
});
