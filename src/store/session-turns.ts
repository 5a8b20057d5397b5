/**
 * Turns as every session store hands them out: with a status and a parent. Turns stored
 * before either existed read as `complete`, following the turn stored before them (the
 * conversation was one line then).
 */
import type { SessionTurn, TurnStatus } from './types.js';

/** `stored` oldest first, with `parentId` undefined where the store has none. */
export function withLinks(stored: readonly SessionTurn[]): SessionTurn[] {
  return stored.map((turn, i) => ({
    ...turn,
    status: turn.status ?? ('complete' satisfies TurnStatus),
    parentId: turn.parentId !== undefined ? turn.parentId : (stored[i - 1]?.requestId ?? null),
  }));
}
