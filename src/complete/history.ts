/**
 * A session's earlier turns as the model's context: alternating user/assistant messages
 * before the new question. The model sees its earlier answers without their thinking
 * (as thinking models are meant to be prompted), so it does not re-read old reasoning.
 * A session is a tree (regenerate and edit add siblings); the context is the branch
 * that leads to the new question's parent. A stopped answer is context as far as it got
 * (the user saw it); a failed or still-streaming one is not.
 */
import { ThinkTagSplitter } from '../core/think-splitter.js';
import type { ChatMessage } from '../providers/types.js';
import type { SessionTurn } from '../store/types.js';

/** The answer part of a stored answer: `<think>…</think>` and the blank lines after it removed. */
export function stripThinking(answer: string): string {
  const splitter = new ThinkTagSplitter();
  let text = '';
  const keepText = (part: 'reasoning' | 'text', piece: string) => {
    if (part === 'text') text += piece;
  };
  splitter.push(answer, keepText);
  splitter.flush(keepText);
  return text.trimStart();
}

/**
 * The turns from the first question down to `leafId` (oldest first); empty for null or an
 * id the session does not have. `turns` need `parentId` set (as the stores read them).
 */
export function branchTo(turns: readonly SessionTurn[], leafId: string | null): SessionTurn[] {
  const byId = new Map<string, SessionTurn>();
  for (const turn of turns) byId.set(turn.requestId, turn); // a reused id: the latest turn wins
  const path: SessionTurn[] = [];
  const seen = new Set<string>();
  for (let id = leafId; id !== null && id !== undefined && !seen.has(id); ) {
    seen.add(id);
    const turn = byId.get(id);
    if (!turn) break;
    path.push(turn);
    id = turn.parentId ?? null;
  }
  return path.reverse();
}

/** Whether a turn's answer is context for the questions after it. */
export function isContext(turn: SessionTurn): boolean {
  const status = turn.status ?? 'complete';
  return status === 'complete' || (status === 'stopped' && stripThinking(turn.answer).trim() !== '');
}

/** The earlier turns as chat messages, oldest first (turns that are not context left out). */
export function historyMessages(turns: readonly SessionTurn[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const turn of turns) {
    if (!isContext(turn)) continue;
    messages.push({ role: 'user', content: turn.question });
    messages.push({ role: 'assistant', content: stripThinking(turn.answer) });
  }
  return messages;
}

export interface PromptInput {
  system: string;
  history: readonly ChatMessage[];
  question: string;
}

/** What the model is asked: `system` (if any), the history, then the question. */
export function buildMessages(input: PromptInput): ChatMessage[] {
  return [
    ...(input.system ? [{ role: 'system' as const, content: input.system }] : []),
    ...input.history,
    { role: 'user', content: input.question },
  ];
}
