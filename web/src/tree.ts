/**
 * A conversation is a tree of turns: regenerate and edit add a sibling (a turn with the
 * same parent) and keep the earlier one. The page shows one branch: at each fork the
 * chosen sibling (the newest unless the user picked another). Pure.
 */
export interface TreeTurn {
  requestId: string;
  parentId: string | null;
}

const ROOT = '';

export class TurnTree<T extends TreeTurn> {
  private turns: T[] = [];
  /** The chosen child per parent ('' for the first question). */
  private readonly chosen = new Map<string, string>();

  constructor(turns: readonly T[] = []) {
    this.turns = [...turns];
  }

  get all(): readonly T[] {
    return this.turns;
  }

  /** Adds a turn (or replaces one with the same id) and chooses it at its fork. */
  put(turn: T): void {
    const i = this.turns.findIndex((t) => t.requestId === turn.requestId);
    if (i >= 0) this.turns[i] = turn;
    else this.turns.push(turn);
    this.chosen.set(turn.parentId ?? ROOT, turn.requestId);
  }

  get(requestId: string): T | undefined {
    return this.turns.find((t) => t.requestId === requestId);
  }

  /** Turns with this parent, oldest first. */
  siblingsOf(turn: TreeTurn): T[] {
    return this.childrenOf(turn.parentId);
  }

  /** Chooses `requestId` at its fork (the page then shows its branch). */
  choose(requestId: string): void {
    const turn = this.get(requestId);
    if (turn) this.chosen.set(turn.parentId ?? ROOT, requestId);
  }

  /** The branch shown: from the first question down, the chosen (else newest) child at each fork. */
  path(): T[] {
    const out: T[] = [];
    const seen = new Set<string>();
    let parent: string | null = null;
    for (;;) {
      const kids = this.childrenOf(parent);
      if (kids.length === 0) return out;
      const want = this.chosen.get(parent ?? ROOT);
      const next = kids.find((k) => k.requestId === want) ?? kids.at(-1)!;
      if (seen.has(next.requestId)) return out;
      seen.add(next.requestId);
      out.push(next);
      parent = next.requestId;
    }
  }

  private childrenOf(parentId: string | null): T[] {
    return this.turns.filter((t) => (t.parentId ?? null) === parentId);
  }
}
