import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSseDecoder, SseLimitError } from './sse-decoder.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('createSseDecoder', () => {
  it('keeps a UTF-8 character cut between chunks whole', () => {
    const all = bytes('data: 北京\n\n');
    const d = createSseDecoder();
    const out = [...d.push(all.subarray(0, 7)), ...d.push(all.subarray(7)), ...d.end()];
    assert.deepEqual(out.map((m) => m.data), ['北京']);
  });

  it('treats \\r\\n cut between chunks as one line break, and skips comments', () => {
    const d = createSseDecoder();
    const out = [...d.push(bytes(': keep-alive\r\n\r\ndata: a\r')), ...d.push(bytes('\n\r\ndata: b\r\n\r\n')), ...d.end()];
    assert.deepEqual(out.map((m) => m.data), ['a', 'b']);
  });

  it('delivers a last event without its final newline', () => {
    const d = createSseDecoder();
    const out = [...d.push(bytes('data: a\n\ndata: [DONE]')), ...d.end()];
    assert.deepEqual(out.map((m) => m.data), ['a', '[DONE]']);
  });

  it('reads event names (Anthropic) and multi-line data', () => {
    const d = createSseDecoder();
    const out = [...d.push(bytes('event: ping\ndata: {"type":"ping"}\n\ndata: x\ndata: y\n\n')), ...d.end()];
    assert.deepEqual(out, [{ event: 'ping', data: '{"type":"ping"}', id: undefined }, { event: undefined, data: 'x\ny', id: undefined }]);
  });
});

describe('createSseDecoder with maxEventChars', () => {
  it('stops at one line longer than the limit, however it is cut', () => {
    const d = createSseDecoder({ maxEventChars: 1000 });
    assert.deepEqual(d.push(bytes('data: ok\n\n')).map((m) => m.data), ['ok']);
    assert.throws(() => {
      for (let i = 0; i < 20; i++) d.push(bytes(`${i === 0 ? 'data: ' : ''}${'x'.repeat(100)}`));
    }, SseLimitError);
    // Nothing more is read or kept after that.
    assert.throws(() => d.push(bytes('\n\ndata: more\n\n')), SseLimitError);
  });

  it('stops at an event of many short lines, and at a whole long line that came in one chunk', () => {
    const lines = createSseDecoder({ maxEventChars: 1000 });
    assert.throws(() => {
      for (let i = 0; i < 50; i++) lines.push(bytes(`data: ${'y'.repeat(50)}\n`));
    }, SseLimitError);
    const whole = createSseDecoder({ maxEventChars: 1000 });
    assert.throws(() => whole.push(bytes(`data: ${'z'.repeat(5000)}\n\n`)), SseLimitError);
  });

  it('passes events up to the limit', () => {
    const d = createSseDecoder({ maxEventChars: 1000 });
    const data = 'w'.repeat(990);
    assert.deepEqual([...d.push(bytes(`data: ${data}\n\n`)), ...d.end()].map((m) => m.data), [data]);
  });
});
