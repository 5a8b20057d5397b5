/** New ids for `/v1/complete`, in the formats of the user's sample. */
import { randomBytes } from 'node:crypto';

/** Stands in for the user in a generated session id when the request names none. */
export const ANONYMOUS_USER = 'anonymous';

/** `SessionId:<random>:<userId>:<ms>`, as in the sample (`SessionId:xgAAAZTfwwM3:d2c-test-002:1743675083043`). */
export function newSessionId(userId: string | null, nowMs = Date.now()): string {
  return `SessionId:${randomBytes(9).toString('base64url')}:${userId ?? ANONYMOUS_USER}:${nowMs}`;
}

/** `<8 hex>-<turn>`, as in the sample (`0d6fb6c6-2`): the number says which turn of the session this is. */
export function newRequestId(turn: number): string {
  return `${randomBytes(4).toString('hex')}-${turn}`;
}
