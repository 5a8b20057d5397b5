/**
 * Starts a model's stream and waits for its first event. When the model fails before
 * that (connection refused, 5xx, 429, timeout), it is retried up to its provider's
 * `maxRetries` with backoff (honouring `Retry-After`), then the model's `fallbacks` are
 * tried in order. After the first event nothing is retried: the client may already have
 * part of an answer.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventBatch, EventStream } from '../core/events.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import { retryDelay } from '../core/retry-delay.js';
import { splitReasoning } from '../core/split-reasoning.js';
import { honoursParams } from './unsupported-params.js';
import type { ChatRequest } from '../providers/types.js';
import type { ModelRegistry, ModelRoute } from './registry.js';

export interface OpenStreamOptions {
  registry: ModelRegistry;
  /** The name the client asked for. */
  model: string;
  request: Omit<ChatRequest, 'model'>;
  signal: AbortSignal;
}

export interface OpenedStream {
  /** The route that answered (a fallback, if the first one failed). */
  route: ModelRoute;
  /** The whole stream, its first event included. */
  events: EventStream;
}

type Attempt = { opened: OpenedStream } | { error: GatewayError };

export async function openStream(options: OpenStreamOptions): Promise<OpenedStream> {
  const first = options.registry.resolve(options.model);
  // A fallback that would drop what the request asks for (a JSON response format, a
  // demanded tool call) would answer wrongly rather than fail: it is not tried.
  const fallbacks = first.fallbacks.map((name) => options.registry.resolve(name)).filter((route) => honoursParams(route.provider, options.request));
  const candidates = [first, ...fallbacks];
  let lastError: GatewayError | undefined;
  for (const [i, route] of candidates.entries()) {
    const isLast = i === candidates.length - 1;
    for (let attempt = 0; ; attempt++) {
      options.signal.throwIfAborted();
      const result = await tryRoute(route, options, isLast);
      if ('opened' in result) return result.opened;
      lastError = result.error;
      if (!lastError.retryable) throw lastError;
      const delay = retryDelay(lastError, attempt, { maxRetries: route.provider.maxRetries ?? 0 });
      if (delay === undefined) break;
      await sleep(delay, undefined, { signal: options.signal });
    }
  }
  throw lastError ?? new GatewayError(502, 'upstream_error', 'no model could answer');
}

/** One attempt: the opened stream, or the error it failed with before its first event. */
async function tryRoute(route: ModelRoute, options: OpenStreamOptions, isLast: boolean): Promise<Attempt> {
  const request: ChatRequest = { ...options.request, model: route.upstreamModel };
  if (route.params) request.params = route.params;
  const iterator = splitReasoning(route.provider.stream(request, { signal: options.signal }), route.reasoning)[Symbol.asyncIterator]();
  let head: IteratorResult<EventBatch>;
  try {
    head = await iterator.next();
  } catch (err) {
    if (options.signal.aborted) throw err;
    return { error: toGatewayError(err) };
  }
  // A stream whose first event is a retryable error failed before it started.
  const first = head.done ? undefined : head.value[0];
  if (first?.type === 'error' && first.error.retryable && !isLast) {
    await iterator.return?.(undefined);
    return { error: first.error };
  }
  return { opened: { route, events: prepend(head, iterator) } };
}

/**
 * The stream with its first batch put back in front. A plain iterator rather than an
 * async generator: every later batch goes straight through, without a generator hop.
 */
function prepend(head: IteratorResult<EventBatch>, rest: AsyncIterator<EventBatch>): EventStream {
  let first: IteratorResult<EventBatch> | undefined = head;
  const iterator: AsyncIterator<EventBatch> = {
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
  return { [Symbol.asyncIterator]: () => iterator };
}
