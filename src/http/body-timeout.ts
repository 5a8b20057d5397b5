/**
 * `limits.bodyTimeoutMs`: a request body must arrive whole within this time. Node's own
 * `requestTimeout` answers a bare 408 with no body; this answers in the endpoint's error
 * shape and closes the connection, so a peer dribbling a body byte by byte cannot hold a
 * connection (and the parser's buffer) for ever.
 */
import type { IncomingMessage } from 'node:http';
import type { Request, RequestHandler } from 'express';
import { GatewayError } from '../core/errors.js';
import { sendError } from './errors.js';

/** True when the request announces a body (`Content-Length` > 0 or chunked). */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

export function bodyTimeoutError(ms: number): GatewayError {
  return new GatewayError(408, 'invalid_request_error', `The request body did not arrive within ${ms} ms (limits.bodyTimeoutMs); send it at once.`, {
    code: 'body_timeout',
  });
}

export function bodyTimeout(ms: number, format: (error: GatewayError, req: Request) => unknown): RequestHandler {
  return (req, res, next) => {
    if (!hasBody(req) || req.complete) {
      next();
      return;
    }
    const socket = req.socket;
    const timer = setTimeout(() => {
      if (req.complete) return;
      if (res.headersSent) {
        // Already answered (an unknown path, a 401) while the body still trickles in.
        socket.destroy();
        return;
      }
      const error = bodyTimeoutError(ms);
      res.set('Connection', 'close');
      sendError(res, error, format(error, req));
    }, ms);
    // A keep-alive socket carries many requests: each removes its own listener.
    const clear = () => {
      clearTimeout(timer);
      socket.off('close', clear);
    };
    // Not on the response's end: an answer sent early (404, 401) must not free a trickling body.
    req.once('end', clear);
    socket.once('close', clear);
    next();
  };
}
