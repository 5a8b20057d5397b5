/**
 * A model's stream over one or more legs: when a leg dies after it started (a cut
 * connection, an in-stream error, an idle timeout), another deployment of the same model
 * continues the answer from the text so far, and the consumer sees one stream: no error,
 * nothing repeated, one finish. Where no deployment can continue (a tool call half
 * streamed, thinking that cannot be handed back, no deployment with a `continuation`, a
 * refusal), the leg's error event goes through as it came.
 *
 * Sits below the reasoning splitter, on the upstream's raw events: the text it keeps for
 * the prefix is what the upstream wrote, `<think>` tags and text still held back
 * downstream included. Also keeps each leg's bookkeeping (open streams, mid-stream
 * failures) for the deployment's health. A plain iterator rather than an async
 * generator: a batch without an error goes straight through.
 */
import { pushable, type EventBatch, type EventStream, type Flow, type PushableIterator, type Sink, type Usage } from '../core/events.js';
import type { GatewayError } from '../core/errors.js';
import { countTokens } from '../core/tokenize.js';
import type { AnswerSoFar } from './continuation-presets.js';
import type { Deployment } from './deployment.js';

/** One upstream call of the answer. */
export interface Leg {
  deployment: Deployment;
  events: AsyncIterator<EventBatch>;
}

/** What a cut leaves for the next leg. */
export interface Cut extends AnswerSoFar {
  /** The deployment that failed (with every earlier one). */
  failed: Deployment;
  error: GatewayError;
  /** Completion tokens spent so far (reported, or counted where a leg reported none). */
  spentTokens: number;
}

export interface JoinedStreamOptions {
  first: Leg;
  /** Whether a cut may be continued at all (the model has a deployment with a `continuation`). */
  continuable: boolean;
  /** Opens the next leg, its first event received; or says why none can. */
  continueFrom(cut: Cut): Promise<Leg | { reason: string }>;
  /** A leg ended: `error` when it failed after it started. */
  legEnded(deployment: Deployment, error: GatewayError | undefined): void;
  /** The prompt tokens of a leg that reported no usage, estimated: the request's and the prefix it continued from. */
  promptTokens(prefix: string): number;
}

/** The joined stream, and the running usage for a consumer that ends it early. */
export interface JoinedEventStream extends EventStream {
  /**
   * The usage over every leg up to now, for a stream ended before its upstream reported
   * it (a stop sequence that spans the join): counted where a leg reported nothing.
   */
  usageSoFar(): Usage;
}

export function joinedStream(options: JoinedStreamOptions): JoinedEventStream {
  const iterator = new JoinedStream(options);
  return { [Symbol.asyncIterator]: () => iterator, usageSoFar: () => iterator.usageSoFar() };
}

class JoinedStream implements PushableIterator<EventBatch> {
  private leg: Leg | undefined;
  private text = '';
  private fieldReasoning = '';
  private signedReasoning = false;
  private toolCalls = false;
  /** Non-whitespace text has come: thinking sent in a field has ended. */
  private textBegun = false;
  /** Text and thinking of the current leg, and its reported usage. */
  private legChars = '';
  /** The answer text the current leg continued from ('' for the first). */
  private legPrefix = '';
  private legUsage: Usage | undefined;
  /** Usage of the finished legs, summed. */
  private earlier: Usage | undefined;
  private spentTokens = 0;
  private legs = 1;
  /** The current leg has not been reported ended yet. */
  private legOpen = true;

  constructor(private readonly options: JoinedStreamOptions) {
    this.leg = options.first;
  }

  async next(): Promise<IteratorResult<EventBatch>> {
    for (;;) {
      const leg = this.leg;
      if (!leg) return { value: undefined, done: true };
      let result: IteratorResult<EventBatch>;
      try {
        result = await leg.events.next();
      } catch (err) {
        // Only an abort (the client left) is thrown after the first event.
        this.endLeg(undefined);
        this.leg = undefined;
        throw err;
      }
      if (result.done) {
        this.endLeg(undefined);
        this.leg = undefined;
        return result;
      }
      const batch = result.value;
      const last = batch[batch.length - 1];
      if (!this.options.continuable && last?.type !== 'error') return result;
      const out = this.observe(batch);
      if (last?.type !== 'error') return { value: out, done: false };
      this.endLeg(last.error);
      // The failed leg is over: its generator is released before the next one starts.
      await leg.events.return?.(undefined);
      const next = this.toolCalls ? { reason: 'a tool call was being streamed' } : this.options.continuable ? await this.options.continueFrom(this.cut(leg.deployment, last.error)) : undefined;
      if (next === undefined || 'reason' in next) {
        // Today's honest error: the leg's own error event ends the stream.
        this.leg = undefined;
        return { value: out, done: false };
      }
      this.startLeg(next);
      // What came before the error in its batch is part of the answer.
      out.pop();
      if (out.length > 0) return { value: out, done: false };
    }
  }

  /**
   * A stream that cannot be continued is its one leg's events as they are, so it pushes
   * when that leg does: only the leg's end is recorded on the way.
   */
  get pipe(): ((sink: Sink<EventBatch>) => Flow) | undefined {
    const leg = this.leg;
    const pipeLeg = leg && !this.options.continuable ? pushable(leg.events) : undefined;
    if (!leg || !pipeLeg) return undefined;
    return (sink) =>
      pipeLeg({
        data: (batch) => {
          const last = batch[batch.length - 1];
          // The leg's error event ends it (the source ends right after it).
          if (last?.type === 'error') this.endLeg(last.error);
          sink.data(batch);
        },
        end: () => {
          this.endLeg(undefined);
          this.leg = undefined;
          sink.end();
        },
        fail: (err) => {
          this.endLeg(undefined);
          this.leg = undefined;
          sink.fail(err);
        },
      });
  }

  async return(): Promise<IteratorResult<EventBatch>> {
    const leg = this.leg;
    if (leg) {
      this.endLeg(undefined);
      this.leg = undefined;
      await leg.events.return?.(undefined);
    }
    return { value: undefined, done: true };
  }

  /** Records what the batch adds to the answer; returns it as the consumer gets it. */
  private observe(batch: EventBatch): EventBatch {
    let out = batch;
    for (let i = 0; i < batch.length; i++) {
      const event = batch[i]!;
      switch (event.type) {
        case 'text-delta':
          this.text += event.text;
          this.legChars += event.text;
          if (!this.textBegun && /\S/.test(event.text)) this.textBegun = true;
          break;
        case 'reasoning-delta':
          if (this.legs > 1 && this.textBegun) {
            // The answer had begun before the cut: new thinking from the next leg would land after it.
            if (out === batch) out = batch.slice(0, i);
            continue;
          }
          this.fieldReasoning += event.text;
          this.legChars += event.text;
          if (this.leg?.deployment.signsReasoning) this.signedReasoning = true;
          break;
        case 'tool-call-delta':
          this.toolCalls = true;
          break;
        case 'usage':
          this.legUsage = event.usage;
          if (this.earlier) {
            const total = addUsage(this.earlier, event.usage);
            if (out === batch) out = batch.slice(0, i);
            out.push({ type: 'usage', usage: total });
            continue;
          }
          break;
      }
      if (out !== batch) out.push(event);
    }
    return out;
  }

  private cut(failed: Deployment, error: GatewayError): Cut {
    return { text: this.text, fieldReasoning: this.fieldReasoning, signedReasoning: this.signedReasoning, failed, error, spentTokens: this.spentTokens + this.legTokens() };
  }

  usageSoFar(): Usage {
    return addUsage(this.earlier, this.legUsage ?? { promptTokens: this.options.promptTokens(this.legPrefix), completionTokens: countTokens(this.legChars) });
  }

  /** The current leg's completion tokens: as reported, else counted from its text. */
  private legTokens(): number {
    return this.legUsage?.completionTokens ?? countTokens(this.legChars);
  }

  private startLeg(leg: Leg): void {
    const spent = this.legTokens();
    this.spentTokens += spent;
    this.earlier = addUsage(this.earlier, this.legUsage ?? { promptTokens: 0, completionTokens: spent });
    this.legUsage = undefined;
    this.legChars = '';
    this.legPrefix = this.text;
    this.legs++;
    this.leg = leg;
    this.legOpen = true;
  }

  private endLeg(error: GatewayError | undefined): void {
    if (!this.leg || !this.legOpen) return;
    this.legOpen = false;
    this.options.legEnded(this.leg.deployment, error);
  }
}

/** The running total of two legs' usage. */
export function addUsage(a: Usage | undefined, b: Usage): Usage {
  if (!a) return b;
  const sum: Usage = { promptTokens: a.promptTokens + b.promptTokens, completionTokens: a.completionTokens + b.completionTokens };
  if (a.reasoningTokens !== undefined || b.reasoningTokens !== undefined) sum.reasoningTokens = (a.reasoningTokens ?? 0) + (b.reasoningTokens ?? 0);
  return sum;
}
