/**
 * Traces over the real wire: streamgate exports to a loopback HTTP server that decodes
 * OTLP/HTTP JSON (`ExportTraceServiceRequest`) and the test checks the spans against the
 * GenAI semantic conventions v1.37.0.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startServer, type RunningServer } from '../server.js';
import { tempDataDir } from '../test-support/temp-data-dir.js';
import { createTracing } from './tracing.js';
import { capturingLogger } from '../test-support/capturing-logger.js';

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpSpan {
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: Array<{ key: string; value: OtlpValue }>;
  events?: Array<{ name: string }>;
  status?: { code?: number; message?: string };
}
interface OtlpRequest {
  resourceSpans: Array<{ resource?: { attributes?: Array<{ key: string; value: OtlpValue }> }; scopeSpans: Array<{ scope?: { name: string }; spans: OtlpSpan[] }> }>;
}

function plain(v: OtlpValue): unknown {
  if (v.stringValue !== undefined) return v.stringValue;
  if (v.intValue !== undefined) return Number(v.intValue);
  if (v.doubleValue !== undefined) return v.doubleValue;
  if (v.boolValue !== undefined) return v.boolValue;
  if (v.arrayValue) return (v.arrayValue.values ?? []).map(plain);
  return undefined;
}
const attrs = (list: Array<{ key: string; value: OtlpValue }> = []) => Object.fromEntries(list.map((a) => [a.key, plain(a.value)]));

describe('OpenTelemetry spans over OTLP/HTTP', () => {
  const data = tempDataDir();
  let collector: Server;
  const requests: Array<{ contentType: string | undefined; body: OtlpRequest }> = [];
  let gateway: RunningServer;

  before(async () => {
    collector = createServer(async (req, res) => {
      let text = '';
      for await (const c of req) text += c;
      if (req.method === 'POST' && req.url === '/v1/traces') requests.push({ contentType: req.headers['content-type'], body: JSON.parse(text) as OtlpRequest });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
    await new Promise<void>((r) => collector.listen(0, '127.0.0.1', r));
    const { port } = collector.address() as AddressInfo;
    gateway = await startServer({
      port: 0,
      host: '127.0.0.1',
      config: {
        dataDir: data.dir,
        simulator: { tokensPerSecond: 0, firstTokenMs: 0 },
        telemetry: { otlpEndpoint: `http://127.0.0.1:${port}/v1/traces` },
      },
    });
  });
  after(async () => {
    collector.close();
    data.remove();
  });

  test('one CLIENT span per stream with model, tokens, time to first token and finish reason', async () => {
    const chat = (body: object) =>
      fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'trace-1' },
        body: JSON.stringify({ model: 'sim-chat', stream: true, seed: 2, max_tokens: 40, temperature: 0.5, messages: [{ role: 'user', content: 'Hello there' }], ...body }),
      });
    const ok = await chat({ stream_options: { include_usage: true } });
    const okText = await ok.text();
    const usage = JSON.parse(
      okText
        .split('\n')
        .filter((l) => l.startsWith('data: {') && l.includes('"usage":{'))
        .at(-1)!
        .slice(6),
    ).usage as { prompt_tokens: number; completion_tokens: number };
    const failed = await chat({ sim: { fault: 'error_mid_stream' } });
    await failed.text();
    const complete = await fetch(`${gateway.url}/v1/complete?question=hi&model=sim-reasoner&sessionId=s-trace&requestId=r-trace`);
    await complete.text();
    // Closing flushes the batch.
    await gateway.close();

    assert.ok(requests.length > 0, 'the collector received an export');
    assert.match(requests[0]!.contentType ?? '', /^application\/json/);
    const resource = attrs(requests[0]!.body.resourceSpans[0]!.resource?.attributes);
    assert.equal(resource['service.name'], 'streamgate');
    const spans = requests.flatMap((r) => r.body.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)));
    assert.equal(spans.length, 3, spans.map((s) => s.name).join(', '));

    const [first, second] = spans.filter((s) => attrs(s.attributes)['streamgate.request_id'] === 'trace-1');
    assert.ok(first && second);
    const a = attrs(first.attributes);
    assert.equal(first.name, 'chat sim-chat');
    assert.equal(first.kind, 3, 'SPAN_KIND_CLIENT');
    assert.equal(a['gen_ai.operation.name'], 'chat');
    assert.equal(a['gen_ai.provider.name'], 'streamgate.simulator');
    assert.equal(a['gen_ai.request.model'], 'sim-chat');
    assert.equal(a['gen_ai.response.model'], 'sim-chat');
    assert.equal(a['gen_ai.request.max_tokens'], 40);
    assert.equal(a['gen_ai.request.temperature'], 0.5);
    assert.equal(a['gen_ai.usage.input_tokens'], usage.prompt_tokens);
    assert.equal(a['gen_ai.usage.output_tokens'], usage.completion_tokens);
    assert.deepEqual(a['gen_ai.response.finish_reasons'], ['length']);
    assert.match(String(a['gen_ai.response.id']), /^chatcmpl-/);
    assert.equal(a['streamgate.usage.source'], 'provider');
    assert.ok(typeof a['streamgate.time_to_first_token_ms'] === 'number' && a['streamgate.time_to_first_token_ms'] >= 0);
    assert.ok(first.events?.some((e) => e.name === 'gen_ai.first_token'));
    assert.ok(BigInt(first.endTimeUnixNano) >= BigInt(first.startTimeUnixNano));

    const b = attrs(second.attributes);
    assert.equal(b['error.type'], 'simulated_error');
    assert.equal(second.status?.code, 2, 'STATUS_CODE_ERROR');

    const c = spans.find((s) => attrs(s.attributes)['streamgate.request_id'] === 'r-trace');
    assert.ok(c);
    assert.equal(c.name, 'chat sim-reasoner');
    assert.equal(attrs(c.attributes)['gen_ai.conversation.id'], 's-trace');
    assert.deepEqual(attrs(c.attributes)['gen_ai.response.finish_reasons'], ['stop']);
  });

  test('a collector that refuses connections at shutdown costs its spans, not the shutdown', async () => {
    // A port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { logger, lines } = capturingLogger();
    const tracing = await createTracing({ otlpEndpoint: `http://127.0.0.1:${port}/v1/traces` }, logger);
    tracing.tracer!.startSpan('chat m').end();
    await tracing.close();
    assert.ok(lines.some((l) => l.level === 40 && /spans/.test(String(l.msg))), JSON.stringify(lines));
  });

  test('off by default: no tracer at all', async () => {
    assert.equal((await createTracing({ otlpEndpoint: '' })).tracer, null);
  });
});
