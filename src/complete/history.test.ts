import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildMessages, historyMessages, stripThinking } from './history.js';
import type { SessionTurn } from '../store/types.js';

const timings = { firstTokenMs: 1, totalMs: 2, promptTokens: 3, completionTokens: 4 };

test('stripThinking keeps only the answer after </think>', () => {
  assert.equal(stripThinking('<think>\nOkay, hmm.\n</think>\n\nHello! 😊'), 'Hello! 😊');
  assert.equal(stripThinking('Plain answer, no thinking.'), 'Plain answer, no thinking.');
  assert.equal(stripThinking('<think>cut off while thinking'), '');
  assert.equal(stripThinking('Talks about <think> tags later.'), 'Talks about <think> tags later.');
});

test('history: alternating user/assistant turns, oldest first, thinking stripped; system first', () => {
  const turns: SessionTurn[] = [
    { requestId: 'a-1', question: 'hello', answer: '<think>hi?</think>\n\nHello!', model: 'm', createdAt: 1, timings },
    { requestId: 'a-2', question: 'and you?', answer: 'Fine.', model: 'm', createdAt: 2, timings },
  ];
  assert.deepEqual(buildMessages({ system: 'Be brief.', history: historyMessages(turns), question: 'bye' }), [
    { role: 'system', content: 'Be brief.' },
    { role: 'user', content: 'hello' },
    { role: 'assistant', content: 'Hello!' },
    { role: 'user', content: 'and you?' },
    { role: 'assistant', content: 'Fine.' },
    { role: 'user', content: 'bye' },
  ]);
  assert.deepEqual(buildMessages({ system: '', history: [], question: 'q' }), [{ role: 'user', content: 'q' }]);
});
