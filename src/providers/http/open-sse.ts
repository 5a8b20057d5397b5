/**
 * POSTs a JSON request to an upstream and returns its SSE messages. Everything that can go
 * wrong before the stream starts is thrown as a typed error (status, connection, first-byte
 * timeout); later failures (cut connection, idle timeout) are thrown from the iterator.
 * The client's AbortSignal goes into the request, so a client that leaves closes the
 * upstream connection at once; a consumer that stops early closes it too.
 */
import { request, type Dispatcher } from 'undici';
import { UpstreamError } from '../../core/errors.js';
import { createSseDecoder, type EventSourceMessage } from './sse-decoder.js';
import { errorFromUpstreamFailure, errorFromUpstreamStatus, upstreamErrorMessage, type UpstreamIdentity } from './upstream-error.js';
import { redactSecrets } from './redact.js';
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

  const { statusCode, headers, body } = response;
  const contentType = String(headers['content-type'] ?? '');
  // An HTML page is never a stream: a baseURL pointing at a web UI or a login portal.
  const notAStream = contentType.includes('application/json') || contentType.includes('text/html');
  if (statusCode >= 300 || notAStream) {
    let bodyText = '';
    try {
      bodyText = await readText(body, MAX_ERROR_BODY);
    } catch (err) {
      throw fail(err);
    }
    watchdog.close();
    if (statusCode >= 300) throw errorFromUpstreamStatus({ ...options, status: statusCode, headers, bodyText });
    // Some servers answer a streaming request that failed with a 200 JSON error body.
    const said = redactSecrets(upstreamErrorMessage(bodyText) ?? 'empty body', options.secrets);
    const what = contentType.includes('text/html') ? `${contentType.split(';')[0]} (is baseURL right?)` : 'JSON';
    throw new UpstreamError(`Upstream "${providerId}" answered with ${what} instead of an event stream: ${said.slice(0, 1000)}`);
  }
  return readMessages(body, watchdog, options.timeouts.idleMs, fail, providerId);
}

async function* readMessages(
  body: Dispatcher.ResponseData['body'],
  watchdog: Watchdog,
  idleMs: number,
  fail: (err: unknown) => unknown,
  providerId: string,
): AsyncGenerator<EventSourceMessage[]> {
  const decoder = createSseDecoder();
  const idleMessage = `Upstream "${providerId}" sent nothing for ${idleMs} ms (idle timeout)`;
  const chunks = body[Symbol.asyncIterator]();
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
      const messages = decoder.push(next.value);
      if (messages.length > 0) yield messages;
    }
    const last = decoder.end();
    if (last.length > 0) yield last;
  } finally {
    watchdog.close();
    if (!body.destroyed) body.destroy();
  }
}

async function readText(body: Dispatcher.ResponseData['body'], limit: number): Promise<string> {
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
