import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pageKnobs, parseEnvelope, statsFromTrace, tokensPerSecond } from './envelope.js';
import { formatStats } from './format.js';
import { pickStrings } from './i18n.js';

const sample = JSON.parse(
  readFileSync(new URL('./__fixtures__/complete-sample-events.json', import.meta.url), 'utf8'),
) as unknown[];

describe('envelope', () => {
  it('parses every event of the user sample', () => {
    const events = sample.map((e) => parseEnvelope(JSON.stringify(e)));
    assert.deepEqual(events.map((e) => e?.event), ['message', 'message', 'message', 'end']);
    assert.equal(events[0]?.data.answer, '<think>');
    assert.equal(events[3]?.detail.length, 4);
  });

  it('reads the model step of the end trace (seconds to ms)', () => {
    const end = parseEnvelope(JSON.stringify(sample[3]))!;
    const s = statsFromTrace(end.detail)!;
    assert.equal(s.modelName, 'QwQ-32B');
    assert.ok(s.firstTokenMs !== undefined && s.firstTokenMs > 0);
    assert.ok(s.completionTokens !== undefined && s.completionTokens > 0);
    assert.ok((tokensPerSecond(s) ?? 0) > 0);
  });

  it('rejects what is not an envelope', () => {
    assert.equal(parseEnvelope('not json'), null);
    assert.equal(parseEnvelope('[1]'), null);
    assert.equal(parseEnvelope('{"event":"message"}'), null);
  });

  it('computes tokens per second over the time after the first token', () => {
    assert.equal(tokensPerSecond({ firstTokenMs: 1000, totalMs: 3000, completionTokens: 100 }), 50);
    assert.equal(tokensPerSecond({ firstTokenMs: 1000, totalMs: 1000, completionTokens: 100 }), undefined);
    assert.equal(tokensPerSecond({}), undefined);
  });

  it('formats the figures in both languages', () => {
    const stats = { firstTokenMs: 420, totalMs: 2420, completionTokens: 77, modelName: 'sim-reasoner' };
    assert.equal(formatStats(stats, pickStrings(['en-US']).t), 'first token 0.42 s · 38.5 tok/s · 77 tokens · sim-reasoner');
    assert.equal(formatStats(stats, pickStrings(['zh-CN']).t), '首字 0.42 s · 38.5 tok/s · 77 tokens · sim-reasoner');
  });

  it('takes the sim knobs of the page url into the POST body', () => {
    assert.deepEqual(pageKnobs('?sim_fault=stall&x=1&sim_tokens_per_second=5&reasoning_format=separate'), {
      sim: { tokens_per_second: 5, fault: 'stall' },
      reasoning_format: 'separate',
    });
    assert.deepEqual(pageKnobs('?sim_first_token_ms=0'), { sim: { first_token_ms: 0 } });
    assert.deepEqual(pageKnobs(''), {});
  });
});
