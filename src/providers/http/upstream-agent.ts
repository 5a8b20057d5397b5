/**
 * The HTTP client of one provider: an undici `Agent` with a keep-alive connection pool, so
 * a stream does not pay a TCP and TLS handshake each time. undici's own header and body
 * timeouts are off: `open-sse.ts` runs streamgate's first-byte and idle timers instead,
 * because their defaults (5 minutes) would cut a model that thinks for longer.
 */
import { Agent } from 'undici';

export interface UpstreamAgentOptions {
  /** Time to open the TCP (and TLS) connection, in ms. */
  connectMs: number;
  /** Connections kept per origin. */
  connections?: number;
}

export function createUpstreamAgent(options: UpstreamAgentOptions): Agent {
  return new Agent({
    connect: { timeout: options.connectMs },
    connections: options.connections ?? 128,
    keepAliveTimeout: 30_000,
    keepAliveMaxTimeout: 600_000,
    headersTimeout: 0,
    bodyTimeout: 0,
  });
}
