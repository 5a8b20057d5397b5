import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startServer, type RunningServer } from '../../server.js';
import { parseSse } from '../../test-support/sse-client.js';
import { tempDataDir } from '../../test-support/temp-data-dir.js';

/** `/v1/complete` resumes the way a browser's EventSource reconnects: the same URL plus Last-Event-ID. */
describe('/v1/complete resume', () => {
  let server: RunningServer;
  const data = tempDataDir();
  before(async () => {
    server = await startServer({ port: 0, host: '127.0.0.1', config: { dataDir: data.dir } });
  });
  after(async () => {
    await server.close();
    data.remove();
  });

  const url = (requestId: string) =>
    `${server.url}/v1/complete?${new URLSearchParams({ question: 'write a quick sort in python', requestId, sim_tokens_per_second: '400', sim_first_token_ms: '0' })}`;

  it('a dropped connection resumes after its last event id: no event lost or repeated, the model not restarted', async () => {
    const requestId = `resume-${Date.now()}`;
    const controller = new AbortController();
    const first = await fetch(url(requestId), { signal: controller.signal });
    const reader = (first.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (parseSse(text).length < 8) text += decoder.decode((await reader.read()).value, { stream: true });
    controller.abort();
    // Only whole events count as received, as in a browser.
    const seen = parseSse(text.slice(0, text.lastIndexOf('\n\n') + 2));
    const lastId = seen.at(-1)!.id!;

    const rest = await fetch(url(requestId), { headers: { 'Last-Event-ID': lastId } });
    assert.equal(rest.status, 200);
    const resumed = parseSse(await rest.text());
    const all = [...seen, ...resumed].filter((e) => e.id !== undefined);
    assert.deepEqual(all.map((e) => Number(e.id)), all.map((_, i) => i + 1), 'ids 1..N, none lost or repeated');
    const envelopes = all.map((e) => JSON.parse(e.data));
    assert.deepEqual(envelopes.map((e) => e.sequence), all.map((_, i) => i + 1));
    const end = envelopes.at(-1);
    assert.equal(end.event, 'end');
    const deltas = envelopes.filter((e) => e.event === 'message').map((e) => e.data.answer).join('');
    assert.equal(end.data.answer, deltas, 'the answer joined across the drop equals the end event');
    // The model ran once: its trace counts exactly the tokens streamed across both connections.
    const model = end.detail.find((s: { processType: string }) => s.processType === 'model');
    assert.equal(model.metrics.numOutputTokens, envelopes.filter((e) => e.event === 'message').length);
  });

  it('the same requestId with another request is a 409 envelope, not a second run; the same request again replays it', async () => {
    const requestId = `dup-${Date.now()}`;
    const one = await fetch(url(requestId));
    const first = parseSse(await one.text());
    const other = await fetch(`${url(requestId)}&temperature=0.3`);
    assert.equal(other.status, 409);
    const body = (await other.json()) as { code: number; event: string; msg: string };
    assert.equal(body.code, 409);
    assert.equal(body.event, 'error');
    assert.match(body.msg, /another request/);
    // A client that lost the stream before its first event re-sends without Last-Event-ID: it gets the same events, the model is not asked again.
    const again = await fetch(url(requestId));
    assert.equal(again.status, 200);
    const replayed = parseSse(await again.text()).filter((e) => e.id !== undefined);
    assert.deepEqual(replayed.map((e) => e.data), first.map((e) => e.data));
  });

  it('POST resumes like GET: the same body with Last-Event-ID gets the rest, byte for byte', async () => {
    const requestId = `post-${Date.now()}`;
    const body = JSON.stringify({ question: 'write a quick sort in python', requestId, sim: { tokens_per_second: 400, first_token_ms: 0 } });
    const post = (headers: Record<string, string> = {}) =>
      fetch(`${server.url}/v1/complete`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    const whole = parseSse(await (await post()).text());
    assert.equal(JSON.parse(whole.at(-1)!.data).event, 'end');
    const rest = await post({ 'Last-Event-ID': '5' });
    assert.equal(rest.status, 200);
    const resumed = parseSse(await rest.text());
    assert.deepEqual(resumed.map((e) => e.id), whole.slice(5).map((e) => e.id));
    assert.deepEqual(resumed.map((e) => e.data), whole.slice(5).map((e) => e.data));
    // The POST form and the GET form of the same fields are the same request.
    const sameAsGet = await fetch(`${server.url}/v1/complete?${new URLSearchParams({ question: 'write a quick sort in python', requestId, sim_tokens_per_second: '400', sim_first_token_ms: '0' })}`, { headers: { 'Last-Event-ID': whole.at(-2)!.id! } });
    assert.equal(parseSse(await sameAsGet.text()).length, 1);
  });

  it('a reconnect after the end, or for a stream nobody knows, is a 204 event stream: EventSource stops there', async () => {
    const requestId = `ended-${Date.now()}`;
    const whole = parseSse(await (await fetch(url(requestId))).text());
    const lastId = whole.at(-1)!.id!;
    for (const [target, headers] of [
      [url(requestId), { 'Last-Event-ID': lastId }],
      [`${url(requestId)}&last_event_id=${lastId}`, {}],
      [url(`never-${Date.now()}`), { 'Last-Event-ID': '3' }],
      [`${server.url}/v1/complete?question=hi`, { 'Last-Event-ID': '3' }],
      [`${server.url}/v1/streams/${requestId}`, { 'Last-Event-ID': lastId }],
    ] as const) {
      const res = await fetch(target, { headers });
      assert.equal(res.status, 204, target);
      assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
      assert.equal(await res.text(), '');
    }
  });

  it('DELETE /v1/streams/:id stops the model at once (the stop button); the turn is kept as stopped with what was written', async () => {
    const requestId = `stop-${Date.now()}`;
    const sessionId = `stop-session-${Date.now()}`;
    const res = await fetch(`${url(requestId)}&sessionId=${sessionId}`);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    await reader.read();
    const cancel = await fetch(`${server.url}/v1/streams/${requestId}`, { method: 'DELETE' });
    assert.equal(cancel.status, 200);
    assert.deepEqual(await cancel.json(), { id: requestId, object: 'stream', cancelled: true });
    let rest = '';
    for (let r = await reader.read(); !r.done; r = await reader.read()) rest += new TextDecoder().decode(r.value);
    assert.ok(!rest.includes('"event":"end"'), 'the answer did not run to its end');
    // The client still reading is told the answer was stopped, not left with a silent close.
    const last = JSON.parse(parseSse(rest).at(-1)!.data) as { event: string; code: number; detail: Array<{ code: string }> };
    assert.equal(last.event, 'error');
    assert.equal(last.code, 499);
    assert.equal(last.detail[0]?.code, 'stream_cancelled');
    assert.equal((await fetch(`${server.url}/v1/streams/${requestId}`, { method: 'DELETE' })).status, 404, 'the run is gone');
    // The final status is written as the run ends, which may be just after the client saw the stream close.
    let stored: { turns: { status: string; requestId: string }[] };
    do stored = (await (await fetch(`${server.url}/v1/sessions/${sessionId}`)).json()) as typeof stored;
    while (stored.turns[0]?.status === 'streaming');
    assert.deepEqual(stored.turns.map((t) => [t.requestId, t.status]), [[requestId, 'stopped']]);
  });
});
