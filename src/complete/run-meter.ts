/**
 * Measures one `/v1/complete` run as it happens: the route marks the phases, and every
 * stream event passes through `event` (the run's observer), so the trace's times are this
 * run's. Token counts come from the stream's `UsageTally` (`usage/usage-tally.ts`, through
 * the `StreamRecorder`), marked `estimated` when they are.
 */
import type { StreamObserver } from '../streams/stream-run.js';
import type { FinishReason, StreamEvent } from '../core/events.js';
import type { MeasuredUsage } from '../usage/usage-tally.js';
import type { RunMarks } from './build-trace.js';

/** Unix ms with sub-ms precision, monotonic within the process. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

export interface RunMeterSnapshot {
  receivedAt: number;
  executeAt: number | null;
  conditionEnd: number | null;
  modelStart: number | null;
  firstToken: number | null;
}

export class RunMeter implements StreamObserver {
  readonly receivedAt: number;
  private executeAt: number | null = null;
  private conditionEnd: number | null = null;
  private modelStart: number | null = null;
  private firstToken: number | null = null;
  private modelEnd: number | null = null;
  /** Why the model stopped, once it did. */
  finishReason: FinishReason | null = null;

  constructor(private readonly now: () => number = preciseNow) {
    this.receivedAt = now();
  }

  /** The marks so far as data (Unix ms), for the instance that continues a handed-over run. */
  snapshot(): RunMeterSnapshot {
    return { receivedAt: this.receivedAt, executeAt: this.executeAt, conditionEnd: this.conditionEnd, modelStart: this.modelStart, firstToken: this.firstToken };
  }

  /** A meter that goes on from another instance's marks. */
  static restore(snapshot: RunMeterSnapshot, now: () => number = preciseNow): RunMeter {
    const meter = new RunMeter(now);
    (meter as { receivedAt: number }).receivedAt = snapshot.receivedAt;
    meter.executeAt = snapshot.executeAt;
    meter.conditionEnd = snapshot.conditionEnd;
    meter.modelStart = snapshot.modelStart;
    meter.firstToken = snapshot.firstToken;
    return meter;
  }

  /** Setup is done; the pipeline starts with the condition (loading the session's memory). */
  startExecution(): void {
    this.executeAt = this.now();
  }

  conditionDone(): void {
    this.conditionEnd = this.now();
  }

  modelCalled(): void {
    this.modelStart = this.now();
  }

  /** Each event of the run, as it passes (a `StreamObserver` of the run). */
  event(event: StreamEvent): void {
    switch (event.type) {
      case 'text-delta':
      case 'reasoning-delta':
        if (event.text.length === 0) return;
        this.firstToken ??= this.now();
        return;
      case 'finish':
        this.finishReason = event.reason;
        this.modelEnd = this.now();
        return;
      case 'error':
        this.modelEnd = this.now();
        return;
    }
  }

  /** The marks so far; phases not reached yet (or a stream without `finish`) end at `endAt`. */
  marks(endAt = this.now()): RunMarks {
    const executeAt = this.executeAt ?? endAt;
    const conditionEnd = this.conditionEnd ?? executeAt;
    const modelStart = this.modelStart ?? conditionEnd;
    return {
      receivedAt: this.receivedAt,
      executeAt,
      conditionStart: executeAt,
      conditionEnd,
      modelStart,
      firstToken: this.firstToken,
      modelEnd: this.modelEnd ?? endAt,
      endAt,
    };
  }

  /** The figures saved with the turn, in ms and tokens. */
  timings(usage: MeasuredUsage): { firstTokenMs: number; totalMs: number; promptTokens: number; completionTokens: number } {
    const m = this.marks();
    return {
      firstTokenMs: round3((m.firstToken ?? m.modelEnd) - m.modelStart),
      totalMs: round3(m.modelEnd - m.modelStart),
      promptTokens: usage.promptTokens,
      completionTokens: usage.completionTokens,
    };
  }
}

function round3(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
