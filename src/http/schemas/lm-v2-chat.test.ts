import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequest } from '../validation.js';
import { lmV2ChatRequestSchema, toLmV2ChatRequest } from './lm-v2-chat.js';

const parse = (body: unknown) => toLmV2ChatRequest(parseRequest(lmV2ChatRequestSchema, body));
const messages = [{ role: 'user', content: 'hi' }];

test('the documented defaults reach the provider: temperature 0.95, top_p 0.8', () => {
  const request = parse({ model: 'm', messages });
  assert.equal(request.temperature, 0.95);
  assert.equal(request.topP, 0.8);
  assert.equal(request.extra, undefined);
});

test('given values win over the defaults; penalty_score goes to upstreams as extra.penalty_score', () => {
  const request = parse({ model: 'm', messages, temperature: 0.3, top_p: 0.5, penalty_score: 1.5, top_k: 4, max_completion_tokens: 9 });
  assert.deepEqual(
    { t: request.temperature, p: request.topP, k: request.topK, max: request.maxTokens, extra: request.extra },
    { t: 0.3, p: 0.5, k: 4, max: 9, extra: { penalty_score: 1.5 } },
  );
});

test('a "__proto__" key in the body cannot change the parsed request', () => {
  const body = JSON.parse('{"model":"m","messages":[{"role":"user","content":"a"}],"__proto__":{"stream":true,"temperature":0}}');
  const parsed = parseRequest(lmV2ChatRequestSchema, body);
  assert.equal(parsed.stream, undefined);
  assert.equal(toLmV2ChatRequest(parsed).temperature, 0.95);
  assert.equal(({} as { stream?: unknown }).stream, undefined);
});
