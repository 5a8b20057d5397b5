/** New ids for `/v1/complete`, in the formats of the user's sample. */
import { randomText } from '../core/random-text.js';

/** Stands in for the user in a generated session id when the request names none. */
export const ANONYMOUS_USER = 'anonymous';

/** `SessionId:<random>:<userId>:<ms>`, as in the sample (`SessionId:xgAAAZTfwwM3:d2c-test-002:1743675083043`). */
export function newSessionId(userId: string | null, nowMs = Date.now()): string {
  return `SessionId:${randomText(9, 'base64url')}:${userId ?? ANONYMOUS_USER}:${nowMs}`;
}

/**
 * `<24 hex>-<turn>`: the sample's shape (`0d6fb6c6-2`, hex then the session's turn number),
 * with 96 random bits instead of its 32. The requestId is also the stream id a client
 * resumes with, and without `auth` knowing it is all a resume (or a cancel) needs: 32 bits
 * could be found by trying. The spec fixes no length, only "id of this request".
 */
export const REQUEST_ID_RANDOM_BYTES = 12;

export function newRequestId(turn: number): string {
  return `${randomText(REQUEST_ID_RANDOM_BYTES, 'hex')}-${turn}`;
}
