import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StreamEvent } from './events.js';
import { splitReasoning } from './split-reasoning.js';

async function* from(events: StreamEvent[], onReturn?: () => void): AsyncGenerator<StreamEvent> {
  try {
    yield* events;
  } finally {
    onReturn?.();
  }
}

const text = (t: string): StreamEvent => ({ type: 'text-delta', text: t });
const finish: StreamEvent = { type: 'finish', reason: 'end' };

async function collect(events: AsyncIterable<StreamEvent>): Promise<string[]> {
  const out: string[] = [];
  for await (const e of events) out.push(e.type === 'text-delta' ? `T:${e.text}` : e.type === 'reasoning-delta' ? `R:${e.text}` : e.type);
  return out;
}

describe('splitReasoning', () => {
  it('auto: a <think> block cut across chunks becomes reasoning, the rest passes as it came', async () => {
    const out = await collect(splitReasoning(from([text('<thi'), text('nk>hm'), text('m</th'), text('ink>Hi'), text(' there'), finish]), 'auto'));
    assert.deepEqual(out, ['R:hm', 'R:m', 'T:Hi', 'T: there', 'finish']);
  });

  it('auto: reasoning sent in a field turns tag splitting off', async () => {
    const out = await collect(splitReasoning(from([{ type: 'reasoning-delta', text: 'x' }, text('<think>y</think>'), finish]), 'auto'));
    assert.deepEqual(out, ['R:x', 'T:<think>y</think>', 'finish']);
  });

  it('tags: text before </think> is thinking without an opening tag', async () => {
    const out = await collect(splitReasoning(from([text('a</think>b'), { type: 'usage', usage: { promptTokens: 1, completionTokens: 2 } }, finish]), 'tags'));
    assert.deepEqual(out, ['R:a', 'T:b', 'usage', 'finish']);
  });

  it('holds back a possible tag until the stream ends, then lets it out', async () => {
    assert.deepEqual(await collect(splitReasoning(from([text('<thi')]), 'auto')), ['T:<thi']);
  });

  it('none and field: the stream itself, untouched', () => {
    const source = from([text('<think>a</think>')]);
    assert.equal(splitReasoning(source, 'none'), source);
    assert.equal(splitReasoning(source, 'field'), source);
  });

  it('a consumer that stops early closes the source', async () => {
    let closed = false;
    for await (const _ of splitReasoning(from([text('a'), text('b'), finish], () => (closed = true)), 'auto')) break;
    assert.equal(closed, true);
  });
});
