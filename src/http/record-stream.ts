/**
 * The routes' side of usage: `admitBudget` before a model runs (429 `budget_exceeded`
 * when the key's day is spent), and `recordStream`, the observer that records the run
 * once it ended. `observeEvents` drives the same observer for answers that are not
 * streamed to the client, so they are counted alike; `runWithinLimits` runs a stream
 * under the key's slot and budget.
 */
import type { Response } from 'express';
import type { EventStream } from '../core/events.js';
import { RateLimitError, toGatewayError } from '../core/errors.js';
import { CLIENT_DISCONNECTED, isStop } from '../streams/stop-reasons.js';
import type { StreamObserver, StreamOutcome } from '../streams/stream-run.js';
import { StreamRecorder, type RecordedStream, type StreamRecorderDeps } from '../usage/stream-recorder.js';
import { nextUtcMidnight, utcDay } from '../usage/utc-day.js';
import type { AppContext } from './app-context.js';
import { keyOf } from './auth.js';
import { formatDuration, holdStreamSlot } from './rate-limit.js';
import { runStream, type RunStreamOptions } from './run-stream.js';
import { endpointOf } from './request-context.js';

const SIM_PROVIDER = 'sim';

/** Counts the request against its key's day; throws 429 `budget_exceeded` when the budget is spent. */
export async function admitBudget(ctx: AppContext, res: Response): Promise<void> {
  const key = keyOf(res);
  const limits = key?.budget;
  // No budget, nothing to check: no store round trip (tokens are still recorded at the end).
  if (!key || !limits || (limits.tokensPerDay === undefined && limits.requestsPerDay === undefined)) return;
  const { admitted, spend } = await ctx.usage.admit(key.name, utcDay(), limits);
  if (admitted) return;
  const now = Date.now();
  const resetAt = nextUtcMidnight(now);
  const what =
    limits.tokensPerDay !== undefined && spend.tokens >= limits.tokensPerDay
      ? `${limits.tokensPerDay} tokens per day (${spend.tokens} used today, estimates included)`
      : `${limits.requestsPerDay} requests per day (${spend.requests} made today)`;
  throw new RateLimitError(
    `This API key has spent its budget of ${what}. It resets at ${new Date(resetAt).toISOString()} (next UTC midnight, in ${formatDuration(resetAt - now)}).`,
    { code: 'budget_exceeded', retryAfter: Math.ceil((resetAt - now) / 1000) },
  );
}

/** The observer that records this request's stream; `info` adds what only the route knows. */
export function recordStream(ctx: AppContext, res: Response, info: Omit<RecordedStream, 'requestId' | 'endpoint' | 'key'>): StreamRecorder {
  return streamRecorder(ctx, { ...info, requestId: res.locals.requestId as string, endpoint: endpointOf(res.req), key: keyOf(res)?.name ?? null });
}

/** The same for a stream with no request here (one continued after a handover). */
export function streamRecorder(ctx: AppContext, info: RecordedStream): StreamRecorder {
  return new StreamRecorder(recorderDeps(ctx), info);
}

/** What every recorder of a context shares, built once per context rather than per request. */
const DEPS = new WeakMap<AppContext, StreamRecorderDeps>();
function recorderDeps(ctx: AppContext): StreamRecorderDeps {
  let deps = DEPS.get(ctx);
  if (!deps) {
    const providerTypes = new Map(ctx.config.providers.map((p) => [p.id, p.type]));
    deps = {
      metrics: ctx.metrics,
      ledger: ctx.usage,
      logger: ctx.logger,
      tracer: ctx.tracing.tracer,
      providerName: (id) => (id === SIM_PROVIDER ? 'streamgate.simulator' : (providerTypes.get(id) ?? id)),
    };
    DEPS.set(ctx, deps);
  }
  return deps;
}

/**
 * Runs `observer` over a stream that is collected rather than streamed: `start` now, each
 * event, and `end` once: `completed` after the last event, `aborted` when `signal` was
 * aborted, `failed` on an error event or a throw (also before the first event).
 */
export async function* observeEvents(open: () => Promise<EventStream>, observer: StreamObserver, signal: AbortSignal): EventStream {
  observer.start?.();
  let ended = false;
  const end = (outcome: StreamOutcome) => {
    if (ended) return;
    ended = true;
    observer.end?.(outcome);
  };
  const left = (): StreamOutcome => ({ status: 'aborted', reason: isStop(signal.reason) ? signal.reason : CLIENT_DISCONNECTED });
  try {
    for await (const batch of await open()) {
      for (const event of batch) {
        observer.event?.(event);
        if (event.type === 'error') end({ status: 'failed', error: event.error });
      }
      yield batch;
    }
    end(signal.aborted ? left() : { status: 'completed' });
  } catch (err) {
    end(signal.aborted ? left() : { status: 'failed', error: toGatewayError(err) });
    throw err;
  } finally {
    // The consumer stopped reading (it threw or left): the stream did not finish.
    end(signal.aborted ? left() : { status: 'failed', error: toGatewayError(new Error('the answer was not read to its end')) });
  }
}

/**
 * A streaming route's run under its key's limits: a `concurrentStreams` slot held until
 * the run ends (at once after a stop, after the grace period of a resumable run), then
 * the day's budget, then the run. The budget comes after the slot, so a request refused
 * for concurrency is not counted against the day.
 */
export async function runWithinLimits(ctx: AppContext, options: Omit<RunStreamOptions, 'heartbeatMs' | 'streams'>): Promise<StreamOutcome> {
  const releaseSlot = await holdStreamSlot(ctx.rateLimits, options.res);
  try {
    await admitBudget(ctx, options.res);
    return await runStream({ heartbeatMs: ctx.config.heartbeatMs, stalledClientMs: ctx.config.limits.stalledClientMs, streams: ctx.streams, ...options });
  } finally {
    releaseSlot();
  }
}
