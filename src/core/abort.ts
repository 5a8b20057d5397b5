/**
 * Linking abort signals cheaply. `AbortSignal.any` keeps weak references and a
 * finalization registration per combined signal, and an `abort()` without a reason
 * builds a `DOMException` with a stack trace: both are per-request costs on a server
 * that opens thousands of streams.
 */

/** Aborts `controller` (with the same reason) when `source` aborts; returns the function that unlinks them. */
export function abortWith(controller: AbortController, source: AbortSignal): () => void {
  if (source.aborted) {
    controller.abort(source.reason);
    return () => undefined;
  }
  const onAbort = () => controller.abort(source.reason);
  source.addEventListener('abort', onAbort, { once: true });
  return () => source.removeEventListener('abort', onAbort);
}

/** The reason given when a client closed its connection (one instance: it carries no per-request detail). */
export const CLIENT_LEFT = new DOMException('the client closed the connection', 'AbortError');
