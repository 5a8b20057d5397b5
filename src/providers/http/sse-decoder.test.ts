import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createSseDecoder } from './sse-decoder.js';

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
