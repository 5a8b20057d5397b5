import assert from 'node:assert/strict';
import { test } from 'node:test';
import { filterModels } from './filter-models.js';

test('filterModels keeps comments, model-less samples and visible models; drops the others, escapes and all', () => {
  const text = [
    '# HELP streamgate_requests_total HTTP requests answered',
    '# TYPE streamgate_requests_total counter',
    'streamgate_requests_total{endpoint="/v1/models",model="",status="200"} 3',
    'streamgate_requests_total{endpoint="/v1/chat/completions",model="sim-chat",status="200"} 2',
    'streamgate_requests_total{endpoint="/v1/chat/completions",model="secret-model",status="200"} 1',
    'streamgate_tokens_total{model="secret-model",direction="in"} 9',
    'streamgate_tokens_total{model="we\\"ird\\\\name",direction="in"} 4',
    'streamgate_open_streams{endpoint="complete"} 0',
    'process_cpu_seconds_total 0.5',
    '',
  ].join('\n');
  const seen: string[] = [];
  const out = filterModels(text, (m) => {
    seen.push(m);
    return m === 'sim-chat';
  });
  assert.deepEqual(out.split('\n'), [
    '# HELP streamgate_requests_total HTTP requests answered',
    '# TYPE streamgate_requests_total counter',
    'streamgate_requests_total{endpoint="/v1/models",model="",status="200"} 3',
    'streamgate_requests_total{endpoint="/v1/chat/completions",model="sim-chat",status="200"} 2',
    'streamgate_open_streams{endpoint="complete"} 0',
    'process_cpu_seconds_total 0.5',
    '',
  ]);
  assert.ok(seen.includes('we"ird\\name'), 'label values are unescaped before the check');
});
