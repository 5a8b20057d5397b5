/**
 * Stop sequences over a stream that may be joined from several legs. Each upstream applies
 * the request's `stop` to what it generates, but not to a sequence that began before a
 * cut and ends in the continuation; so the answer text also goes through a
 * `StopSequenceMatcher` here, which holds back text that could be the start of a stop
 * sequence until it is known not to be one (and the cut text is part of the next leg's
 * prefix, so nothing held is lost). Only for requests with `stop` to a model that can
 * continue.
 */
import type { EventBatch, EventStream, Usage } from '../core/events.js';
import { StopSequenceMatcher } from '../core/stop-sequences.js';

/**
 * `usageSoFar` gives the running usage when the match ends the stream: the upstream that
 * was stopped never sends its own, and the answer's usage must still count every leg.
 */
export async function* stopAcrossLegs(events: EventStream, stop: readonly string[], usageSoFar: () => Usage): EventStream {
  const matcher = new StopSequenceMatcher(stop);
  for await (const batch of events) {
    const out: EventBatch = [];
    for (const event of batch) {
      if (event.type === 'text-delta') {
        const cut = matcher.push(event.text);
        if (cut.text) out.push({ type: 'text-delta', text: cut.text });
        if (cut.stopped) {
          out.push({ type: 'finish', reason: 'stop-sequence' }, { type: 'usage', usage: usageSoFar() });
          // Leaving the loop returns the joined stream, which stops its upstream.
          yield out;
          return;
        }
        continue;
      }
      if (event.type === 'finish' || event.type === 'error' || event.type === 'tool-call-delta') {
        const held = matcher.flush();
        if (held) out.push({ type: 'text-delta', text: held });
      }
      out.push(event);
    }
    if (out.length > 0) yield out;
  }
  const held = matcher.flush();
  if (held) yield [{ type: 'text-delta', text: held }];
}
