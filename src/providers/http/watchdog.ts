/**
 * One timer that aborts an upstream call with a `TimeoutError`: armed with the
 * first-byte limit when the call starts and with the idle limit while waiting for each
 * chunk. Its signal also follows the client's (pass it to the upstream request), so
 * either ends the request.
 *
 * Arming is on the hot path (once per upstream read), so it only moves a deadline: the
 * one pending timer checks the deadline when it fires and sleeps again if it moved,
 * rather than a timer being cleared and created per read.
 */
import { abortWith } from '../../core/abort.js';
import { TimeoutError } from '../../core/errors.js';

const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export class Watchdog {
  private readonly controller = new AbortController();
  private readonly unlink: () => void;
  private timer: NodeJS.Timeout | undefined;
  private deadline = 0;
  /** When the pending timer fires. */
  private dueAt = 0;
  private armed = false;
  private message = '';
  private readonly check = () => {
    this.timer = undefined;
    if (!this.armed || this.controller.signal.aborted) return;
    const left = this.deadline - performance.now();
    if (left > 0) this.schedule(left);
    else this.controller.abort(new TimeoutError(this.message));
  };

  constructor(clientSignal: AbortSignal) {
    this.unlink = abortWith(this.controller, clientSignal);
  }

  /** Aborted when a timeout fires or the client's signal aborts. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The timeout that fired, if one did. */
  get fired(): TimeoutError | undefined {
    const reason: unknown = this.controller.signal.reason;
    return reason instanceof TimeoutError ? reason : undefined;
  }

  /** (Re)starts the clock: after `ms` without another `arm` or a `disarm`, the call is aborted with `message`. */
  arm(ms: number, message: string): void {
    if (this.controller.signal.aborted) return;
    this.armed = true;
    this.message = message;
    this.deadline = performance.now() + ms;
    // A pending timer due later than the new deadline (a shorter limit) is replaced.
    if (this.timer === undefined) this.schedule(ms);
    else if (this.dueAt > this.deadline) {
      clearTimeout(this.timer);
      this.schedule(ms);
    }
  }

  /** Stops the clock (time spent waiting on a slow client is not the upstream's). */
  disarm(): void {
    this.armed = false;
  }

  /** Stops the clock and releases the timer and the link to the client's signal. */
  close(): void {
    this.armed = false;
    this.unlink();
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(ms: number): void {
    // setTimeout takes at most 2^31-1 ms (longer fires at once); `check` sleeps again for the rest.
    const wait = Math.min(ms, MAX_TIMEOUT_MS);
    this.dueAt = performance.now() + wait;
    this.timer = setTimeout(this.check, wait);
    this.timer.unref();
  }
}
