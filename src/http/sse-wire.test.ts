import assert from 'node:assert/strict';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { after, before, describe, it } from 'node:test';
import type { EventStream } from '../core/events.js';
import type { ChatRequest, LanguageModelProvider, StreamCallOptions } from '../providers/types.js';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';

/** POSTs a JSON body and hands back the raw response as it arrives. */
function open(url: string, body: unknown): Promise<{ res: import('node:http').IncomingMessage; destroy: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => resolve({ res, destroy: () => req.destroy() }));
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

describe('the SSE wire', () => {
  let server: RunningServer;
  /** When the simulator's signal fired, per call. */
  const abortedAt: number[] = [];
  const data = tempDataDir();

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, heartbeatMs: 40, streams: { resumeGraceMs: 0 } } });
    // resumeGraceMs 0: a client that leaves cancels the run at once (the default waits 30 s for it to resume).
    // Watch the abort arrive at the provider: wrap the simulator the route uses.
    const deployment = server.context.registry.resolve('sim-reasoner').deployments[0]!.deployment;
    const inner = deployment.provider;
    const watching: LanguageModelProvider = {
      id: inner.id,
      stream(req: ChatRequest, options: StreamCallOptions): EventStream {
        options.signal.addEventListener('abort', () => abortedAt.push(performance.now()), { once: true });
        return inner.stream(req, options);
      },
    };
    (deployment as { provider: LanguageModelProvider }).provider = watching;
  });
  after(async () => {
    await server.close();
    data.remove();
  });

  it('sends : ping comments while the model has not spoken yet, then the data', async () => {
    const { res } = await open(`${server.url}/v1/chat/completions`, {
      model: 'sim-reasoner',
      stream: true,
      max_tokens: 2,
      messages: [{ role: 'user', content: 'hi' }],
      sim: { first_token_ms: 250, tokens_per_second: 0 },
    });
    assert.equal(res.statusCode, 200);
    let body = '';
    for await (const chunk of res) body += chunk;
    const firstData = body.indexOf('data: ');
    const pings = body.slice(0, firstData).split(': ping\n').length - 1;
    assert.ok(pings >= 3, `expected several heartbeats before the first token, got ${pings}: ${JSON.stringify(body.slice(0, 80))}`);
    assert.equal(body.slice(0, firstData).replaceAll(': ping\n', ''), '', 'nothing but heartbeats before the data');
    assert.match(body, /data: \[DONE\]\n\n$/);
  });

  // That the abort happens is tested here; how fast (the goal is under 100 ms) is measured by `npm run bench`.
  it('a client that closes mid-stream aborts the provider', async () => {
    const before = abortedAt.length;
    const { res, destroy } = await open(`${server.url}/v1/chat/completions`, {
      model: 'sim-reasoner',
      stream: true,
      messages: [{ role: 'user', content: 'write a long essay about the sea' }],
      sim: { first_token_ms: 0, tokens_per_second: 50 },
    });
    let seen = '';
    for await (const chunk of res) {
      seen += chunk;
      if (seen.split('\n\n').length > 4) break;
    }
    const closedAt = performance.now();
    destroy();
    const deadline = Date.now() + 10_000;
    while (abortedAt.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    assert.equal(abortedAt.length, before + 1, 'the provider saw the abort');
    assert.ok((abortedAt.at(-1) as number) >= closedAt, 'the abort came after the close');
  });
});
