/**
 * Applies a model's `reasoning` mode to its normalized stream: thinking written inside
 * `<think>` tags in the text becomes `reasoning-delta` events. Reasoning that an upstream
 * already sent in a field passes through.
 */
import type { StreamEvent } from './events.js';
import { ThinkTagSplitter, type ThinkPart } from './think-splitter.js';

/**
 * `auto`: `<think>` at the start of the text opens thinking, and an upstream that sends
 * reasoning in a field turns tag-splitting off; `tags`: text before `</think>` is thinking
 * even without `<think>`; `field` and `none`: the text is left as it is.
 */
export type ReasoningMode = 'auto' | 'tags' | 'field' | 'none';

export async function* splitReasoning(events: AsyncIterable<StreamEvent>, mode: ReasoningMode): AsyncGenerator<StreamEvent> {
  if (mode === 'field' || mode === 'none') {
    yield* events;
    return;
  }
  const splitter = new ThinkTagSplitter({ implicitOpen: mode === 'tags' });
  const ready: StreamEvent[] = [];
  const emit = (part: ThinkPart, text: string) => {
    ready.push(part === 'text' ? { type: 'text-delta', text } : { type: 'reasoning-delta', text });
  };
  let passThrough = false;
  for await (const event of events) {
    if (event.type === 'text-delta') {
      if (passThrough || splitter.inText) {
        yield event;
        continue;
      }
      splitter.push(event.text, emit);
    } else {
      if (event.type === 'reasoning-delta' && mode === 'auto' && !passThrough) {
        passThrough = true;
        splitter.flush(emit);
      } else if (event.type === 'finish' || event.type === 'error') {
        splitter.flush(emit);
      }
      ready.push(event);
    }
    for (const e of ready) yield e;
    ready.length = 0;
  }
  splitter.flush(emit);
  for (const e of ready) yield e;
}
