/**
 * An upstream's SSE messages turned into the normalized stream by a provider's parser,
 * keeping the provider contract for failures: an error before the first event is thrown
 * (so the route can answer with a status and fallbacks can be tried), an error after it
 * becomes a final `error` event (the client already has part of the answer). A client
 * that left is not a failure: its abort is passed on as it is.
 *
 * Every failure leaves through here, so this is where upstream text is cleaned of secrets
 * (`redact.ts`): error bodies, in-stream `error` messages, malformed-data excerpts and
 * connection errors alike, before any client, stream log or replay sees them.
 *
 * One batch per read of the upstream body: the events of every message that read
 * completed, so the per-event work (JSON.parse, mapping) stays synchronous. When the reads
 * can push (`openSse`'s can), so can this: a consumer that pipes gets every batch from the
 * socket's `data` callback, with no promise or generator frame per read.
 */
import { pushable, type EventBatch, type EventStream, type Flow, type PushableIterator, type Sink, type StreamEvent } from '../../core/events.js';
import { toGatewayError } from '../../core/errors.js';
import { redactError, type Redactor } from './redact.js';
import type { EventSourceMessage } from './sse-decoder.js';

/** A provider's wire format: one SSE `data:` payload in, the events it completes out. */
export interface UpstreamStreamParser {
  /** One message's `data` (and its `event:` name, if it had one). Throws on an error message or malformed data. */
  push(data: string, event?: string): StreamEvent[];
  /** The body ended: the last events, or a throw if the stream stopped before its end. */
  end(): StreamEvent[];
}

export function upstreamEvents(
  open: () => Promise<AsyncIterable<EventSourceMessage[]>>,
  parser: UpstreamStreamParser,
  options: { signal: AbortSignal; redact: Redactor },
): EventStream {
  return new UpstreamEvents(open, parser, options);
}

/**
 * A hand-written iterator rather than an async generator: pulled, it costs one await per
 * read; piped (when the reads can push), none at all.
 */
class UpstreamEvents implements AsyncIterable<EventBatch>, PushableIterator<EventBatch> {
  private reads: PushableIterator<EventSourceMessage[]> | undefined;
  private started = false;
  /** Its last batch (or its failure) is out: later callbacks of the reads are ignored. */
  private over = false;

  constructor(
    private readonly open: () => Promise<AsyncIterable<EventSourceMessage[]>>,
    private readonly parser: UpstreamStreamParser,
    private readonly options: { signal: AbortSignal; redact: Redactor },
  ) {}

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<EventBatch>> {
    if (this.over) return { value: undefined, done: true };
    try {
      this.reads ??= (await this.open())[Symbol.asyncIterator]();
    } catch (err) {
      return this.failed(err, []);
    }
    for (;;) {
      let read: IteratorResult<EventSourceMessage[]>;
      try {
        read = await this.reads.next();
      } catch (err) {
        return this.failed(err, []);
      }
      const batch: EventBatch = [];
      try {
        if (read.done) {
          this.over = true;
          append(batch, this.parser.end());
          return batch.length > 0 ? { value: batch, done: false } : { value: undefined, done: true };
        }
        this.parse(read.value, batch);
      } catch (err) {
        void this.reads.return?.();
        return this.failed(err, batch);
      }
      if (batch.length > 0) {
        this.started = true;
        return { value: batch, done: false };
      }
    }
  }

  /** One read's messages into `batch` (kept partial on a throw: the events before an error come first). */
  private parse(messages: readonly EventSourceMessage[], batch: EventBatch): void {
    for (const message of messages) append(batch, this.parser.push(message.data, message.event));
  }

  /** Only once the stream is open (a provider's stream is pulled to its first batch before it is piped). */
  get pipe(): ((sink: Sink<EventBatch>) => Flow) | undefined {
    const pipeReads = this.reads ? pushable(this.reads) : undefined;
    if (!pipeReads) return undefined;
    return (sink) => {
      const { parser } = this;
      return pipeReads({
        data: (messages) => {
          if (this.over) return;
          const batch: EventBatch = [];
          try {
            this.parse(messages, batch);
          } catch (err) {
            void this.reads?.return?.();
            return this.deliverFailure(sink, err, batch);
          }
          if (batch.length === 0) return;
          this.started = true;
          sink.data(batch);
        },
        end: () => {
          if (this.over) return;
          const batch: EventBatch = [];
          try {
            append(batch, parser.end());
          } catch (err) {
            return this.deliverFailure(sink, err, batch);
          }
          this.over = true;
          if (batch.length > 0) sink.data(batch);
          sink.end();
        },
        fail: (err) => {
          if (!this.over) this.deliverFailure(sink, err, []);
        },
      });
    };
  }

  async return(): Promise<IteratorResult<EventBatch>> {
    this.over = true;
    await this.reads?.return?.();
    return { value: undefined, done: true };
  }

  private deliverFailure(sink: Sink<EventBatch>, err: unknown, batch: EventBatch): void {
    let result: IteratorResult<EventBatch>;
    try {
      result = this.failed(err, batch);
    } catch (thrown) {
      return sink.fail(thrown);
    }
    if (!result.done) sink.data(result.value);
    sink.end();
  }

  /**
   * The provider contract for a failure: a client's abort passes as it is, an error
   * before the first event is thrown, one after it is the last event (after the events
   * its read completed before it).
   */
  private failed(err: unknown, batch: EventBatch): IteratorResult<EventBatch> {
    this.over = true;
    if (this.options.signal.aborted) throw err;
    const error = redactError(toGatewayError(err), this.options.redact);
    if (!this.started && batch.length === 0) throw error;
    batch.push({ type: 'error', error });
    return { value: batch, done: false };
  }
}

function append(batch: EventBatch, events: StreamEvent[]): void {
  for (const event of events) batch.push(event);
}
