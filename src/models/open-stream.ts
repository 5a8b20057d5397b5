/**
 * Starts a model's stream and waits for its first event. The model's deployments are
 * tried in the order its `routing` picks them, skipping those that are cooling or whose
 * circuit is open; a deployment that fails before its first event (connection refused, an
 * error status, no first byte within its `firstByteMs`) counts against its health and the
 * next one is tried; when none is left the model is retried up to its provider's
 * `maxRetries` with backoff (honouring `Retry-After`), then the model's `fallbacks` are
 * tried in order. A client that left stops the chain at once.
 *
 * After the first event nothing is retried: the client may already have part of an answer.
 * A stream that dies after that is continued on another deployment of the same model
 * whose provider has a `continuation` (`continue-stream.ts`).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { pushable, type EventBatch, type EventStream, type PushableIterator } from '../core/events.js';
import { GatewayError, ServiceUnavailableError, toGatewayError } from '../core/errors.js';
import { retryDelay } from '../core/retry-delay.js';
import { splitReasoning } from '../core/split-reasoning.js';
import { honoursParams } from './unsupported-params.js';
import type { ChatRequest } from '../providers/types.js';
import { continuationRequest } from './continuation-presets.js';
import { joinedStream, type Cut, type Leg } from './continue-stream.js';
import type { Deployment, ModelDeployment } from './deployment.js';
import { failureKind, type HealthChange } from './deployment-health.js';
import { pickDeployment } from './pick-deployment.js';
import type { ModelRegistry, ModelRoute } from './registry.js';
import { stopAcrossLegs } from './stop-across-legs.js';
import { countTokens } from '../core/tokenize.js';
import { estimatePromptTokens } from '../providers/simulator/simulator-provider.js';
import { cutByRestart } from '../streams/stop-reasons.js';

const preciseNow = (): number => performance.timeOrigin + performance.now();

export interface OpenStreamOptions {
  registry: ModelRegistry;
  /** The name the client asked for. */
  model: string;
  request: Omit<ChatRequest, 'model'>;
  signal: AbortSignal;
  /** Records the model's events as they come, for a handover at a shutdown (`streams/handover.ts`). */
  tape?: { record(batch: EventBatch): void };
}

/** A run another instance handed over: its events so far are replayed, then it is continued (or ends with `error`). */
export interface HandedOverStreamOptions extends OpenStreamOptions {
  /** The public name of the model that served (after a fallback, the fallback). */
  served: string;
  /** The deployment that was serving, by id. */
  deployment: string;
  /** The model's events so far, in their batches. */
  replay: Iterable<EventBatch>;
  /** The legs that served so far. */
  legs: readonly HandedOverLeg[];
  /** Continue on a deployment with a `continuation`, or end with this error after the replay. */
  mode: { continue: true } | { continue: false; error: GatewayError };
}

/** A `ServedLeg` as a handover record carries it (the deployment by id). */
export type HandedOverLeg = Omit<ServedLeg, 'deployment'> & { deployment: string };

/** One deployment's part of an answer. */
export interface ServedLeg {
  deployment: Deployment;
  /** Unix ms (sub-ms precision) when it was asked and when its first event came; null for the first leg (the caller measures it). */
  startedAt: number | null;
  firstEventAt: number | null;
  /** The upstream text before this leg took over ('' for the first). */
  prefix: string;
  /** Completion tokens the legs before it spent. */
  spentBefore: number;
}

export interface OpenedStream {
  /** The route that answered (a fallback, if the first one failed). */
  route: ModelRoute;
  /** The deployments that served the answer, in order: more than one after a continuation (grows while the stream runs). */
  legs: ServedLeg[];
  /** The whole stream, its first event included. */
  events: EventStream;
}

type Attempt = { leg: Leg } | { error: GatewayError };

export async function openStream(options: OpenStreamOptions): Promise<OpenedStream> {
  const { registry } = options;
  const first = registry.resolve(options.model);
  // A fallback that would drop what the request asks for (a JSON response format, a
  // demanded tool call) would answer wrongly rather than fail: it is not tried.
  const fallbacks = first.fallbacks.map((name) => registry.resolve(name)).filter((route) => honoursParams(route.provider, options.request));
  const candidates = [first, ...fallbacks];
  let lastError: GatewayError | undefined;
  for (const [i, route] of candidates.entries()) {
    if (i > 0) registry.observer.fellBack(candidates[i - 1]!.name, route.name, lastError ?? allCooling([candidates[i - 1]!]));
    const result = await openRoute(route, options, i === candidates.length - 1);
    if ('opened' in result) return result.opened;
    if (result.error) {
      lastError = result.error;
      // A bad request fails the same everywhere.
      if (failureKind(lastError) === null) throw lastError;
    }
  }
  throw lastError ?? allCooling(candidates);
}

/** This model's stream, or the error its last attempt failed with (none when every deployment was cooling). */
async function openRoute(route: ModelRoute, options: OpenStreamOptions, isLastModel: boolean): Promise<{ opened: OpenedStream } | { error: GatewayError | undefined }> {
  const { registry, signal } = options;
  const deployments = route.deployments;
  let tried = 0;
  let lastError: GatewayError | undefined;
  for (let attempt = 0; ; ) {
    signal.throwIfAborted();
    const now = Date.now();
    const i = pickDeployment(deployments, { strategy: route.routing, random: registry.random, now, tried });
    if (i < 0) {
      if (!lastError) return { error: undefined };
      // Every deployment was tried or is cooling: once more after the backoff, if one is back by then.
      const delay = retryDelay(lastError, attempt, { maxRetries: route.provider.maxRetries ?? 0 });
      if (delay === undefined || soonestRecovery(deployments, now) - now > delay) return { error: lastError };
      await sleep(delay, undefined, { signal });
      attempt++;
      tried = 0;
      continue;
    }
    tried |= 1 << i;
    const deployment = (deployments[i] as ModelDeployment).deployment;
    const isLast = isLastModel && deployments.length === 1;
    const result = await tryDeployment(route, deployment, streamRequest(route, deployment, options.request), { registry, signal, isLast });
    if ('leg' in result) return { opened: opened(route, result.leg, options) };
    lastError = result.error;
    if (failureKind(lastError) === null) return { error: lastError };
  }
}

/** The client's request for one deployment. */
function streamRequest(route: ModelRoute, deployment: Deployment, request: Omit<ChatRequest, 'model'>): ChatRequest {
  const out: ChatRequest = { ...request, model: deployment.upstreamModel };
  if (route.params) out.params = route.params;
  return out;
}

interface TryOptions {
  registry: ModelRegistry;
  signal: AbortSignal;
  /** The last chance: a stream whose first event is an error is given to the client as it is. */
  isLast: boolean;
}

/** One call: the leg with its first event received, or the error it failed with before that (counted in its health). */
async function tryDeployment(route: ModelRoute, deployment: Deployment, request: ChatRequest, options: TryOptions): Promise<Attempt> {
  const { observer } = options.registry;
  const started = performance.now();
  deployment.picks++;
  deployment.openStreams++;
  changeHealth(options.registry, deployment, { kind: 'picked', now: Date.now() });
  observer.picked(route.name, deployment);
  const iterator = deployment.provider.stream(request, { signal: options.signal })[Symbol.asyncIterator]();
  let error: GatewayError;
  try {
    const head = await iterator.next();
    const first = head.done ? undefined : head.value[0];
    // A stream whose first event is a retryable error failed before it started.
    if (first?.type !== 'error' || !first.error.retryable || options.isLast) {
      deployment.observeLatency(performance.now() - started);
      if (first?.type !== 'error') changeHealth(options.registry, deployment, { kind: 'succeeded' });
      return { leg: { deployment, events: prepend(head, iterator) } };
    }
    await iterator.return?.(undefined);
    error = first.error;
  } catch (err) {
    if (options.signal.aborted) {
      deployment.openStreams--;
      throw err;
    }
    error = toGatewayError(err);
  }
  deployment.openStreams--;
  recordFailure(options.registry, route.name, deployment, error, request);
  return { error };
}

function recordFailure(registry: ModelRegistry, model: string, deployment: Deployment, error: GatewayError, request: Pick<ChatRequest, 'sim'>): void {
  const kind = failureKind(error);
  // A fault the client asked the simulator for says nothing about the deployment (and must not let one client cool it for all).
  if (kind !== null && request.sim?.fault === undefined) {
    changeHealth(registry, deployment, { kind: 'failed', failure: kind, now: Date.now(), ...(error.retryAfter === undefined ? {} : { retryAfterMs: error.retryAfter * 1000 }) });
  }
  registry.observer.failed(model, deployment, error, kind);
}

/** Applies a health change here and, when it changed anything, tells the observers (which share it). */
function changeHealth(registry: ModelRegistry, deployment: Deployment, change: HealthChange): void {
  if (deployment.health.apply(change)) registry.observer.healthChanged(deployment, change);
}

/**
 * A handed-over run on this instance: the replayed events are its first leg, which ends
 * with the restart's cut; the continuation is asked of any deployment of the served model
 * with a `continuation` (the one that served did not fail, so it may go on), by the same
 * mechanism as a mid-stream cut. The pipeline is the one the first instance had, so the
 * replay comes out as it did there.
 */
export function continueHandedOver(options: HandedOverStreamOptions): OpenedStream {
  const route = options.registry.resolve(options.served);
  const byId = (id: string) => route.deployments.find((d) => d.deployment.id === id)?.deployment ?? route.deployments[0]!.deployment;
  const cut = options.mode.continue ? cutByRestart() : options.mode.error;
  const first: Leg = { deployment: byId(options.deployment), events: replayThen(options.replay, cut) };
  const legs = options.legs.map((leg) => ({ ...leg, deployment: byId(leg.deployment) }));
  return opened(route, first, options, { legs, continues: options.mode.continue });
}

/** The opened leg as the consumer's stream: joined with continuations, thinking split, stop sequences kept across the joins. */
function opened(route: ModelRoute, first: Leg, options: OpenStreamOptions, handedOver?: { legs: ServedLeg[]; continues: boolean }): OpenedStream {
  const { registry, signal } = options;
  const legs: ServedLeg[] = handedOver?.legs ?? [{ deployment: first.deployment, startedAt: null, firstEventAt: null, prefix: '', spentBefore: 0 }];
  const canContinue = route.deployments.some((d) => d.deployment.continuation !== 'none');
  // A handed-over run continues on any deployment that can (the one that served did not fail).
  const continuable = handedOver ? handedOver.continues && canContinue : route.deployments.length > 1 && canContinue;
  // A replayed leg was never opened here and did not fail: nothing to count against its deployment.
  let replaying = handedOver !== undefined;
  const joined = joinedStream({
    first,
    continuable,
    promptTokens: (prefix) => estimatePromptTokens({ model: route.name, ...options.request }) + countTokens(prefix),
    legEnded(deployment, error) {
      if (replaying) {
        replaying = false;
        return;
      }
      deployment.openStreams--;
      if (error && !signal.aborted) recordFailure(registry, route.name, deployment, error, options.request);
    },
    async continueFrom(cut) {
      const startedAt = preciseNow();
      // After a handover every deployment may continue (none failed); after a cut, not the ones that did.
      const leg = await continueOn(route, cut, handedOver ? [] : legs.map((l) => l.deployment), options);
      if ('reason' in leg) registry.observer.continuation(route.name, cut.failed, leg.outcome, { reason: leg.reason });
      else {
        registry.observer.continuation(route.name, cut.failed, 'continued', { to: leg.deployment });
        legs.push({ deployment: leg.deployment, startedAt, firstEventAt: preciseNow(), prefix: cut.text, spentBefore: cut.spentTokens });
      }
      return leg;
    },
  });
  const raw = options.tape ? taped(joined, options.tape) : joined;
  let events = splitReasoning(raw, route.reasoning);
  if (continuable && options.request.stop && options.request.stop.length > 0) events = stopAcrossLegs(events, options.request.stop, joined.usageSoFar);
  return { route, legs, events };
}

/** The next leg after a cut: another available deployment of the model with a `continuation` that accepts the answer so far. */
async function continueOn(route: ModelRoute, cut: Cut, legs: readonly Deployment[], options: OpenStreamOptions): Promise<Leg | { reason: string; outcome: 'not-possible' | 'no-deployment' | 'refused' }> {
  const { registry, signal } = options;
  if (signal.aborted) return { reason: 'the client left', outcome: 'not-possible' };
  // An error about the request itself (a policy refusal, the context full) would come back from any deployment.
  if (failureKind(cut.error) === null) return { reason: `the upstream refused the request mid-stream: ${cut.error.message}`, outcome: 'refused' };
  const deployments = route.deployments;
  // Deployments that failed in this run, or cannot continue, are not asked.
  let tried = 0;
  deployments.forEach((d, i) => {
    if (legs.includes(d.deployment) || d.deployment.continuation === 'none') tried |= 1 << i;
  });
  const maxTokens = options.request.maxTokens === undefined ? undefined : options.request.maxTokens - cut.spentTokens;
  if (maxTokens !== undefined && maxTokens <= 0) return { reason: 'the token limit was spent', outcome: 'not-possible' };
  let last: { reason: string; outcome: 'not-possible' | 'no-deployment' | 'refused' } = { reason: 'no other deployment of the model has a continuation and is available', outcome: 'no-deployment' };
  for (;;) {
    if (signal.aborted) return { reason: 'the client left', outcome: 'not-possible' };
    const i = pickDeployment(deployments, { strategy: route.routing, random: registry.random, now: Date.now(), tried });
    if (i < 0) return last;
    tried |= 1 << i;
    const deployment = (deployments[i] as ModelDeployment).deployment;
    const base = streamRequest(route, deployment, options.request);
    if (maxTokens !== undefined) base.maxTokens = maxTokens;
    const request = continuationRequest(deployment.continuation, base, cut);
    if (typeof request === 'string') {
      last = { reason: `${deployment.id}: ${request}`, outcome: 'not-possible' };
      continue;
    }
    const result = await tryDeployment(route, deployment, request, { registry, signal, isLast: false });
    if ('leg' in result) return result.leg;
    last = { reason: `${deployment.id}: ${result.error.message}`, outcome: failureKind(result.error) === null ? 'refused' : 'no-deployment' };
  }
}

/** The 503 when no deployment of any candidate could be asked: `Retry-After` is the soonest recovery. */
function allCooling(candidates: readonly ModelRoute[]): ServiceUnavailableError {
  const now = Date.now();
  let soonest = Infinity;
  for (const route of candidates) soonest = Math.min(soonest, soonestRecovery(route.deployments, now));
  const seconds = Math.max(1, Math.ceil((soonest - now) / 1000));
  const names = candidates.map((r) => `'${r.name}'`).join(', ');
  return new ServiceUnavailableError(`Every deployment of ${names} is cooling down after failures or rate limits; retry after ${seconds} s.`, {
    code: 'deployments_unavailable',
    retryAfter: seconds,
  });
}

/** When (Unix ms) the first of these deployments takes requests again. */
function soonestRecovery(deployments: readonly ModelDeployment[], now: number): number {
  let soonest = Infinity;
  for (const { deployment } of deployments) soonest = Math.min(soonest, deployment.health.recoversAt(now));
  return soonest;
}

/**
 * The stream with its first batch put back in front. A plain iterator rather than an
 * async generator: every later batch goes straight through, without a generator hop; and
 * when the rest can push, so can this (the first batch goes to the sink first).
 */
function prepend(head: IteratorResult<EventBatch>, rest: AsyncIterator<EventBatch>): PushableIterator<EventBatch> {
  let first: IteratorResult<EventBatch> | undefined = head;
  const iterator: PushableIterator<EventBatch> = {
    next() {
      if (first === undefined) return rest.next();
      const result = first;
      first = undefined;
      if (result.done) return rest.return ? rest.return(undefined) : Promise.resolve(result);
      return Promise.resolve(result);
    },
    async return() {
      first = undefined;
      await rest.return?.(undefined);
      return { value: undefined, done: true };
    },
  };
  const pipeRest = pushable(rest);
  if (pipeRest && !head.done) {
    iterator.pipe = (sink) => {
      const result = first;
      first = undefined;
      if (result && !result.done) sink.data(result.value);
      return pipeRest(sink);
    };
  }
  return iterator;
}

/**
 * The stream, each batch recorded on `tape` as it passes (a plain iterator: no generator
 * hop); it pushes when its source does, so a taped run keeps the push path and its backpressure.
 */
function taped(events: EventStream, tape: { record(batch: EventBatch): void }): EventStream {
  const iterator = events[Symbol.asyncIterator]();
  const next = (result: IteratorResult<EventBatch>) => {
    if (!result.done) tape.record(result.value);
    return result;
  };
  const wrapped: PushableIterator<EventBatch> = {
    next: () => iterator.next().then(next),
    return: async () => (await iterator.return?.(undefined)) ?? { value: undefined, done: true },
  };
  const pipeSource = pushable(iterator);
  if (pipeSource) {
    wrapped.pipe = (sink) =>
      pipeSource({
        data: (batch) => {
          tape.record(batch);
          sink.data(batch);
        },
        end: () => sink.end(),
        fail: (err) => sink.fail(err),
      });
  }
  return { [Symbol.asyncIterator]: () => wrapped };
}

/** A leg that gives back recorded batches, then ends with `error` (the cut a continuation starts from). */
function replayThen(batches: Iterable<EventBatch>, error: GatewayError): AsyncIterator<EventBatch> {
  const source = batches[Symbol.iterator]();
  let ended = false;
  return {
    next() {
      if (ended) return Promise.resolve({ value: undefined, done: true });
      const step = source.next();
      if (!step.done) return Promise.resolve({ value: step.value, done: false });
      ended = true;
      return Promise.resolve({ value: [{ type: 'error', error }], done: false });
    },
    return() {
      ended = true;
      return Promise.resolve({ value: undefined, done: true });
    },
  };
}
