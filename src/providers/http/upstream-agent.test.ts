import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { request } from 'undici';
import { createUpstreamAgent } from './upstream-agent.js';

describe('createUpstreamAgent', () => {
  // Regression: a default of 128 connections per origin made stream 129 wait, with no
  // error, until another stream ended.
  it('opens more than 128 concurrent streams to one upstream', async () => {
    const held: ServerResponse[] = [];
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: {}\n\n');
      held.push(res);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const agent = createUpstreamAgent({ connectMs: 5000 });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      const streams = await Promise.all(
        Array.from({ length: 160 }, () => request(url, { method: 'POST', body: '{}', dispatcher: agent, signal: AbortSignal.timeout(5000) })),
      );
      assert.equal(streams.length, 160);
      assert.equal(held.length, 160);
      for (const s of streams) s.body.destroy();
    } finally {
      for (const res of held) res.destroy();
      await agent.close().catch(() => undefined);
      server.close();
    }
  });
});
