/**
 * A recording HTTP proxy for client tests: a real `node:http` server on 127.0.0.1, port 0,
 * that forwards every request to `target` and passes each response chunk on as it arrives,
 * keeping a copy of what went each way. A test points a client (an SDK, a browser, a
 * Python process) at the proxy and then compares what the client reports with the exact
 * bytes the server sent, and counts the requests (a client that re-sent its request shows
 * up as a second one).
 *
 *   const proxy = await startRecordingProxy(server.url);
 *   // … client against proxy.url …
 *   const [exchange] = proxy.exchanges; await exchange.done; exchange.body;
 *   await proxy.close();
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  /** Path and query, as the client sent them. */
  path: string;
  requestHeaders: IncomingHttpHeaders;
  requestBody: string;
  status?: number;
  responseHeaders?: IncomingHttpHeaders;
  /** The response body as received so far (decoded as UTF-8 once complete). */
  body: string;
  /** Resolves when the response ended or either side closed. */
  done: Promise<void>;
}

export interface RecordingProxy {
  url: string;
  exchanges: Exchange[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const exchanges: Exchange[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    const received: Buffer[] = [];
    let finish!: () => void;
    const exchange: Exchange = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      requestHeaders: req.headers,
      requestBody: '',
      body: '',
      done: new Promise<void>((r) => (finish = r)),
    };
    exchanges.push(exchange);
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      exchange.requestBody = Buffer.concat(chunks).toString('utf8');
      const upstream = request(new URL(exchange.path, target), { method: exchange.method, headers: { ...req.headers, host: new URL(target).host } }, (up) => {
        exchange.status = up.statusCode;
        exchange.responseHeaders = up.headers;
        res.writeHead(up.statusCode ?? 502, up.headers);
        res.flushHeaders();
        up.on('data', (c: Buffer) => {
          received.push(c);
          res.write(c);
        });
        up.on('end', () => {
          exchange.body = Buffer.concat(received).toString('utf8');
          res.end();
          finish();
        });
        up.on('close', () => {
          exchange.body = Buffer.concat(received).toString('utf8');
          finish();
        });
      });
      upstream.on('error', () => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
        finish();
      });
      // The client left: so does the request to the server.
      res.on('close', () => {
        if (!res.writableFinished) upstream.destroy();
      });
      upstream.end(exchange.requestBody);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
