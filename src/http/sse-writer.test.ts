import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { SseWriter } from './sse-writer.js';

/** The chunks of a chunked HTTP response body, as the server framed them. */
function chunksOf(raw: string): string[] {
  let body = raw.slice(raw.indexOf('\r\n\r\n') + 4);
  const chunks: string[] = [];
  for (;;) {
    const eol = body.indexOf('\r\n');
    const size = parseInt(body.slice(0, eol), 16);
    if (!size) return chunks;
    chunks.push(body.slice(eol + 2, eol + 2 + size));
    body = body.slice(eol + 2 + size + 2);
  }
}

async function rawGet(server: Server, path: string): Promise<string> {
  const socket = connect((server.address() as AddressInfo).port, '127.0.0.1');
  socket.setEncoding('latin1');
  let raw = '';
  socket.on('data', (s: string) => (raw += s));
  socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
  await once(socket, 'end');
  return raw;
}

describe('SseWriter', () => {
  let server: Server;

  before(async () => {
    const app = express();
    app.get('/batch', (_req, res) => {
      const writer = new SseWriter(res, { heartbeatMs: 60_000 });
      writer.write('data: 1\n\n');
      writer.write('data: 2\n\n');
      writer.write('data: 3\n\n');
      setTimeout(() => {
        writer.write('data: 4\n\n');
        setTimeout(() => writer.end('data: [DONE]\n\n'), 5);
      }, 5);
    });
    app.get('/quiet', (_req, res) => {
      // Ends after its second heartbeat (or after 10 s, and the test fails): no bound a busy machine can break.
      let pings = 0;
      const write = res.write.bind(res) as (chunk: string) => boolean;
      res.write = ((chunk: string) => {
        const ok = write(chunk);
        if (chunk === ': ping\n' && ++pings === 2) setImmediate(() => writer.end());
        return ok;
      }) as typeof res.write;
      const writer = new SseWriter(res, { heartbeatMs: 10 });
      setTimeout(() => writer.end(), 10_000).unref();
    });
    server = createServer(app).listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  after(() => server.close());

  it('sends what was written in one turn as one chunk, with the headers', async () => {
    const raw = await rawGet(server, '/batch');
    assert.match(raw, /^HTTP\/1\.1 200 OK\r\n/);
    assert.match(raw, /content-type: text\/event-stream; charset=utf-8\r\n/i);
    assert.deepEqual(chunksOf(raw), ['data: 1\n\ndata: 2\n\ndata: 3\n\n', 'data: 4\n\n', 'data: [DONE]\n\n']);
  });

  it('sends heartbeats while the stream is quiet', async () => {
    const raw = await rawGet(server, '/quiet');
    // A lone comment line: no blank line, which some decoders would dispatch as an empty event.
    assert.ok(chunksOf(raw).filter((c) => c === ': ping\n').length >= 2, raw);
  });
});
