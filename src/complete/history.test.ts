import assert from 'node:assert/strict';
import { test } from 'node:test';
import { branchTo, buildMessages, historyMessages, stripThinking } from './history.js';
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

test('history: a stopped answer is context as far as it got; failed and streaming turns are not', () => {
  const turns: SessionTurn[] = [
    { requestId: 'a-1', question: 'one', answer: '<think>x</think>\n\nHalf an ans', model: 'm', createdAt: 1, timings, status: 'stopped' },
    { requestId: 'a-2', question: 'two', answer: 'Broken', model: 'm', createdAt: 2, timings, status: 'failed', error: 'boom' },
    { requestId: 'a-3', question: 'three', answer: '<think>only thinking', model: 'm', createdAt: 3, timings, status: 'stopped' },
    { requestId: 'a-4', question: 'four', answer: 'Still go', model: 'm', createdAt: 4, timings, status: 'streaming' },
    { requestId: 'a-5', question: 'five', answer: 'Done.', model: 'm', createdAt: 5, timings, status: 'complete' },
  ];
  assert.deepEqual(historyMessages(turns), [
    { role: 'user', content: 'one' },
    { role: 'assistant', content: 'Half an ans' },
    { role: 'user', content: 'five' },
    { role: 'assistant', content: 'Done.' },
  ]);
});

test('branchTo: the path from the first question to a turn, siblings of regenerate and edit left out', () => {
  const t = (requestId: string, parentId: string | null): SessionTurn => ({ requestId, question: requestId, answer: requestId, model: 'm', createdAt: 0, timings, parentId });
  // a -> b -> c, and b' (a regenerate of b) -> d
  const turns = [t('a', null), t('b', 'a'), t('c', 'b'), t('b2', 'a'), t('d', 'b2')];
  assert.deepEqual(branchTo(turns, 'd').map((x) => x.requestId), ['a', 'b2', 'd']);
  assert.deepEqual(branchTo(turns, 'c').map((x) => x.requestId), ['a', 'b', 'c']);
  assert.deepEqual(branchTo(turns, 'a').map((x) => x.requestId), ['a']);
  assert.deepEqual(branchTo(turns, null), []);
  assert.deepEqual(branchTo(turns, 'nope'), []);
  // A cycle (a corrupt store) ends instead of looping.
  assert.deepEqual(branchTo([t('x', 'y'), t('y', 'x')], 'x').map((q) => q.requestId), ['y', 'x']);
});
