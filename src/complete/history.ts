/**
 * A session's earlier turns as the model's context: alternating user/assistant messages
 * before the new question. The model sees its earlier answers without their thinking
 * (as thinking models are meant to be prompted), so it does not re-read old reasoning.
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

/** The earlier turns as chat messages, oldest first. */
export function historyMessages(turns: readonly SessionTurn[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const turn of turns) {
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
