/**
 * A `/v1/complete` turn in the session store from the moment its run starts: saved as
 * `streaming`, its text rewritten as it grows (at most once per `intervalMs`, one write
 * at a time, so a fast stream costs the store a bounded write rate), then its final
 * status. An answer is never lost: a stop or a failure keeps the text written so far.
 */
import { InternalServerError, type GatewayError } from '../core/errors.js';
import type { AppContext } from '../http/app-context.js';
import { isHandedOver } from '../streams/stop-reasons.js';
import type { StreamOutcome } from '../streams/stream-run.js';
import type { Owner, SessionTurn, TurnStatus, TurnUpdate } from '../store/types.js';

/** How often a streaming turn's text is saved, at most. */
export const TURN_SAVE_INTERVAL_MS = 1000;

export class SavedTurn {
  private started = false;
  private final = false;
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<unknown> = Promise.resolve();
  private savedAnswer = '';

  constructor(
    private readonly ctx: Pick<AppContext, 'sessions' | 'logger'>,
    private readonly owner: Owner,
    private readonly sessionId: string,
    private readonly requestId: string,
    /** What the run has so far. */
    private readonly snapshot: () => Required<Pick<TurnUpdate, 'answer' | 'model' | 'timings'>>,
    private readonly intervalMs = TURN_SAVE_INTERVAL_MS,
  ) {}

  /** Saves the turn as it begins; a store failure refuses the run (it could not be remembered). */
  async start(userId: string | null, turn: SessionTurn): Promise<void> {
    try {
      await this.ctx.sessions.appendTurn(this.owner, this.sessionId, userId, turn);
    } catch (err) {
      throw this.storeError(err);
    }
    this.started = true;
    this.timer = setInterval(() => this.progress(), this.intervalMs);
    this.timer.unref();
  }

  /** Goes on with a turn another instance saved as it started (a run handed over at its shutdown). */
  adopt(): void {
    this.started = true;
    this.timer = setInterval(() => this.progress(), this.intervalMs);
    this.timer.unref();
  }

  /** The run ended well: the whole answer, before the end event is written (a throw becomes the stream's error). */
  async finish(status: Extract<TurnStatus, 'complete'>): Promise<void> {
    try {
      await this.write({ status });
    } catch (err) {
      throw this.storeError(err);
    }
  }

  /** However the run ended, the turn gets its final status; a store failure here is only logged (the client has its answer). */
  async settle(outcome: StreamOutcome | { status: 'failed'; error: GatewayError }): Promise<void> {
    // Handed over to another instance, which saves the rest of the turn.
    if (!this.started || this.final || (outcome.status === 'aborted' && isHandedOver(outcome.reason))) return this.stopTimer();
    const update: TurnUpdate =
      outcome.status === 'failed' ? { status: 'failed', error: outcome.error.message } : outcome.status === 'aborted' ? { status: 'stopped' } : { status: 'complete' };
    try {
      await this.write(update);
    } catch (err) {
      this.ctx.logger.error({ err, requestId: this.requestId, sessionId: this.sessionId }, 'saving the end of a session turn failed');
    }
  }

  private progress(): void {
    if (this.final || this.snapshot().answer === this.savedAnswer) return;
    this.writing = this.writing
      .then(async () => {
        if (this.final) return;
        const now = this.snapshot();
        if (now.answer === this.savedAnswer) return;
        await this.ctx.sessions.updateTurn(this.owner, this.sessionId, this.requestId, now);
        this.savedAnswer = now.answer;
      })
      .catch((err: unknown) => this.ctx.logger.warn({ err, requestId: this.requestId }, 'saving a streaming turn failed; the next save may work'));
  }

  private async write(update: TurnUpdate): Promise<void> {
    this.final = true;
    this.stopTimer();
    await this.writing;
    await this.ctx.sessions.updateTurn(this.owner, this.sessionId, this.requestId, { ...this.snapshot(), ...update });
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  private storeError(err: unknown): InternalServerError {
    this.ctx.logger.error({ err, requestId: this.requestId, sessionId: this.sessionId }, 'saving the session turn failed');
    return new InternalServerError('The answer could not be saved to the session; it was not remembered.', { code: 'session_store_error', cause: err });
  }
}
