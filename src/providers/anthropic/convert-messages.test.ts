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

describe('tool calls for Anthropic', () => {
  const call = (id: string, name: string, args: string) => ({ id, type: 'function' as const, function: { name, arguments: args } });

  it('turns assistant tool_calls into tool_use blocks and consecutive tool messages into one user turn of tool_result blocks', () => {
    const out = convertMessages([
      { role: 'user', content: 'Weather and time in Tokyo?' },
      { role: 'assistant', content: 'Checking.', tool_calls: [call('call_a', 'get_weather', '{"city":"東京"}'), call('call_b', 'get_time', '')] },
      { role: 'tool', tool_call_id: 'call_a', content: '18°C' },
      { role: 'tool', tool_call_id: 'call_b', content: [{ type: 'text', text: '09:00' }] },
      { role: 'user', content: 'Thanks' },
    ]);
    assert.deepEqual(out.messages, [
      { role: 'user', content: [{ type: 'text', text: 'Weather and time in Tokyo?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_a', name: 'get_weather', input: { city: '東京' } },
          { type: 'tool_use', id: 'call_b', name: 'get_time', input: {} },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_a', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'call_b', content: [{ type: 'text', text: '09:00' }] },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ]);
  });

  it('keeps an assistant turn with null content and a tool result with empty content', () => {
    const out = convertMessages([
      { role: 'user', content: 'x' },
      { role: 'assistant', content: null, tool_calls: [call('call_a', 'f', '{}')] },
      { role: 'tool', tool_call_id: 'call_a', content: '' },
    ]);
    assert.deepEqual(out.messages.slice(1), [
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_a', name: 'f', input: {} }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_a' }] },
    ]);
  });

  it('refuses arguments that are not a JSON object, naming the field', () => {
    assert.throws(
      () => convertMessages([{ role: 'user', content: 'x' }, { role: 'assistant', content: null, tool_calls: [call('call_a', 'f', '{"a":')] }]),
      (err: { status: number; param: string }) => err.status === 400 && err.param === 'messages[1].tool_calls[0].function.arguments',
    );
  });

  it('translates tools and every tool_choice', () => {
    const tools = [{ name: 'get_weather', description: 'Weather now', parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } }, { name: 'ping' }];
    const body = (extra: object) => buildAnthropicRequestBody({ model: 'm', messages: [{ role: 'user', content: 'x' }], tools, ...extra });
    assert.deepEqual(body({}).tools, [
      { name: 'get_weather', description: 'Weather now', input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } },
      { name: 'ping', input_schema: { type: 'object' } },
    ]);
    assert.equal(body({}).tool_choice, undefined);
    assert.deepEqual(body({ toolChoice: 'auto' }).tool_choice, { type: 'auto' });
    assert.deepEqual(body({ toolChoice: 'required' }).tool_choice, { type: 'any' });
    assert.deepEqual(body({ toolChoice: 'none' }).tool_choice, { type: 'none' });
    assert.deepEqual(body({ toolChoice: { name: 'ping' } }).tool_choice, { type: 'tool', name: 'ping' });
    assert.deepEqual(body({ parallelToolCalls: false }).tool_choice, { type: 'auto', disable_parallel_tool_use: true });
    assert.deepEqual(body({ toolChoice: 'required', parallelToolCalls: false }).tool_choice, { type: 'any', disable_parallel_tool_use: true });
    const none = buildAnthropicRequestBody({ model: 'm', messages: [{ role: 'user', content: 'x' }], toolChoice: 'auto' });
    assert.equal('tools' in none || 'tool_choice' in none, false, 'no tools, no tool_choice');
  });
});
