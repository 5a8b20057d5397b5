import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSseComment, formatSseMessage } from './sse.js';

describe('SSE framing', () => {
  it('writes one data line for single-line data', () => {
    assert.equal(formatSseMessage({ data: '{"a":1}' }), 'data: {"a":1}\n\n');
  });

  it('splits multi-line data on every kind of line break', () => {
    assert.equal(formatSseMessage({ data: 'a\nb\r\nc\rd' }), 'data: a\ndata: b\ndata: c\ndata: d\n\n');
  });

  it('writes event, id and retry fields', () => {
    assert.equal(formatSseMessage({ event: 'end', id: '7', retry: 1500, data: 'x' }), 'event: end\ndata: x\nid: 7\nretry: 1500\n\n');
  });

  it('refuses CR or LF in event and id, which would forge fields', () => {
    assert.throws(() => formatSseMessage({ id: '1\ndata: forged', data: 'x' }), /id must not contain CR or LF/);
    assert.throws(() => formatSseMessage({ event: 'a\rb', data: 'x' }), /event must not contain CR or LF/);
    assert.throws(() => formatSseComment('a\nb'), /comment/);
  });

  it('formats comments', () => {
    assert.equal(formatSseComment('ping'), ': ping\n');
  });
});
