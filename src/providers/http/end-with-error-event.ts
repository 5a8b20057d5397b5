/**
 * The provider contract for failures: an error before the first event is thrown (so the
 * route can answer with a status and fallbacks can be tried), an error after it becomes a
 * final `error` event (the client already has part of the answer). A client that left is
 * not a failure: its abort is passed on as it is.
 */
import type { StreamEvent } from '../../core/events.js';
import { toGatewayError } from '../../core/errors.js';

export async function* endWithErrorEvent(events: AsyncIterable<StreamEvent>, signal: AbortSignal): AsyncGenerator<StreamEvent> {
  let started = false;
  try {
    for await (const event of events) {
      started = true;
      yield event;
    }
  } catch (err) {
    if (!started || signal.aborted) throw err;
    yield { type: 'error', error: toGatewayError(err) };
  }
}
