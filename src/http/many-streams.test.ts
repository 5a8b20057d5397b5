import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';

describe('many streams at once', () => {
  let server: RunningServer;
  const data = tempDataDir();
  const warnings: Error[] = [];
  const onWarning = (w: Error) => warnings.push(w);

  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir, logLevel: 'silent' } });
    process.on('warning', onWarning);
  });
  after(async () => {
    process.off('warning', onWarning);
    await server.close();
    data.remove();
  });

  it('serves 40 concurrent streams whole, with no listener-leak warning from the shared shutdown signal', async () => {
    const one = async (i: number) => {
      const res = await fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'sim-chat', stream: true, max_tokens: 5, seed: i, messages: [{ role: 'user', content: 'hi' }], sim: { first_token_ms: 0, tokens_per_second: 50 } }),
      });
      assert.equal(res.status, 200);
      const text = await res.text();
      assert.match(text, /data: \[DONE\]\n\n$/, `stream ${i} ends with [DONE]`);
    };
    await Promise.all(Array.from({ length: 40 }, (_, i) => one(i)));
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings.map((w) => `${w.name}: ${w.message}`), []);
  });
});
