/**
 * Applies a model's `reasoning` mode to its normalized stream: thinking written inside
 * `<think>` tags in the text becomes `reasoning-delta` events. Reasoning that an upstream
 * already sent in a field passes through.
 *
 * This sits on the hot path (every event of every stream), so it is a hand-written
 * iterator over a synchronous splitter rather than an async generator: once the answer
 * has begun, an event costs one `await` of the source and nothing else.
 */
import type { StreamEvent } from './events.js';
import { ThinkTagSplitter, type ThinkPart } from './think-splitter.js';

/**
 * `auto`: `<think>` at the start of the text opens thinking, and an upstream that sends
 * reasoning in a field turns tag-splitting off; `tags`: text before `</think>` is thinking
 * even without `<think>`; `field` and `none`: the text is left as it is.
 */
export type ReasoningMode = 'auto' | 'tags' | 'field' | 'none';

export function splitReasoning(events: AsyncIterable<StreamEvent>, mode: ReasoningMode): AsyncIterable<StreamEvent> {
  if (mode === 'field' || mode === 'none') return events;
  return { [Symbol.asyncIterator]: () => new SplitIterator(events[Symbol.asyncIterator](), new ReasoningSplitter(mode)) };
}

/** The synchronous part: one event in, the events it completes appended to `out`. */
export class ReasoningSplitter {
  private readonly splitter: ThinkTagSplitter;
  private passThrough = false;
  private out: StreamEvent[] = [];
  private readonly emit = (part: ThinkPart, text: string) => {
    this.out.push(part === 'text' ? { type: 'text-delta', text } : { type: 'reasoning-delta', text });
  };

  constructor(private readonly mode: 'auto' | 'tags') {
    this.splitter = new ThinkTagSplitter({ implicitOpen: mode === 'tags' });
  }

  /** True when `event` would come out unchanged and alone: the caller may skip `push`. */
  passes(event: StreamEvent): boolean {
    return event.type === 'text-delta' ? this.passThrough || this.splitter.inText : event.type === 'usage';
  }

  push(event: StreamEvent, out: StreamEvent[]): void {
    this.out = out;
    if (event.type === 'text-delta') {
      if (this.passThrough || this.splitter.inText) out.push(event);
      else this.splitter.push(event.text, this.emit);
      return;
    }
    if (event.type === 'reasoning-delta' && this.mode === 'auto' && !this.passThrough) {
      this.passThrough = true;
      this.splitter.flush(this.emit);
    } else if (event.type === 'finish' || event.type === 'error') {
      this.splitter.flush(this.emit);
    }
    out.push(event);
  }

  /** The source ended: what the splitter still held. */
  flush(out: StreamEvent[]): void {
    this.out = out;
    this.splitter.flush(this.emit);
  }
}

class SplitIterator implements AsyncIterator<StreamEvent> {
  private ready: StreamEvent[] = [];
  private head = 0;
  private ended = false;

  constructor(
    private readonly source: AsyncIterator<StreamEvent>,
    private readonly splitter: ReasoningSplitter,
  ) {}

  async next(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      if (this.head < this.ready.length) return { value: this.ready[this.head++] as StreamEvent, done: false };
      this.ready.length = 0;
      this.head = 0;
      if (this.ended) return { value: undefined, done: true };
      const result = await this.source.next();
      if (result.done) {
        this.ended = true;
        this.splitter.flush(this.ready);
      } else if (this.splitter.passes(result.value)) {
        return result;
      } else {
        this.splitter.push(result.value, this.ready);
      }
    }
  }

  async return(): Promise<IteratorResult<StreamEvent>> {
    this.ended = true;
    this.ready.length = 0;
    await this.source.return?.();
    return { value: undefined, done: true };
  }
}
