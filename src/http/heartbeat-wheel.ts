/**
 * One timer for the heartbeats of every open stream with the same interval, instead of a
 * `setTimeout` per stream: a timer wheel. Each stream sits in the slot of the tick at
 * which it will have been quiet for `heartbeatMs` (measured from its last write, which
 * the stream only records: a write never touches the wheel). At each tick the wheel
 * visits that slot's streams only: a stream that wrote meanwhile moves to its new slot,
 * one still quiet gets its heartbeat.
 *
 * The guarantee: a client never sees more than `heartbeatMs + tickMs` of silence (plus
 * however late the event loop runs the timer). The tick is `heartbeatMs / 40`, between 5
 * and 50 ms: 25 ms for the default 1,000 ms interval, so gaps stay within 1,025 ms.
 */

/** A stream the wheel keeps alive. */
export interface Beating {
  /** Clock ms (the wheel's clock) of its last write. */
  readonly lastWriteAt: number;
  /** Quiet for `heartbeatMs` or more: send a heartbeat now (a stream with bytes about to leave may skip it). */
  beat(): void;
}

export interface HeartbeatWheelOptions {
  heartbeatMs: number;
  /** Default: `heartbeatMs / 40`, between 5 and 50 ms. */
  tickMs?: number;
  /** The clock (`Date.now` by default); with `timer: false` a test drives the ticks itself. */
  now?: () => number;
  /** Run its own interval timer (default true). */
  timer?: boolean;
}

export class HeartbeatWheel {
  readonly heartbeatMs: number;
  readonly tickMs: number;
  private readonly now: () => number;
  private readonly ownTimer: boolean;
  private readonly slots: Set<Beating>[];
  /** Which slot each stream is in. */
  private readonly slotOf = new Map<Beating, number>();
  /** The last tick (clock ms / tickMs, rounded down) visited. */
  private lastTick: number;
  private timer: NodeJS.Timeout | undefined;

  constructor(options: HeartbeatWheelOptions) {
    this.heartbeatMs = options.heartbeatMs;
    this.tickMs = options.tickMs ?? Math.min(50, Math.max(5, Math.floor(options.heartbeatMs / 40)));
    this.now = options.now ?? Date.now;
    this.ownTimer = options.timer ?? true;
    // One lap of the wheel is longer than an interval, so a stream's slot is never a lap ahead.
    this.slots = Array.from({ length: Math.ceil(this.heartbeatMs / this.tickMs) + 2 }, () => new Set<Beating>());
    this.lastTick = Math.floor(this.now() / this.tickMs);
  }

  get size(): number {
    return this.slotOf.size;
  }

  add(stream: Beating): void {
    if (this.slotOf.has(stream)) return;
    if (this.slotOf.size === 0) {
      this.lastTick = Math.floor(this.now() / this.tickMs);
      this.startTimer();
    }
    this.place(stream);
  }

  remove(stream: Beating): void {
    const slot = this.slotOf.get(stream);
    if (slot === undefined) return;
    this.slots[slot]!.delete(stream);
    this.slotOf.delete(stream);
    if (this.slotOf.size === 0) this.stopTimer();
  }

  /** Visits every tick up to the clock's now (the timer calls it; a test may too). */
  tick(): void {
    const now = this.now();
    const until = Math.floor(now / this.tickMs);
    // A loop stalled for more than a lap visits each slot once.
    const from = Math.max(this.lastTick + 1, until - this.slots.length + 1);
    this.lastTick = until;
    for (let t = from; t <= until; t++) {
      const index = t % this.slots.length;
      const due = this.slots[index]!;
      if (due.size === 0) continue;
      this.slots[index] = new Set();
      for (const stream of due) {
        this.slotOf.delete(stream);
        if (now - stream.lastWriteAt >= this.heartbeatMs) stream.beat();
        this.place(stream);
      }
    }
  }

  /** Into the slot of the first tick at which it will have been quiet for an interval (the next tick if that has passed). */
  private place(stream: Beating): void {
    const dueTick = Math.max(this.lastTick + 1, Math.ceil((stream.lastWriteAt + this.heartbeatMs) / this.tickMs));
    const index = dueTick % this.slots.length;
    this.slots[index]!.add(stream);
    this.slotOf.set(stream, index);
  }

  private startTimer(): void {
    if (!this.ownTimer || this.timer) return;
    this.timer = setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

const wheels = new Map<number, HeartbeatWheel>();

/** The process's wheel for this interval. */
export function heartbeatWheel(heartbeatMs: number): HeartbeatWheel {
  let wheel = wheels.get(heartbeatMs);
  if (!wheel) {
    wheel = new HeartbeatWheel({ heartbeatMs });
    wheels.set(heartbeatMs, wheel);
  }
  return wheel;
}
