/**
 * POSTs a JSON request to an upstream and returns its SSE messages. Everything that can go
 * wrong before the stream starts is thrown as a typed error (status, connection, first-byte
 * timeout); later failures (cut connection, idle timeout) are thrown from the iterator.
 * The client's AbortSignal goes into the request, so a client that leaves closes the
 * upstream connection at once; a consumer that stops early closes it too.
 */
import type { Readable } from 'node:stream';
import { request, type Dispatcher } from 'undici';
import { UpstreamError } from '../../core/errors.js';
import { contentEncodings, decodeBody, undecodable } from './content-decoding.js';
import { createSseDecoder, SseLimitError, type EventSourceMessage } from './sse-decoder.js';
import { errorFromUpstreamFailure, errorFromUpstreamStatus, upstreamErrorMessage, type UpstreamIdentity } from './upstream-error.js';
import { Watchdog } from './watchdog.js';

export interface StreamTimeouts {
  /** From sending the request to the first byte of the body, in ms. */
  firstByteMs: number;
  /** Between two chunks of the body, in ms. */
  idleMs: number;
}

export interface OpenSseOptions extends UpstreamIdentity {
  url: string;
  headers: Record<string, string>;
  body: unknown;
  agent: Dispatcher;
  timeouts: StreamTimeouts;
  signal: AbortSignal;
  /** Longest SSE line or event accepted (`limits.upstreamEventBytes`); past it the stream fails as `upstream_malformed`. */
  maxEventBytes: number;
}

const MAX_ERROR_BODY = 64 * 1024;

/** Opens the stream; its messages come in batches, one per read of the body (never empty). */
export async function openSse(options: OpenSseOptions): Promise<AsyncGenerator<EventSourceMessage[]>> {
  const watchdog = new Watchdog(options.signal);
  const { providerId } = options;
  watchdog.arm(options.timeouts.firstByteMs, `Upstream "${providerId}" sent nothing for ${options.timeouts.firstByteMs} ms (first-byte timeout)`);
  const fail = (err: unknown) => {
    watchdog.close();
    if (watchdog.fired) return watchdog.fired;
    if (options.signal.aborted) return err;
    return errorFromUpstreamFailure(err, options);
  };

  let response: Dispatcher.ResponseData;
  try {
    response = await request(options.url, {
      method: 'POST',
      dispatcher: options.agent,
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...options.headers },
      body: JSON.stringify(options.body),
      signal: watchdog.signal,
    });
  } catch (err) {
    throw fail(err);
  }

  const { statusCode, headers } = response;
  const contentType = String(headers['content-type'] ?? '');
  const encodings = contentEncodings(headers['content-encoding']);
  const cannotDecode = undecodable(encodings);
  if (cannotDecode) {
    watchdog.close();
    // undici fails a body destroyed unread with "Request aborted": nobody is left to hear it.
    response.body.on('error', () => undefined).destroy();
    throw new UpstreamError(`Upstream "${providerId}" answered with Content-Encoding: ${cannotDecode.slice(0, 40)}, which streamgate cannot decode (gzip, deflate and br can be)`, {
      code: 'upstream_bad_encoding',
    });
  }
  const body = decodeBody(response.body, encodings);
  // An HTML page is never a stream: a baseURL pointing at a web UI or a login portal.
  const notAStream = contentType.includes('application/json') || contentType.includes('text/html');
  if (statusCode < 200 || statusCode >= 300 || notAStream) {
    const failed = statusCode < 200 || statusCode >= 300;
    let bodyText = '';
    try {
      bodyText = await readText(body, MAX_ERROR_BODY);
    } catch (err) {
      // An error body that cannot be read (or decoded) still has its status to tell.
      if (!failed || watchdog.fired || options.signal.aborted) throw fail(err);
    }
    watchdog.close();
    if (failed) throw errorFromUpstreamStatus({ ...options, status: statusCode, headers, bodyText });
    // Some servers answer a streaming request that failed with a 200 JSON error body.
    const said = upstreamErrorMessage(bodyText) ?? 'empty body';
    const what = contentType.includes('text/html') ? `${contentType.split(';')[0]} (is baseURL right?)` : 'JSON';
    throw new UpstreamError(`Upstream "${providerId}" answered with ${what} instead of an event stream: ${said.slice(0, 1000)}`);
  }
  return readMessages(body, { watchdog, fail, contentType, providerId, timeouts: options.timeouts, maxEventBytes: options.maxEventBytes });
}

interface ReadOptions {
  watchdog: Watchdog;
  fail: (err: unknown) => unknown;
  providerId: string;
  timeouts: StreamTimeouts;
  maxEventBytes: number;
  /** The answer's Content-Type, named when a body that is not `text/event-stream` held no events. */
  contentType: string;
}

/** How much of a body that held no events is quoted in the error. */
const EXCERPT_CHARS = 200;

async function* readMessages(body: Readable, options: ReadOptions): AsyncGenerator<EventSourceMessage[]> {
  const { watchdog, fail, providerId } = options;
  const idleMs = options.timeouts.idleMs;
  const decoder = createSseDecoder({ maxEventChars: options.maxEventBytes });
  const idleMessage = `Upstream "${providerId}" sent nothing for ${idleMs} ms (idle timeout)`;
  const chunks = body[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  // Some servers send a real event stream under another type; only a body without any
  // event is reported as what it is.
  const lenient = !options.contentType.toLowerCase().includes('text/event-stream');
  let excerpt = '';
  let sawEvents = false;
  try {
    for (let first = true; ; first = false) {
      // The first-byte clock is already running; after that, only time spent waiting on
      // the upstream counts as idle (not time spent waiting on a slow client).
      if (!first) watchdog.arm(idleMs, idleMessage);
      let next: IteratorResult<Buffer>;
      try {
        next = await chunks.next();
      } catch (err) {
        throw fail(err);
      }
      watchdog.disarm();
      if (next.done) break;
      if (lenient && !sawEvents && excerpt.length < EXCERPT_CHARS) excerpt += next.value.subarray(0, EXCERPT_CHARS).toString('utf8');
      const messages = decode(() => decoder.push(next.value), options);
      if (messages.length > 0) {
        sawEvents = true;
        yield messages;
      }
    }
    const last = decode(() => decoder.end(), options);
    if (last.length > 0) yield last;
    else if (lenient && !sawEvents) {
      const type = options.contentType.split(';')[0]?.trim() || 'no Content-Type';
      const quoted = excerpt.trim() === '' ? 'an empty body' : `"${excerpt.slice(0, EXCERPT_CHARS).trim()}"`;
      throw new UpstreamError(`Upstream "${providerId}" answered 200 with ${type} instead of an event stream (text/event-stream): ${quoted}`, { code: 'upstream_not_sse' });
    }
  } finally {
    watchdog.close();
    if (!body.destroyed) body.destroy();
  }
}

/** The decoder's messages, its size limit turned into the stream's error. */
function decode(step: () => EventSourceMessage[], options: ReadOptions): EventSourceMessage[] {
  try {
    return step();
  } catch (err) {
    if (!(err instanceof SseLimitError)) throw err;
    throw new UpstreamError(
      `Upstream "${options.providerId}" sent an SSE line or event longer than ${options.maxEventBytes} bytes (limits.upstreamEventBytes); the stream was stopped there`,
      { code: 'upstream_malformed' },
    );
  }
}

async function readText(body: Readable, limit: number): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of body) {
    text += decoder.decode(chunk as Buffer, { stream: true });
    if (text.length > limit) {
      body.destroy();
      break;
    }
  }
  return text + decoder.decode();
}
