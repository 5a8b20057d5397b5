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
import type { Flow, PushableIterator, Sink } from '../../core/events.js';
import { createSseDecoder, SseLimitError, type EventSourceMessage, type SseDecoder } from './sse-decoder.js';
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
export async function openSse(options: OpenSseOptions): Promise<AsyncIterableIterator<EventSourceMessage[]> & PushableIterator<EventSourceMessage[]>> {
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
  return new SseReads(body, { watchdog, fail, contentType, providerId, timeouts: options.timeouts, maxEventBytes: options.maxEventBytes });
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

/**
 * The body's messages, one batch per read that completed any. Driven by the body's own
 * `data` events: a consumer that pipes gets each batch from that callback (no promise, no
 * generator frame per read); one that pulls gets them through a queue of at most one read
 * (the body is paused while a batch waits). Either way the body is paused while the
 * consumer holds it back, and the idle clock only runs while waiting on the upstream.
 */
class SseReads implements AsyncIterableIterator<EventSourceMessage[]>, PushableIterator<EventSourceMessage[]> {
  private readonly decoder: SseDecoder;
  private readonly idleMessage: string;
  /** Some servers send a real event stream under another type; only a body without any event is reported as what it is. */
  private readonly lenient: boolean;
  private excerpt = '';
  private sawEvents = false;
  private gotBytes = false;
  private sink: Sink<EventSourceMessage[]> | null = null;
  private readonly queue: EventSourceMessage[][] = [];
  private waiter: { resolve: (r: IteratorResult<EventSourceMessage[]>) => void; reject: (err: unknown) => void } | null = null;
  /** The body ended (`end` seen) or failed (`failure` set): after the queue, nothing more. */
  private over = false;
  private failure: { err: unknown } | null = null;
  private listening = false;
  private closed = false;
  /** The consumer asked to be held back (`Flow.pause`). */
  private held = false;
  private paused = false;

  constructor(
    private readonly body: Readable,
    private readonly options: ReadOptions,
  ) {
    this.decoder = createSseDecoder({ maxEventChars: options.maxEventBytes });
    this.idleMessage = `Upstream "${options.providerId}" sent nothing for ${options.timeouts.idleMs} ms (idle timeout)`;
    this.lenient = !options.contentType.toLowerCase().includes('text/event-stream');
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  next(): Promise<IteratorResult<EventSourceMessage[]>> {
    const value = this.queue.shift();
    if (value !== undefined) {
      this.updateFlow();
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) return Promise.reject(this.failure.err);
    // Over (ended or failed) implies closed; closed alone is a consumer's `return()`.
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    this.listen();
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.updateFlow();
    });
  }

  pipe(sink: Sink<EventSourceMessage[]>): Flow {
    // The body may have ended while a pulled read waited in the queue: the sink hears that after the read.
    const { over, failure } = this;
    this.sink = sink;
    // What a pull left queued comes first (`return()` empties the queue).
    for (let value = this.queue.shift(); value !== undefined; value = this.queue.shift()) this.deliver(sink, value);
    if (over) {
      if (failure) sink.fail(failure.err);
      else sink.end();
    } else if (!this.closed) this.listen();
    this.updateFlow();
    return {
      pause: () => {
        this.held = true;
        this.updateFlow();
      },
      resume: () => {
        this.held = false;
        this.updateFlow();
      },
    };
  }

  async return(): Promise<IteratorResult<EventSourceMessage[]>> {
    this.close();
    this.queue.length = 0;
    this.waiter?.resolve({ value: undefined, done: true });
    this.waiter = null;
    return { value: undefined, done: true };
  }

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.body.on('data', this.onData);
    this.body.once('end', this.onEnd);
    this.body.on('error', this.onError);
    this.body.once('close', this.onClose);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.closed) return;
    const { options } = this;
    // The first-byte clock ran until now; from here only time spent waiting on the upstream is idle.
    options.watchdog.disarm();
    this.gotBytes = true;
    if (this.lenient && !this.sawEvents && this.excerpt.length < EXCERPT_CHARS) this.excerpt += chunk.subarray(0, EXCERPT_CHARS).toString('utf8');
    let messages: EventSourceMessage[];
    try {
      messages = decode(() => this.decoder.push(chunk), options);
    } catch (err) {
      return this.finish({ err });
    }
    if (messages.length > 0) {
      this.sawEvents = true;
      this.emit(messages);
    }
    if (!this.closed && !this.paused) options.watchdog.arm(options.timeouts.idleMs, this.idleMessage);
  };

  private readonly onEnd = (): void => {
    if (this.closed) return;
    let last: EventSourceMessage[];
    try {
      last = decode(() => this.decoder.end(), this.options);
    } catch (err) {
      return this.finish({ err });
    }
    if (last.length > 0) this.emit(last);
    else if (this.lenient && !this.sawEvents) {
      const type = this.options.contentType.split(';')[0]?.trim() || 'no Content-Type';
      const quoted = this.excerpt.trim() === '' ? 'an empty body' : `"${this.excerpt.slice(0, EXCERPT_CHARS).trim()}"`;
      return this.finish({ err: new UpstreamError(`Upstream "${this.options.providerId}" answered 200 with ${type} instead of an event stream (text/event-stream): ${quoted}`, { code: 'upstream_not_sse' }) });
    }
    this.finish(null);
  };

  /** Closed with neither an end nor an error (destroyed from outside): a cut, not a silent end. */
  private readonly onClose = (): void => {
    if (this.closed) return;
    this.finish({ err: this.options.fail(new Error('the upstream body closed before its end')) });
  };

  private readonly onError = (err: unknown): void => {
    if (this.closed) return;
    this.finish({ err: this.options.fail(err) });
  };

  private emit(value: EventSourceMessage[]): void {
    if (this.sink) this.deliver(this.sink, value);
    else if (this.waiter) {
      const { resolve } = this.waiter;
      this.waiter = null;
      resolve({ value, done: false });
    } else this.queue.push(value);
    this.updateFlow();
  }

  /**
   * A throw in the consumer's callback (it runs inside the body's `data` event, where
   * nothing would catch it) fails the stream instead, as it would have a pulled read.
   */
  private deliver(sink: Sink<EventSourceMessage[]>, value: EventSourceMessage[]): void {
    try {
      sink.data(value);
    } catch (err) {
      if (!this.over) this.finish({ err });
    }
  }

  /** The body is over (ended, or failed with `failure`): the consumer hears it after what is queued. */
  private finish(failure: { err: unknown } | null): void {
    this.close();
    this.over = true;
    this.failure = failure;
    if (this.sink) {
      if (failure) this.sink.fail(failure.err);
      else this.sink.end();
    } else if (this.waiter && this.queue.length === 0) {
      const { resolve, reject } = this.waiter;
      this.waiter = null;
      if (failure) reject(failure.err);
      else resolve({ value: undefined, done: true });
    }
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    this.options.watchdog.close();
    // Destroyed unread, undici fails the body with "Request aborted": nobody is left to hear it (`onError` ignores it).
    if (!this.body.destroyed) this.body.destroy();
  }

  /** Paused while the consumer holds back or (when pulling) while a read waits in the queue. */
  private updateFlow(): void {
    if (this.closed) return;
    const pause = this.held || (this.sink === null && this.queue.length > 0);
    if (pause === this.paused) return;
    this.paused = pause;
    if (pause) {
      this.body.pause();
      // Time spent waiting on a slow client is not the upstream's (the first-byte clock keeps running).
      if (this.gotBytes) this.options.watchdog.disarm();
    } else {
      if (this.gotBytes) this.options.watchdog.arm(this.options.timeouts.idleMs, this.idleMessage);
      if (this.listening) this.body.resume();
    }
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
