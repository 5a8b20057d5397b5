/**
 * The floor any Node gateway can reach: a `node:http` proxy that only pipes bytes, both
 * ways, over a keep-alive pool, with no parsing at all. It holds both sockets of every
 * stream, as streamgate does. Usage: `pass-through.ts <upstream port>`; prints `{"port": N}`.
 */
import { Agent, createServer, request } from 'node:http';

const upstreamPort = Number(process.argv[2]);
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });

const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0 }, (req, res) => {
  const headers = { ...req.headers };
  delete headers.connection;
  const upstream = request({ host: '127.0.0.1', port: upstreamPort, method: req.method, path: req.url, headers, agent }, (up) => {
    res.writeHead(up.statusCode ?? 502, up.headers);
    up.pipe(res);
  });
  upstream.on('error', () => res.destroy());
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  req.pipe(upstream);
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => process.exit(0));
