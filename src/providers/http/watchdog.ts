/**
 * One timer that aborts an upstream call with a `TimeoutError`: re-armed with the
 * first-byte limit when the call starts and with the idle limit after every chunk.
 * Its signal is combined with the client's, so either ends the request.
 */
import { TimeoutError } from '../../core/errors.js';

export class Watchdog {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** The timeout that fired, if one did. */
  get fired(): TimeoutError | undefined {
    return this.controller.signal.aborted ? (this.controller.signal.reason as TimeoutError) : undefined;
  }

  /** (Re)starts the timer: after `ms` without another `arm`, the call is aborted with `message`. */
  arm(ms: number, message: string): void {
    this.disarm();
    if (this.controller.signal.aborted) return;
    this.timer = setTimeout(() => this.controller.abort(new TimeoutError(message)), ms);
    this.timer.unref();
  }

  disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
