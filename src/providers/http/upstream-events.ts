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
 * completed, so the per-event work (JSON.parse, mapping) stays synchronous.
 */
import type { EventBatch, EventStream, StreamEvent } from '../../core/events.js';
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

export async function* upstreamEvents(
  open: () => Promise<AsyncIterable<EventSourceMessage[]>>,
  parser: UpstreamStreamParser,
  options: { signal: AbortSignal; redact: Redactor },
): EventStream {
  const { signal } = options;
  let started = false;
  let batch: EventBatch = [];
  try {
    const reads = await open();
    for await (const messages of reads) {
      for (const message of messages) append(batch, parser.push(message.data, message.event));
      if (batch.length > 0) {
        started = true;
        yield batch;
        batch = [];
      }
    }
    append(batch, parser.end());
    if (batch.length > 0) yield batch;
  } catch (err) {
    // Events parsed before the failure in the same read are delivered before its error.
    if (signal.aborted) throw err;
    const error = redactError(toGatewayError(err), options.redact);
    if (!started && batch.length === 0) throw error;
    batch.push({ type: 'error', error });
    yield batch;
  }
}

function append(batch: EventBatch, events: StreamEvent[]): void {
  for (const event of events) batch.push(event);
}
