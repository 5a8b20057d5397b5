/**
 * Starts a model's stream and waits for its first event, trying the model's `fallbacks`
 * in order when it fails before that (connection refused, 5xx, 429, timeout). After the
 * first event nothing is retried: the client may already have part of an answer.
 */
import type { StreamEvent } from '../core/events.js';
import { GatewayError, toGatewayError } from '../core/errors.js';
import { splitReasoning } from '../core/split-reasoning.js';
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
  events: AsyncIterable<StreamEvent>;
}

export async function openStream(options: OpenStreamOptions): Promise<OpenedStream> {
  const first = options.registry.resolve(options.model);
  const candidates = [first, ...first.fallbacks.map((name) => options.registry.resolve(name))];
  let lastError: GatewayError | undefined;
  for (const route of candidates) {
    options.signal.throwIfAborted();
    const iterator = splitReasoning(
      route.provider.stream({ ...options.request, model: route.upstreamModel }, { signal: options.signal }),
      route.reasoning,
    )[Symbol.asyncIterator]();
    let head: IteratorResult<StreamEvent>;
    try {
      head = await iterator.next();
    } catch (err) {
      if (options.signal.aborted) throw err;
      lastError = toGatewayError(err);
      if (!lastError.retryable) throw lastError;
      continue;
    }
    if (!head.done && head.value.type === 'error' && head.value.error.retryable && route !== candidates.at(-1)) {
      lastError = head.value.error;
      await iterator.return?.(undefined);
      continue;
    }
    return { route, events: prepend(head, iterator) };
  }
  throw lastError ?? new GatewayError(502, 'upstream_error', 'no model could answer');
}

async function* prepend(head: IteratorResult<StreamEvent>, rest: AsyncIterator<StreamEvent>): AsyncGenerator<StreamEvent> {
  try {
    if (head.done) return;
    yield head.value;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await rest.return?.(undefined);
  }
}
