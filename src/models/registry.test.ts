import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../config/load-config.js';
import { buildRegistry } from './registry.js';

const provider = { id: 'up', type: 'openai', baseURL: 'http://127.0.0.1:9/v1' } as const;

describe('buildRegistry with upstream models', () => {
  it('routes a public name to its provider, upstream model and params', async () => {
    const registry = buildRegistry(parseConfig({ providers: [provider], models: [{ name: 'qwen', provider: 'up', model: 'qwen-plus', params: { enable_thinking: true }, fallbacks: ['sim-reasoner'] }] }));
    const route = registry.resolve('qwen');
    assert.deepEqual({ id: route.provider.id, model: route.upstreamModel, params: route.params, fallbacks: route.fallbacks }, { id: 'up', model: 'qwen-plus', params: { enable_thinking: true }, fallbacks: ['sim-reasoner'] });
    assert.equal(route.provider.maxRetries, 2);
    await registry.close();
  });

  it('refuses a fallback that names no model', () => {
    assert.throws(() => buildRegistry(parseConfig({ providers: [provider], models: [{ name: 'qwen', provider: 'up', fallbacks: ['nope'] }] })), /unknown fallback "nope"/);
  });
});
