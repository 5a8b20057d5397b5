/**
 * Why a run ended before its model did. Every run is aborted with one of these as the
 * signal's reason, and each is also the final event its followers get, so a client that
 * is still reading (or resumes later) is told how the answer ended instead of seeing the
 * stream stop.
 */
import { GatewayError, ServiceUnavailableError } from '../core/errors.js';

/** 499, as nginx logs a client that closed its request: nobody failed. */
const STOPPED = 499;

/** The client that started a non-resumable stream closed its connection: the stop button of every chat UI. */
export const CLIENT_DISCONNECTED = new GatewayError(STOPPED, 'stream_stopped', 'The client closed the connection, so the answer was stopped.', {
  code: 'client_disconnected',
});

/** `DELETE /v1/streams/:id`. */
export function cancelledByClient(streamId: string): GatewayError {
  return new GatewayError(STOPPED, 'stream_stopped', `This answer was stopped by DELETE /v1/streams/${streamId}.`, { code: 'stream_cancelled' });
}

/** A resumable stream nobody came back to within the grace period. */
export function abandoned(graceMs: number): GatewayError {
  return new GatewayError(STOPPED, 'stream_stopped', `No client was reading this stream for ${graceMs} ms, so the answer was stopped.`, {
    code: 'stream_abandoned',
  });
}

/**
 * The server's shutdown deadline came before the answer's end. Said as it is: nothing can
 * resume the run, so the client is told to ask again, not to reconnect.
 */
export function cutByRestart(): ServiceUnavailableError {
  return new ServiceUnavailableError('The answer was cut short because the server restarted before it finished. Send the request again.', {
    code: 'server_restarted',
    retryAfter: 1,
  });
}

/**
 * The run was handed over to another instance at the shutdown deadline (`handover.ts`):
 * it ends here without a final event, and its observers are not told it ended (it goes
 * on elsewhere). Never seen by a client.
 */
export const HANDED_OVER = new GatewayError(STOPPED, 'stream_stopped', 'The answer was handed over to another instance, which continues it.', { code: 'stream_handed_over' });

export function isHandedOver(reason: unknown): boolean {
  return reason === HANDED_OVER;
}

/** True for reasons that are a client's choice (the outcome is `stopped`, not `failed`). */
export function isStop(reason: unknown): reason is GatewayError {
  return reason instanceof GatewayError && reason.status === STOPPED;
}
