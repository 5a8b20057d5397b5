/**
 * Applies a model's `reasoning` mode to its normalized stream: thinking written inside
 * `<think>` tags in the text becomes `reasoning-delta` events. Reasoning that an upstream
 * already sent in a field passes through.
 *
 * This sits on the hot path (every event of every stream): the splitting itself is
 * synchronous, per batch; once the answer has begun, a batch passes through as it is.
 */
import { pushable, type EventBatch, type EventStream, type Flow, type PushableIterator, type Sink, type StreamEvent, type UsageEvent } from './events.js';
import { ThinkTagSplitter, type ThinkPart } from './think-splitter.js';

/**
 * `auto`: `<think>` at the start of the text opens thinking, and an upstream that sends
 * reasoning in a field turns tag-splitting off; `tags`: text before `</think>` is thinking
 * even without `<think>`; `field` and `none`: the text is left as it is.
 *
 * Under `auto`, servers that send reasoning in a field (DeepSeek, vLLM) also send
 * whitespace-only `content` before, between and after the reasoning chunks (`"\n\n"`
 * where the model wrote `</think>\n\n`). Until the answer has begun, whitespace is the
 * thinking phase's separator, not answer text: it is dropped, and the answer starts at
 * its first non-whitespace character. Text with anything else in it is passed on at once.
 */
export type ReasoningMode = 'auto' | 'tags' | 'field' | 'none';

export function splitReasoning(events: EventStream, mode: ReasoningMode): EventStream {
  if (mode === 'field' || mode === 'none') return events;
  return new Split(events, new ReasoningSplitter(mode));
}

/** A hand-written iterator over the synchronous splitter; it pushes when its source does. */
class Split implements AsyncIterable<EventBatch>, PushableIterator<EventBatch> {
  private readonly source: AsyncIterator<EventBatch>;
  private flushed = false;

  constructor(
    events: EventStream,
    private readonly splitter: ReasoningSplitter,
  ) {
    this.source = events[Symbol.asyncIterator]();
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  async next(): Promise<IteratorResult<EventBatch>> {
    if (this.flushed) return { value: undefined, done: true };
    for (;;) {
      const result = await this.source.next();
      if (result.done) {
        const rest = this.rest();
        return rest ? { value: rest, done: false } : { value: undefined, done: true };
      }
      const out = this.split(result.value);
      if (out) return { value: out, done: false };
    }
  }

  get pipe(): ((sink: Sink<EventBatch>) => Flow) | undefined {
    const pipeSource = pushable(this.source);
    if (!pipeSource) return undefined;
    return (sink) =>
      pipeSource({
        data: (batch) => {
          const out = this.split(batch);
          if (out) sink.data(out);
        },
        end: () => {
          const rest = this.rest();
          if (rest) sink.data(rest);
          sink.end();
        },
        fail: (err) => sink.fail(err),
      });
  }

  async return(): Promise<IteratorResult<EventBatch>> {
    this.flushed = true;
    await this.source.return?.();
    return { value: undefined, done: true };
  }

  /** A batch split (passed on untouched when no event in it changes), or nothing when all of it is held back. */
  private split(batch: EventBatch): EventBatch | undefined {
    const { splitter } = this;
    if (batch.every(splitter.passes)) return batch;
    const out: EventBatch = [];
    for (const event of batch) splitter.push(event, out);
    return out.length > 0 ? out : undefined;
  }

  /** What the splitter still held when the source ended. */
  private rest(): EventBatch | undefined {
    this.flushed = true;
    const rest: EventBatch = [];
    this.splitter.flush(rest);
    return rest.length > 0 ? rest : undefined;
  }
}

/** The synchronous part: one event in, the events it completes appended to `out`. */
export class ReasoningSplitter {
  private readonly splitter: ThinkTagSplitter;
  /** `auto` saw reasoning in a field: text is no longer split by tags. */
  private passThrough = false;
  /** Non-whitespace answer text has gone out: from here on text passes as it comes. */
  private answerBegun = false;
  private out: StreamEvent[] = [];
  /**
   * A usage total that came while text was held back: it covers that text, so it goes out
   * after it (a usage event is a running total; one followed by text it already counted
   * would make that text look unreported).
   */
  private heldUsage: UsageEvent | null = null;
  private readonly emit = (part: ThinkPart, text: string) => {
    this.out.push(part === 'text' ? { type: 'text-delta', text } : { type: 'reasoning-delta', text });
  };
  /** Emits only the answer's text after its leading whitespace (the thinking phase's separator). */
  private readonly emitAfterThinking = (part: ThinkPart, text: string) => {
    if (part === 'text') {
      if (!this.answerBegun) text = trimStart(text);
      if (text.length === 0) return;
      this.answerBegun = true;
    }
    this.emit(part, text);
  };

  constructor(private readonly mode: 'auto' | 'tags') {
    this.splitter = new ThinkTagSplitter({ implicitOpen: mode === 'tags' });
  }

  /** True when `event` would come out unchanged and alone: the caller may skip `push`. */
  readonly passes = (event: StreamEvent): boolean => {
    if (event.type === 'text-delta') return this.passThrough ? this.answerBegun : this.splitter.inText;
    return event.type === 'usage' && !this.splitter.holding;
  };

  push(event: StreamEvent, out: StreamEvent[]): void {
    this.out = out;
    if (event.type === 'usage') {
      if (this.splitter.holding) this.heldUsage = event;
      else out.push(event);
      return;
    }
    if (event.type === 'text-delta') {
      if (this.passThrough) this.emitAfterThinking('text', event.text);
      else if (this.splitter.inText) out.push(event);
      else this.splitter.push(event.text, this.emit);
      this.releaseUsage();
      return;
    }
    if (event.type === 'reasoning-delta' && this.mode === 'auto' && !this.passThrough) {
      this.passThrough = true;
      // What the tag splitter held is whitespace or a cut-short `<think>`: the former only separated the thinking.
      this.answerBegun = this.splitter.inText;
      this.splitter.flush(this.emitAfterThinking);
    } else if (event.type === 'finish' || event.type === 'error' || (event.type === 'tool-call-delta' && !this.passThrough)) {
      // Text held back for a possible `<think>` goes out before the event that follows it.
      this.splitter.flush(this.emit);
    }
    this.releaseUsage();
    out.push(event);
  }

  /** The source ended: what the splitter still held. */
  flush(out: StreamEvent[]): void {
    this.out = out;
    this.splitter.flush(this.emit);
    this.releaseUsage();
  }

  private releaseUsage(): void {
    if (this.heldUsage === null || this.splitter.holding) return;
    this.out.push(this.heldUsage);
    this.heldUsage = null;
  }
}

function trimStart(text: string): string {
  const c = text.charCodeAt(0);
  return c === 32 || c === 10 || c === 13 || c === 9 ? text.replace(/^[ \t\r\n]+/, '') : text;
}
