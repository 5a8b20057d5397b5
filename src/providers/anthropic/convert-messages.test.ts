import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { convertMessages } from './convert-messages.js';
import { buildAnthropicRequestBody, DEFAULT_MAX_TOKENS } from './build-request-body.js';

describe('convertMessages', () => {
  it('moves system and developer messages to the system prompt', () => {
    const out = convertMessages([
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
      { role: 'user', content: 'Hi' },
    ]);
    assert.equal(out.system, 'Be brief.\n\nAnswer in French.');
    assert.deepEqual(out.messages, [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }]);
  });

  it('merges turns of the same role and drops empty ones, so turns alternate', () => {
    const out = convertMessages([
      { role: 'user', content: 'a' },
      { role: 'tool', content: 'b' },
      { role: 'assistant', content: '' },
      { role: 'user', content: 'c' },
      { role: 'assistant', content: 'd' },
    ]);
    assert.deepEqual(out.messages, [
      { role: 'user', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }, { type: 'text', text: 'c' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'd' }] },
    ]);
    assert.equal(out.system, undefined);
  });

  it('turns image_url parts into image blocks', () => {
    const out = convertMessages([
      {
        role: 'user',
        content: [
          { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg' } },
        ],
      },
    ]);
    assert.deepEqual(out.messages[0]?.content, [
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ]);
  });
});

describe('buildAnthropicRequestBody', () => {
  it('always sends max_tokens, caps temperature at 1 and maps stop to stop_sequences', () => {
    const body = buildAnthropicRequestBody({ model: 'claude-x', messages: [{ role: 'user', content: 'x' }], temperature: 1.5, stop: ['END'] });
    assert.equal(body.max_tokens, DEFAULT_MAX_TOKENS);
    assert.equal(body.temperature, 1);
    assert.deepEqual(body.stop_sequences, ['END']);
    assert.equal(body.stream, true);
  });

  it('takes max_tokens from the request, then from the model params', () => {
    const params = { max_tokens: 16000, thinking: { type: 'enabled', budget_tokens: 8000 } };
    const fromParams = buildAnthropicRequestBody({ model: 'm', messages: [{ role: 'user', content: 'x' }], params });
    assert.equal(fromParams.max_tokens, 16000);
    assert.deepEqual(fromParams.thinking, params.thinking);
    const fromRequest = buildAnthropicRequestBody({ model: 'm', messages: [{ role: 'user', content: 'x' }], maxTokens: 100, params });
    assert.equal(fromRequest.max_tokens, 100);
  });
});
