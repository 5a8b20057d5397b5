/**
 * The simulator continues its own answers: given the first part of an answer as a trailing
 * assistant message (prefill), it streams exactly the rest, for a `seed`.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChatRequest } from '../types.js';
import { SimulatorProvider } from './simulator-provider.js';

const sim = new SimulatorProvider({ tokensPerSecond: 0, firstTokenMs: 0 });

async function text(request: ChatRequest): Promise<string> {
  let out = '';
  for await (const batch of sim.stream(request, { signal: new AbortController().signal })) for (const e of batch) if (e.type === 'text-delta') out += e.text;
  return out;
}

describe('simulator continuation', () => {
  for (const model of ['sim-reasoner', 'sim-chat']) {
    it(`${model}: prefix + continuation equals the whole answer, cut anywhere (seed 42)`, async () => {
      const base: ChatRequest = { model, seed: 42, messages: [{ role: 'user', content: '介绍一下北京' }] };
      const whole = await text(base);
      assert.ok(whole.length > 40);
      for (const cut of [1, 7, Math.floor(whole.length / 3), Math.floor(whole.length / 2) + 1, whole.length - 1]) {
        const prefix = whole.slice(0, cut);
        const rest = await text({ ...base, messages: [...base.messages, { role: 'assistant', content: prefix }] });
        assert.equal(prefix + rest, whole, `cut at ${cut}`);
      }
    });
  }
});
