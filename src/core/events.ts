/**
 * The normalized stream: every provider (the simulator included) yields only these
 * events, and every wire format is an encoder from them. Nothing here knows about
 * HTTP, SSE or any upstream's JSON.
 */
import type { GatewayError } from './errors.js';

/**
 * Why the model stopped, in streamgate's own words. Encoders map these to their dialect:
 * OpenAI says `stop` for both `end` and `stop-sequence`; lm-v2 says `normal` and `stop`.
 */
export type FinishReason =
  | 'end' // the model finished on its own
  | 'stop-sequence' // cut at a stop sequence from the request
  | 'length' // hit the token limit
  | 'content-filter'
  | 'tool-calls';

/**
 * Token counts of one stream, as a running total: each `usage` event carries everything
 * counted so far in this stream (not an increment since the last one), so a later event
 * replaces an earlier one and the last is the stream's usage. Providers emit totals (an
 * upstream that repeats its cumulative usage on every chunk is passed on as such; one that
 * reports input first and output at the end gives two totals). Usage is recorded once, when
 * the stream ends however it ends (finished, stopped, failed), by `UsageTally`
 * (`src/usage/usage-tally.ts`): the provider's figures as they are (an explicit 0 stays 0),
 * plus, when text was streamed after the last report or none came, an estimate of what was
 * streamed, and the result is marked `estimated`.
 */
export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Of `completionTokens`, how many were thinking, when the upstream says. */
  reasoningTokens?: number;
}

/** A piece of the answer the user reads. */
export interface TextDeltaEvent {
  type: 'text-delta';
  text: string;
}

/** A piece of the model's thinking (between `<think>` and `</think>`, or an upstream's reasoning field). */
export interface ReasoningDeltaEvent {
  type: 'reasoning-delta';
  text: string;
}

/**
 * A piece of a function call the model makes. `index` numbers the calls of one answer
 * from 0 with no gaps; the first delta of a call carries its `id` and `name`, the
 * following ones only more of its JSON `arguments` text (which may be cut anywhere).
 */
export interface ToolCallDeltaEvent {
  type: 'tool-call-delta';
  index: number;
  id?: string;
  name?: string;
  argumentsDelta: string;
}

export interface UsageEvent {
  type: 'usage';
  usage: Usage;
}

/** The model is done. Always the last event of a successful stream. */
export interface FinishEvent {
  type: 'finish';
  reason: FinishReason;
}

/**
 * The stream failed after it started. Always the last event of a failed stream. A
 * failure before the first event is thrown instead, so the route can still answer with
 * an HTTP status.
 */
export interface ErrorEvent {
  type: 'error';
  error: GatewayError;
}

export type StreamEvent = TextDeltaEvent | ReasoningDeltaEvent | ToolCallDeltaEvent | UsageEvent | FinishEvent | ErrorEvent;

export type StreamEventType = StreamEvent['type'];

/**
 * Events in the order they happened, grouped as they became available (every chunk of
 * one upstream read, say). Never empty. The pipeline hands on batches, not single
 * events, so its asynchronous steps (awaits, generator hops) are paid once per read and
 * the work per event stays synchronous.
 */
export type EventBatch = StreamEvent[];

/** A model's normalized stream: batches of events, see `EventBatch`. */
export type EventStream = AsyncIterable<EventBatch>;

/**
 * Where a push stream delivers (see `PushableIterator`): called from the source's own I/O
 * callbacks, synchronously, so a batch costs no promise and no generator frame.
 */
export interface Sink<T> {
  /** The next value (for an event stream, a batch: never empty). */
  data(value: T): void;
  /** The source ended: nothing more comes. */
  end(): void;
  /** The source failed, as its `next()` would have thrown. */
  fail(err: unknown): void;
}

/** How a push consumer holds its source back (backpressure): the source stops reading until `resume`. */
export interface Flow {
  pause(): void;
  resume(): void;
}

/**
 * An iterator that can also push. A consumer either pulls (`next`) or, when `pipe` is
 * there, hands over a sink once (after any number of `next` calls, never while one is
 * pending) and gets every later value through it. `return()` still stops the source.
 * Stages that only transform (reasoning splitting, continuation without a second leg)
 * offer `pipe` exactly when their source does; the rest of the pipeline keeps pulling.
 */
export interface PushableIterator<T> extends AsyncIterator<T> {
  pipe?(sink: Sink<T>): Flow;
}

/** The pushing side of an event stream's iterator, when it has one. */
export function pushable<T>(iterator: AsyncIterator<T>): ((sink: Sink<T>) => Flow) | undefined {
  const pipe = (iterator as PushableIterator<T>).pipe;
  return typeof pipe === 'function' ? pipe.bind(iterator) : undefined;
}
