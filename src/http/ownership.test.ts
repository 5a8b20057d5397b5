/**
 * Ownership with `auth`: two keys and an admin against one real server. A key lists, reads,
 * continues and deletes only its own sessions and streams; the other key's ids answer byte
 * for byte as unknown ids do (nobody learns that an id exists); an admin sees everyone's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Envelope } from '../encoders/complete-envelope-encoder.js';
import type { RunningServer } from '../server.js';
import type { SessionSummary } from '../store/types.js';
import { findBinary, installHint, requireBinary, startRedis, type RunningService } from '../test-support/services.js';
import { fetchStream, startTestServer, tempDataDir, variable } from './test-support/complete-client.js';

const ALICE = 'sk-alice-0123456789abcdef';
const ALICE_ROTATED = 'sk-alice-rotated-0123456789';
const BOB = 'sk-bob-0123456789abcdef';
const ADMIN = 'sk-admin-0123456789abcdef';

let server: RunningServer;

/** The same suite on the embedded store and on Redis (a real redis-server: sessions and stream log there). */
function onEachStore(body: () => void): void {
  for (const store of ['embedded', 'redis'] as const) {
    const missing = store === 'redis' && findBinary('redis-server') === null && process.env.CI !== 'true';
    describe(`${store} store`, { skip: missing ? installHint('redis-server') : false }, () => {
      const data = tempDataDir();
      let redis: RunningService | undefined;
      before(async () => {
        if (store === 'redis') redis = await startRedis(requireBinary('redis-server') ?? 'redis-server');
        server = await startTestServer(data.dir, {
          streams: { resumeGraceMs: 5_000 },
          ...(redis ? { store: { type: 'redis' as const, url: `redis://127.0.0.1:${redis.port}` } } : {}),
          auth: {
            keys: [
              { key: ALICE, name: 'alice' },
              // Another secret of the same name: a rotation keeps the data.
              { key: ALICE_ROTATED, name: 'alice' },
              { key: BOB, name: 'bob' },
              { key: ADMIN, name: 'ops', admin: true },
            ],
          },
        });
      });
      after(async () => {
        await server?.close();
        await redis?.stop();
        data.remove();
      });
      body();
    });
  }
}

interface Answer {
  status: number;
  contentType: string | null;
  text: string;
}

async function call(key: string, path: string, method = 'GET'): Promise<Answer> {
  const res = await fetch(server.url + path, { method, headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, contentType: res.headers.get('content-type'), text: await res.text() };
}

async function ask(key: string, body: Record<string, unknown>): Promise<Envelope> {
  const { response, events } = await fetchStream(`${server.url}/v1/complete`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200);
  const end = events.at(-1)?.envelope;
  assert.equal(end?.event, 'end', JSON.stringify(end));
  return end as Envelope;
}

/** `probe` names an id another key has; `unknown` one nobody has: the answers must be the same but for the id. */
function assertLooksUnknown(probe: Answer, probedId: string, unknown: Answer, unknownId: string): void {
  assert.equal(probe.status, unknown.status);
  assert.equal(probe.contentType, unknown.contentType);
  assert.equal(probe.text, unknown.text.split(unknownId).join(probedId), 'the same body, byte for byte');
}

const sessionsOf = async (key: string, query = '') =>
  ((JSON.parse((await call(key, `/v1/sessions${query}`)).text) as { data: SessionSummary[] }).data);

onEachStore(() => {
  describe('sessions belong to the key that made them', () => {
    test("another key's session cannot be listed, read, deleted or continued; it answers as an unknown id", async () => {
      const secret = await ask(ALICE, { question: 'my secret plan is X', userId: 'u1' });
      const sessionId = secret.data.sessionId;
      const path = `/v1/sessions/${encodeURIComponent(sessionId)}`;
      const unknownId = `${sessionId.slice(0, -3)}zzz`;
      const unknownPath = `/v1/sessions/${encodeURIComponent(unknownId)}`;

      // Listing: bob sees none of alice's, also when he filters by her userId.
      assert.ok(!(await sessionsOf(BOB)).some((s) => s.id === sessionId));
      assert.deepEqual(await sessionsOf(BOB, '?userId=u1'), []);
      const mine = await sessionsOf(ALICE, '?userId=u1');
      assert.deepEqual(mine.map((s) => [s.id, s.owner, s.title]), [[sessionId, 'alice', 'my secret plan is X']]);

      // Reading and deleting: the answers of an unknown id.
      assertLooksUnknown(await call(BOB, path), sessionId, await call(BOB, unknownPath), unknownId);
      assert.equal((await call(BOB, path)).status, 404);
      assertLooksUnknown(await call(BOB, path, 'DELETE'), sessionId, await call(BOB, unknownPath, 'DELETE'), unknownId);

      // Continuing: bob gets a fresh session of his own under that id, with no memory of alice's turn.
      const continued = await ask(BOB, { question: 'what was the plan?', sessionId });
      assert.equal(continued.data.sessionId, sessionId);
      assert.deepEqual(variable(continued, 'start', 'memoryList'), []);
      assert.doesNotMatch(JSON.stringify(continued), /secret plan/);

      // Alice's session is untouched, and her rotated secret reaches it.
      const hers = JSON.parse((await call(ALICE_ROTATED, path)).text) as { owner: string; turns: Array<{ question: string }> };
      assert.equal(hers.owner, 'alice');
      assert.deepEqual(hers.turns.map((t) => t.question), ['my secret plan is X']);
      const his = JSON.parse((await call(BOB, path)).text) as { owner: string; turns: Array<{ question: string }> };
      assert.deepEqual([his.owner, his.turns.map((t) => t.question)], ['bob', ['what was the plan?']]);

      // Bob deleting "his" id deletes his session only.
      assert.equal((await call(BOB, path, 'DELETE')).status, 200);
      assert.equal((await call(ALICE, path)).status, 200);
    });

    test('a non-admin key may not name another owner (403 whether or not it exists); an admin sees and deletes anyone', async () => {
      const end = await ask(ALICE, { question: 'admin may see this', userId: 'u2' });
      await ask(BOB, { question: 'bob asks too' });
      const sessionId = end.data.sessionId;
      const path = `/v1/sessions/${encodeURIComponent(sessionId)}`;

      const named = await call(BOB, `${path}?owner=alice`);
      const namedUnknown = await call(BOB, `/v1/sessions/nope?owner=alice`);
      assert.equal(named.status, 403);
      assert.equal(named.text, namedUnknown.text);
      assert.equal((JSON.parse(named.text) as { error: { code: string; param: string } }).error.code, 'admin_required');
      assert.equal((await call(BOB, '/v1/sessions?owner=*')).status, 403);
      assert.equal((await call(ALICE, `${path}?owner=alice`)).status, 200, 'naming yourself is fine');

      // The admin's own list is its own; owner=* is everyone's, with owners shown.
      assert.deepEqual(await sessionsOf(ADMIN), []);
      const all = await sessionsOf(ADMIN, '?owner=*&userId=u2');
      assert.deepEqual(all.map((s) => [s.owner, s.id]), [['alice', sessionId]]);
      assert.ok((await sessionsOf(ADMIN, '?owner=*')).some((s) => s.owner === 'bob'));
      assert.equal((await call(ADMIN, path)).status, 404, "without owner= the admin's own namespace");
      assert.equal((await call(ADMIN, `${path}?owner=alice`)).status, 200);
      assert.equal((await call(ADMIN, `${path}?owner=alice`, 'DELETE')).status, 200);
      assert.equal((await call(ALICE, path)).status, 404);
    });
  });

  describe('stream ids are namespaced per owner', () => {
    const chat = (key: string, extra: Record<string, unknown> = {}) =>
      fetch(`${server.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'sim-chat', stream: true, resumable: true, messages: [{ role: 'user', content: 'hi' }], ...extra }),
      });

    test("another key's live and finished stream ids answer GET and DELETE as unknown ids; the admin reaches them with owner=", async () => {
      // A live stream of alice (slow enough to be running while bob probes it).
      const live = await chat(ALICE, { sim: { tokens_per_second: 5, first_token_ms: 0 } });
      const liveId = live.headers.get('x-stream-id')!;
      const reader = live.body!.getReader();
      await reader.read();
      const finished = await chat(ALICE, { sim: { tokens_per_second: 0, first_token_ms: 0 } });
      const finishedId = finished.headers.get('x-stream-id')!;
      const whole = await finished.text();
      const unknownId = 'chatcmpl-doesnotexist000000';

      for (const id of [liveId, finishedId]) {
        assertLooksUnknown(await call(BOB, `/v1/streams/${id}`), id, await call(BOB, `/v1/streams/${unknownId}`), unknownId);
        assertLooksUnknown(await call(BOB, `/v1/streams/${id}`, 'DELETE'), id, await call(BOB, `/v1/streams/${unknownId}`, 'DELETE'), unknownId);
      }
      assert.equal((await call(BOB, `/v1/streams/${finishedId}`)).status, 404);
      // Still alice's: she replays it whole; the admin can too, by naming her.
      assert.equal((await call(ALICE, `/v1/streams/${finishedId}`)).text.includes(whole.split('\n\n')[0]!), true);
      assert.equal((await call(ADMIN, `/v1/streams/${finishedId}`)).status, 404);
      const replay = await call(ADMIN, `/v1/streams/${finishedId}?owner=alice`);
      assert.equal(replay.status, 200);
      assert.match(replay.text, /data: \[DONE\]/);
      assert.equal((await call(BOB, `/v1/streams/${finishedId}?owner=alice`)).status, 403);
      // The admin stops alice's live stream.
      const stopped = await call(ADMIN, `/v1/streams/${liveId}?owner=alice`, 'DELETE');
      assert.equal(stopped.status, 200);
      assert.equal((JSON.parse(stopped.text) as { cancelled: boolean }).cancelled, true);
      await reader.cancel();
    });

    test("POST /v1/complete with another key's live requestId starts a new run (the same answer as an unused id), not a 409", async () => {
      const requestId = 'shared-request-id-1';
      const body = (extra: Record<string, unknown> = {}) => ({ question: 'a long question', requestId, sim: { tokens_per_second: 5, first_token_ms: 0 }, ...extra });
      const alice = await fetch(`${server.url}/v1/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALICE}` },
        body: JSON.stringify(body()),
      });
      assert.equal(alice.status, 200);
      const aliceReader = alice.body!.getReader();
      await aliceReader.read();
      try {
        const bob = await ask(BOB, body({ sim: { tokens_per_second: 0, first_token_ms: 0 } }));
        assert.equal(bob.data.requestId, requestId);
        // Alice herself re-using her live id for another request is still refused: the id is in use in
        // her namespace (the same request again would be a resume of hers).
        const again = await fetch(`${server.url}/v1/complete`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${ALICE_ROTATED}` },
          body: JSON.stringify(body({ question: 'another question' })),
        });
        assert.equal(again.status, 409);
        await again.text();
      } finally {
        await aliceReader.cancel();
      }
    });
  });
});
