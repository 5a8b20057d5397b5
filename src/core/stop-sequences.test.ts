import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StopSequenceMatcher } from './stop-sequences.js';

function run(stops: string[], pieces: string[]): { text: string; stopped: boolean } {
  const m = new StopSequenceMatcher(stops);
  let text = '';
  for (const p of pieces) {
    const r = m.push(p);
    text += r.text;
    if (r.stopped) return { text, stopped: true };
  }
  return { text: text + m.flush(), stopped: false };
}

describe('StopSequenceMatcher', () => {
  it('cuts before a stop sequence inside one piece', () => {
    assert.deepEqual(run(['END'], ['abcENDdef']), { text: 'abc', stopped: true });
  });

  it('cuts before a stop sequence that spans pieces', () => {
    assert.deepEqual(run(['\n\n'], ['one\n', '\ntwo']), { text: 'one', stopped: true });
    assert.deepEqual(run(['STOP'], ['a S', 'T', 'O', 'P b']), { text: 'a ', stopped: true });
  });

  it('releases held text that turned out not to be a stop sequence', () => {
    assert.deepEqual(run(['STOP'], ['a ST', 'ART']), { text: 'a START', stopped: false });
    assert.deepEqual(run(['STOP'], ['a ST']), { text: 'a ST', stopped: false });
  });

  it('picks the earliest of several sequences', () => {
    assert.deepEqual(run(['b', 'a'], ['xxab']), { text: 'xx', stopped: true });
  });

  it('passes everything through without stop sequences', () => {
    assert.deepEqual(run([], ['a', 'b']), { text: 'ab', stopped: false });
  });
});
