/**
 * The official Python `openai` and `anthropic` SDKs on `/v1/responses` and `/v1/messages`
 * (create, stream, background with `starting_after`, count_tokens, typed errors), run as a
 * child process against a server on port 0. Skipped with what to install when python3 or
 * the packages are missing, except under `CI=true` (`.ci/run` installs them), where it fails.
 */
import { after, before, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { startServer, type RunningServer } from '../../server.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';

const SCRIPT = fileURLToPath(new URL('../test-support/python_sdks_check.py', import.meta.url));
const HINT = 'the Python openai and anthropic SDKs are needed: python3 -m pip install openai anthropic (.ci/run installs them)';

/** Runs python3 without blocking the event loop (the server is in this process). */
async function python(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn('python3', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, out };
}

async function requirePackages(t: TestContext): Promise<boolean> {
  const probe = await python(['-c', 'import openai, anthropic']).catch((err: Error) => ({ code: -1, out: err.message }));
  if (probe.code === 0) return true;
  if (process.env.CI === 'true') assert.fail(`${HINT} (CI=true: the test must not be skipped): ${probe.out.trim()}`);
  t.skip(HINT);
  return false;
}

let gateway: RunningServer;
const data = tempDataDir('sg-python-sdks-');

before(async () => {
  gateway = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, simulator: { tokensPerSecond: 0, firstTokenMs: 0 } } });
});

after(async () => {
  await gateway.close();
  data.remove();
});

it('the Python openai and anthropic SDKs read /v1/responses and /v1/messages', async (t) => {
  if (!(await requirePackages(t))) return;
  const run = await python([SCRIPT, gateway.url]);
  t.diagnostic(run.out.trim());
  assert.equal(run.code, 0, run.out);
  assert.match(run.out, /all Python SDK checks passed/);
});
