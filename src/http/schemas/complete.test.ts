import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InvalidRequestError } from '../../core/errors.js';
import { parseRequest } from '../validation.js';
import { completeRequestSchema, fromQuery, toCompleteChatRequest, toQueryError } from './complete.js';

test('fromQuery: numbers parsed, sim_* gathered into sim, non-numbers left for the schema to name', () => {
  assert.deepEqual(
    fromQuery({ question: 'hi', temperature: '0.5', top_k: '40', sim_tokens_per_second: '0', sim_first_token_ms: '250', sim_fault: 'stall', model: 'sim-chat' }),
    { question: 'hi', temperature: 0.5, top_k: 40, model: 'sim-chat', sim: { tokens_per_second: 0, first_token_ms: 250, fault: 'stall' } },
  );
  assert.deepEqual(fromQuery({ temperature: 'abc', top_p: '', max_tokens: '1e999' }), { temperature: 'abc', top_p: '', max_tokens: '1e999' });
  assert.throws(() => fromQuery({ question: ['a', 'b'] }), (e: InvalidRequestError) => e.param === 'question' && e.status === 400);
});

test('GET errors name the query parameter (sim_fault), POST errors the JSON path (sim.fault)', () => {
  let error: unknown;
  try {
    parseRequest(completeRequestSchema, fromQuery({ question: 'hi', sim_first_token_ms: '-1' }));
  } catch (e) {
    error = toQueryError(e);
  }
  assert.ok(error instanceof InvalidRequestError);
  assert.equal(error.param, 'sim_first_token_ms');
  assert.match(error.message, /^sim_first_token_ms must be an integer >= 0/);
});

test('toCompleteChatRequest: the endpoint defaults are sent unless the request says otherwise', () => {
  const body = parseRequest(completeRequestSchema, { question: 'hi', userId: 'u1', sim: { tokens_per_second: 0 } });
  const request = toCompleteChatRequest(body, [{ role: 'user', content: 'hi' }]);
  assert.deepEqual(request, {
    messages: [{ role: 'user', content: 'hi' }],
    temperature: 0.6,
    topP: 0.95,
    topK: 40,
    user: 'u1',
    sim: { tokensPerSecond: 0 },
  });
  const given = toCompleteChatRequest(parseRequest(completeRequestSchema, { question: 'hi', temperature: 0, top_p: 1, top_k: 1, max_tokens: 9 }), []);
  assert.deepEqual([given.temperature, given.topP, given.topK, given.maxTokens], [0, 1, 1, 9]);
});
