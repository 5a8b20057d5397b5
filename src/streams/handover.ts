/**
 * Continuation across a shutdown. With a shared (Redis) log, a resumable run still going
 * when its instance's `shutdownGraceMs` ends is not cut: the instance stops it without a
 * final event (the stream stays open in the log), writes a handover record and waits a
 * bounded time for another instance to claim it. The claimer rebuilds the run from the
 * record and continues it by the same mechanism as a mid-stream continuation, appending
 * to the same log key with the same numbering, so a client that resumes there with
 * `Last-Event-ID` gets the whole answer. When nobody claims it in time, the instance takes
 * it back and ends the stream with the honest `server_restarted` error.
 *
 * How a run is rebuilt without carrying its objects over: the record holds the model's
 * raw events so far (`StreamTape`, in the order and batches the run got them) and what the
 * route needs to build the same encoder and observers. The new instance replays the tape
 * through the same pipeline (reasoning split, stop sequences, the encoder) and drops the
 * wire messages the log already has (`skipMessages`): every piece of state is then what
 * the first instance had, and the continuation leg gets the same prefix a mid-stream cut
 * would have given it.
 */
import type { EventBatch, StreamEvent } from '../core/events.js';
import type { GatewayError } from '../core/errors.js';
import type { StreamEncoder, WireMessage } from '../encoders/types.js';
import type { StreamMeta } from './stream-log.js';
import type { DisconnectPolicy, StreamObserver, StreamOutcome } from './stream-run.js';

/** The compact form of a tape, as it travels in a handover record (JSON). */
export interface TapeData {
  /** Every text delta, concatenated. */
  text: string;
  /** Every reasoning delta, concatenated. */
  reasoning: string;
  /** `n >= 0`: a text delta of n UTF-16 units; `-1`: end of a batch; `-2`: the next of `others`; `-3 - n`: a reasoning delta of n units. */
  ops: number[];
  /** The events that are not deltas (usage, tool calls, finish), in order. */
  others: StreamEvent[];
}

const BATCH_END = -1;
const OTHER = -2;

/**
 * The model's events of one run, kept so another instance can replay them exactly: one
 * string of text and a number per delta instead of an object per token.
 */
export class StreamTape {
  private text = '';
  private reasoning = '';
  private ops: number[] = [];
  private others: StreamEvent[] = [];

  static from(data: TapeData): StreamTape {
    const tape = new StreamTape();
    tape.text = data.text;
    tape.reasoning = data.reasoning;
    tape.ops = [...data.ops];
    tape.others = [...data.others];
    return tape;
  }

  record(batch: EventBatch): void {
    for (const event of batch) {
      if (event.type === 'text-delta') {
        this.text += event.text;
        this.ops.push(event.text.length);
      } else if (event.type === 'reasoning-delta') {
        this.reasoning += event.text;
        this.ops.push(-3 - event.text.length);
      } else {
        // An error has no JSON form worth keeping: a run that got one is not handed over.
        if (event.type === 'error') continue;
        this.others.push(event);
        this.ops.push(OTHER);
      }
    }
    this.ops.push(BATCH_END);
  }

  /** True when a tool call was being streamed: such a run cannot be continued. */
  get hasToolCalls(): boolean {
    return this.others.some((e) => e.type === 'tool-call-delta');
  }

  /** The batches as they were recorded. */
  *batches(): Generator<EventBatch> {
    let t = 0;
    let r = 0;
    let o = 0;
    let batch: EventBatch = [];
    for (const op of this.ops) {
      if (op >= 0) {
        batch.push({ type: 'text-delta', text: this.text.slice(t, (t += op)) });
      } else if (op === BATCH_END) {
        yield batch;
        batch = [];
      } else if (op === OTHER) {
        batch.push(this.others[o++]!);
      } else {
        const n = -3 - op;
        batch.push({ type: 'reasoning-delta', text: this.reasoning.slice(r, (r += n)) });
      }
    }
    if (batch.length > 0) yield batch;
  }

  toJSON(): TapeData {
    return { text: this.text, reasoning: this.reasoning, ops: this.ops, others: this.others };
  }
}

/**
 * What a route gives a run it lets be handed over: the tape the model's events are
 * recorded on and, at the deadline, its own state (JSON) for `HandoverResumer` of `kind`.
 */
export interface HandoverSource {
  kind: string;
  tape: StreamTape;
  /** The route's state, or why this run cannot be handed over (a sentence for the log). */
  capture(): unknown;
}

/** Everything another instance needs to continue a stream. */
export interface HandoverRecord {
  /** The stream's key in the log (`streamKey`). */
  key: string;
  meta: StreamMeta;
  kind: string;
  /** The last frame the log holds. */
  lastSeq: number;
  tape: TapeData;
  state: unknown;
  /** The instance that handed it over (pid@host), for the logs. */
  from: string;
  /** Unix ms. */
  at: number;
}

/** How the rebuilt run continues: `continue` on another deployment (or the same one), or end with `error` (taken back, nobody claimed it). */
export type ResumeMode = { continue: true } | { continue: false; error: GatewayError };

/** A run rebuilt from a record, before the hub numbers it on after `record.lastSeq`. */
export interface ResumedRun {
  open: (signal: AbortSignal) => Promise<AsyncIterable<EventBatch>>;
  encoder: StreamEncoder;
  observers?: readonly StreamObserver[];
  beforeEnd?: () => Promise<void> | void;
  disconnect: DisconnectPolicy;
  /** The rebuilt run can itself be handed over again. */
  handover?: HandoverSource;
  /** Told how the rebuilt run ended (saving a session turn's final status). */
  settle?: (outcome: StreamOutcome) => Promise<void> | void;
}

/** Rebuilds one route's run from its state; may throw (the record is then ended with the honest error). */
export type HandoverResumer = (record: HandoverRecord, mode: ResumeMode) => ResumedRun | Promise<ResumedRun>;

/** Where handover records wait for an instance (Redis: a list and one key per record). */
export interface HandoverQueue {
  /** Publishes a record; rejects when the store is down. */
  offer(record: HandoverRecord, ttlMs: number): Promise<void>;
  /**
   * Waits up to `ms` for another instance to claim `key`. True when one did; false when
   * nobody had and this instance took the record back (it is then this instance's to end).
   */
  awaitClaim(key: string, ms: number): Promise<boolean>;
  /** Calls `onRecord` for each record this instance claims (each is claimed by one instance only), until `stop`. */
  listen(onRecord: (record: HandoverRecord) => void): { stop(): Promise<void> };
}

/**
 * The encoder of a rebuilt run: the messages of the first `count` calls' output are the
 * frames the log already holds (the replayed tape makes them again), so they are dropped.
 */
export function skipMessages(encoder: StreamEncoder, count: number): StreamEncoder {
  let skip = count;
  const drop = (out: WireMessage[], start: number) => {
    if (skip === 0) return;
    const made = Math.min(skip, out.length - start);
    out.splice(start, made);
    skip -= made;
  };
  return {
    encode(event, out) {
      if (skip === 0) return encoder.encode(event, out);
      const start = out.length;
      encoder.encode(event, out);
      drop(out, start);
    },
    end(out) {
      const start = out.length;
      encoder.end(out);
      drop(out, start);
    },
    error(error, out) {
      const start = out.length;
      encoder.error(error, out);
      drop(out, start);
    },
  };
}
