/**
 * The benchmark measures streamgate as shipped: its config differs from the defaults only
 * in providers, models, the log level under test, the heartbeat and the data directory,
 * and the usage ledger records the streams the benchmark runs (nothing switched off).
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { parseConfig } from '../src/config/load-config.js';
import { startServer, type RunningServer } from '../src/server.js';
import { tempDataDir } from '../src/test-support/temp-data-dir.js';
import { DIALECTS } from './dialects.js';
import { createFakeUpstream } from './fake-upstream.js';
import { gatewayConfig } from './gateway-config.js';
import { openStream, target } from './load.js';

const OWN_KEYS = ['providers', 'models', 'logLevel', 'heartbeatMs', 'dataDir'];

describe('the benchmark config', () => {
  it('is the shipped default but for providers, models, log level, heartbeat and data directory', () => {
    const bench = parseConfig(gatewayConfig(1, 2, 'info', '/tmp/x'));
    const shipped = parseConfig({});
    const differs = Object.keys(shipped).filter((k) => JSON.stringify(bench[k as keyof typeof bench]) !== JSON.stringify(shipped[k as keyof typeof shipped]));
    assert.deepEqual(differs.filter((k) => !OWN_KEYS.includes(k)), []);
    assert.deepEqual(Object.keys(bench).filter((k) => !(k in shipped)).filter((k) => !OWN_KEYS.includes(k)), []);
    // As shipped: the embedded SQLite store (its usage ledger beside it), no OTLP export, info logs.
    assert.equal(bench.store, undefined);
    assert.equal(bench.telemetry.otlpEndpoint, '');
    assert.equal(bench.logLevel, 'info');
  });

  describe('running', () => {
    const data = tempDataDir('streamgate-bench-config-');
    let upstream: Server;
    let gateway: RunningServer;
    before(async () => {
      upstream = createFakeUpstream();
      await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
      const port = (upstream.address() as AddressInfo).port;
      gateway = await startServer({ port: 0, host: '127.0.0.1', config: { ...gatewayConfig(port, port, 'silent', data.dir) } });
    });
    after(async () => {
      await gateway.close();
      upstream.closeAllConnections();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
      data.remove();
    });

    it('records every dialect\'s streams in the usage ledger', async () => {
      for (const d of DIALECTS) await openStream(target(d.id, gateway.port, d.path, d.body('bench-short', 'Say something.'), d.wire, 8)).done;
      const res = await fetch(`${gateway.url}/v1/usage`);
      const body = (await res.json()) as { data: Array<{ model: string; requests: number }> };
      const requests = body.data.filter((r) => r.model === 'bench-short').reduce((sum, r) => sum + r.requests, 0);
      assert.equal(requests, DIALECTS.length, JSON.stringify(body));
    });
  });
});
