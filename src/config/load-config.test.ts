import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './load-config.js';

function file(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sg-config-'));
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

describe('loadConfig', () => {
  it('has embedded defaults: no file, no network', () => {
    const c = loadConfig({ env: {} });
    assert.equal(c.port, 8003);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.reasoningFormat, 'separate');
    assert.deepEqual(c.simulator, { tokensPerSecond: 40, firstTokenMs: 400 });
  });

  it('reads YAML with ${VAR} from the environment', () => {
    const path = file(
      'c.yaml',
      `port: 9000
auth:
  keys:
    - key: \${SG_KEY}
      name: web
      models: ["sim-*"]
      rateLimit: { requestsPerMinute: 600, concurrentStreams: 20 }
providers:
  - id: dashscope
    type: openai
    baseURL: https://dashscope.aliyuncs.com/compatible-mode/v1
    apiKey: \${DASHSCOPE_API_KEY:-none}
models:
  - name: qwen-plus
    provider: dashscope
    fallbacks: [sim-reasoner]
`,
    );
    const c = loadConfig({ file: path, env: { SG_KEY: 'secret-key-123' } });
    assert.equal(c.port, 9000);
    assert.equal(c.auth?.keys[0]?.key, 'secret-key-123');
    assert.equal(c.providers[0]?.apiKey, 'none');
    assert.equal(c.models[0]?.reasoning, 'auto');
    assert.equal(c.providers[0]?.maxTokensField, 'max_tokens', 'what compatible servers read, by default');
  });

  it('takes maxTokensField max_completion_tokens for OpenAI and names the field when it is neither', () => {
    const openai = file('openai.yaml', 'providers:\n  - id: openai\n    type: openai\n    baseURL: https://api.openai.com/v1\n    maxTokensField: max_completion_tokens\n');
    assert.equal(loadConfig({ file: openai, env: {} }).providers[0]?.maxTokensField, 'max_completion_tokens');
    const bad = file('bad-field.yaml', 'providers:\n  - id: openai\n    type: openai\n    baseURL: https://api.openai.com/v1\n    maxTokensField: maxTokens\n');
    assert.throws(() => loadConfig({ file: bad, env: {} }), (err: unknown) => err instanceof ConfigError && /providers\.0\.maxTokensField/.test(err.message));
  });

  it('reads JSON by extension; PORT/HOST env and flags override in that order', () => {
    const path = file('c.json', JSON.stringify({ port: 9100, host: '0.0.0.0' }));
    assert.equal(loadConfig({ file: path, env: {} }).port, 9100);
    assert.equal(loadConfig({ file: path, env: { PORT: '9200' } }).port, 9200);
    assert.equal(loadConfig({ file: path, env: { PORT: '9200' }, overrides: { port: 9300 } }).port, 9300);
    assert.equal(loadConfig({ env: { STREAMGATE_CONFIG: path, HOST: '::1' } }).host, '::1');
  });

  it('names the bad key in its error', () => {
    const bad = file('bad.yaml', 'simulator:\n  tokensPerSecond: fast\n');
    assert.throws(() => loadConfig({ file: bad, env: {} }), (err: unknown) => err instanceof ConfigError && /simulator\.tokensPerSecond/.test(err.message));
    const unknown = file('unknown.yaml', 'prot: 1\n');
    assert.throws(() => loadConfig({ file: unknown, env: {} }), /unknown key\(s\) "prot"/);
    const missing = file('missing.yaml', 'auth:\n  keys:\n    - key: ${NOPE_NOT_SET}\n');
    assert.throws(() => loadConfig({ file: missing, env: {} }), /auth\.keys\.0\.key: environment variable NOPE_NOT_SET is not set/);
    const dangling = file('d.yaml', 'models:\n  - name: m\n    provider: nowhere\n');
    assert.throws(() => loadConfig({ file: dangling, env: {} }), /models\.0\.provider: unknown provider "nowhere"/);
  });
});
