import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UpstreamError } from '../../core/errors.js';
import { createRedactor, redactError, REDACTED } from './redact.js';

const KEY = 'zq81-Upstream-Key-5ivVx0pLm';

describe('createRedactor', () => {
  const redact = createRedactor([KEY, undefined, '']);

  it('removes a configured key wherever it appears', () => {
    assert.equal(redact(`bad key ${KEY}.`), `bad key ${REDACTED}.`);
    assert.equal(redact(`${KEY}${KEY}`), REDACTED);
  });

  it('removes any run of 8 or more of its characters, and only those', () => {
    const runs = [KEY.slice(0, 8), KEY.slice(5, 20), KEY.slice(-8), KEY.slice(3, 11)];
    for (const run of runs) assert.equal(redact(`key ending in "${run}"`), `key ending in "${REDACTED}"`, run);
    // Seven characters are not enough to redact (they would hit ordinary words).
    assert.equal(redact(`seven: ${KEY.slice(0, 7)}`), `seven: ${KEY.slice(0, 7)}`);
    assert.equal(redact('nothing secret here'), 'nothing secret here');
  });

  it('removes Bearer tokens and key-shaped strings that were never configured', () => {
    assert.equal(redact('header Bearer abcdefghijkl was refused'), `header Bearer ${REDACTED} was refused`);
    assert.equal(redact('Incorrect API key provided: sk-proj-AbC123xyz789.'), `Incorrect API key provided: ${REDACTED}.`);
    assert.equal(redact('x-api-key: sk-ant-api03-abcdefgh'), `x-api-key: ${REDACTED}`);
    assert.equal(redact('{"api_key": "0123456789abcdef"}'), `{"api_key": "${REDACTED}"}`);
    assert.equal(redact('key=AIzaSyA1234567890abcdefghijk'), `key=${REDACTED}`);
    // Not keys: words that merely start like one.
    assert.equal(redact('ask-me-anything desk-top'), 'ask-me-anything desk-top');
  });

  it('finds a key escaped in JSON (a log line)', () => {
    const quoted = 'abc"def\\ghi-jkl';
    const r = createRedactor([quoted]);
    assert.equal(r(JSON.stringify({ msg: `key ${quoted}` })), `{"msg":"key ${REDACTED}"}`);
  });
});

describe('redactError', () => {
  it('cleans message and stack, keeping class, status and code', () => {
    const err = new UpstreamError(`key Bearer ${KEY} revoked`, { code: 'upstream_error' });
    const same = redactError(err, createRedactor([KEY]));
    assert.equal(same, err);
    assert.ok(same instanceof UpstreamError);
    assert.deepEqual([same.status, same.code, same.message], [502, 'upstream_error', `key Bearer ${REDACTED} revoked`]);
    assert.ok(!same.stack?.includes(KEY.slice(0, 8)));
  });
});
