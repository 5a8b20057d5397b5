import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventBatch, EventStream, StreamEvent } from './events.js';
import { splitReasoning } from './split-reasoning.js';

/** Each event in a batch of its own, as when every chunk arrives in its own read. */
async function* from(events: StreamEvent[], onReturn?: () => void): AsyncGenerator<EventBatch> {
  try {
    for (const event of events) yield [event];
  } finally {
    onReturn?.();
  }
}

/** The events in the given batches, as when several chunks arrive in one read. */
async function* batched(...batches: StreamEvent[][]): AsyncGenerator<EventBatch> {
  yield* batches;
}

const text = (t: string): StreamEvent => ({ type: 'text-delta', text: t });
const finish: StreamEvent = { type: 'finish', reason: 'end' };

async function collect(events: EventStream): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of events) {
    assert.ok(batch.length > 0, 'a batch is never empty');
    for (const e of batch) out.push(e.type === 'text-delta' ? `T:${e.text}` : e.type === 'reasoning-delta' ? `R:${e.text}` : e.type);
  }
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

  it('splits the same inside batches: the answer part of a batch passes, the thinking part is split', async () => {
    const out = await collect(
      splitReasoning(batched([text('<think>a'), text('b</thi')], [text('nk>c'), text('d')], [text('e'), text('f'), finish]), 'auto'),
    );
    assert.deepEqual(out, ['R:a', 'R:b', 'T:c', 'T:d', 'T:e', 'T:f', 'finish']);
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
