/**
 * The redactor's shortcuts (a two-character prefilter before a run is looked up, a literal
 * hint before each key shape is tried) change nothing: on generated texts it gives exactly
 * what the plain algorithm gives, written out here as the oracle. Texts are built from the
 * pieces that matter (slices of the secrets, their JSON-escaped forms, key-shaped strings,
 * labels in any case, separators) mixed with arbitrary text. Seeded: a failure prints its seed.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createRedactor, MIN_RUN, REDACTED } from './redact.js';

/** The algorithm before its shortcuts, as it was written. */
function oracleRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const shapes = [
    /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi,
    /\b(Basic\s+)[A-Za-z0-9+/=]{8,}/g,
    /\b((?:x-)?(?:api[_-]?key|access[_-]?token|auth[_-]?token|secret[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',;&]{8,}/gi,
    /(^|[^A-Za-z0-9])sk-[A-Za-z0-9_-]{8,}/g,
    /(^|[^A-Za-z0-9])(?:AIza[0-9A-Za-z_-]{20,}|gsk_[A-Za-z0-9]{16,}|xai-[A-Za-z0-9]{16,}|hf_[A-Za-z0-9]{16,}|pplx-[A-Za-z0-9]{16,}|r8_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16})/g,
  ];
  const runs = new Set<string>();
  const whole: string[] = [];
  for (const secret of new Set(secrets)) {
    if (!secret) continue;
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (form.length < MIN_RUN) {
        if (form.length >= 4) whole.push(form);
        continue;
      }
      for (let i = 0; i + MIN_RUN <= form.length; i++) runs.add(form.slice(i, i + MIN_RUN));
    }
  }
  const redactRuns = (text: string): string => {
    let out = '';
    let copied = 0;
    let coverStart = -1;
    let coverEnd = -1;
    for (let i = 0; i + MIN_RUN <= text.length; i++) {
      if (!runs.has(text.slice(i, i + MIN_RUN))) continue;
      if (i > coverEnd) {
        if (coverStart >= 0) {
          out += `${text.slice(copied, coverStart)}${REDACTED}`;
          copied = coverEnd;
        }
        coverStart = i;
      }
      coverEnd = i + MIN_RUN;
    }
    if (coverStart < 0) return text;
    return `${out}${text.slice(copied, coverStart)}${REDACTED}${text.slice(coverEnd)}`;
  };
  return (text) => {
    let out = runs.size > 0 && text.length >= MIN_RUN ? redactRuns(text) : text;
    for (const secret of whole) out = out.split(secret).join(REDACTED);
    for (const shape of shapes) out = out.replace(shape, `$1${REDACTED}`);
    return out;
  };
}

const SEED = 18_2026;

const secretArb = fc.oneof(
  fc.string({ minLength: 0, maxLength: 40 }),
  fc.string({ unit: 'binary', minLength: 4, maxLength: 30 }),
  fc.constantFrom('zq81-Upstream-Key-5ivVx0pLm', 'sk-proj-AbC123xyz789', 'abc"def\\ghi-jkl', 'shrt', 'tiny1', 'ab', undefined),
);

/** Pieces a text is made of, given the configured secrets. */
function pieces(secrets: readonly (string | undefined)[]): fc.Arbitrary<string> {
  const defined = secrets.filter((s): s is string => !!s);
  const slices =
    defined.length === 0
      ? fc.constant('')
      : fc
          .tuple(fc.constantFrom(...defined), fc.nat(), fc.nat())
          .map(([s, a, b]) => {
            const form = a % 2 === 0 ? s : JSON.stringify(s).slice(1, -1);
            const start = a % (form.length + 1);
            return form.slice(start, start + (b % (form.length + 2)));
          });
  const label = fc
    .tuple(fc.constantFrom('Bearer ', 'bearer\t', 'BEARER  ', 'Basic ', 'basic ', 'api_key=', 'x-api-key: ', '"API-KEY": "', 'access_token:', 'Auth-Token = ', 'secret_key=', 'apikey:'), fc.string({ unit: fc.constantFrom('a', 'Z', '0', '9', '-', '_', '.', '/', '+', '='), minLength: 0, maxLength: 24 }))
    .map(([l, v]) => l + v);
  const vendor = fc
    .tuple(fc.constantFrom('sk-', 'sk-ant-', 'AIza', 'gsk_', 'xai-', 'hf_', 'pplx-', 'r8_', 'ghp_', 'ghs_', 'AKIA', 'xsk-'), fc.string({ unit: fc.constantFrom('a', 'B', '7', 'Z', '_', '-', '0'), minLength: 0, maxLength: 26 }))
    .map(([p, v]) => p + v);
  return fc.oneof(slices, label, vendor, fc.constantFrom(' ', '"', ',', '\n', '{"msg":"', '\\"', 'İ', 'ſk-', 'K'), fc.string({ maxLength: 12 }), fc.string({ unit: 'grapheme', maxLength: 6 }));
}

describe('the redactor with its shortcuts', () => {
  it('gives exactly what the plain algorithm gives, on generated texts', () => {
    fc.assert(
      fc.property(
        fc.array(secretArb, { maxLength: 4 }).chain((secrets) => fc.tuple(fc.constant(secrets), fc.array(pieces(secrets), { maxLength: 16 }).map((p) => p.join('')))),
        ([secrets, text]) => {
          assert.equal(createRedactor(secrets)(text), oracleRedactor(secrets)(text));
        },
      ),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('gives it on a log line, the text it cleans most often', () => {
    const secrets = ['zq81-Upstream-Key-5ivVx0pLm', 'bench-key'];
    const line = `${JSON.stringify({ level: 30, time: 1796177046769, service: 'streamgate', requestId: 'Tq3pa9Jm2kLw', endpoint: '/v1/chat/completions', model: 'bench-short', msg: 'stream started' })}\n`;
    assert.equal(createRedactor(secrets)(line), line);
    assert.equal(createRedactor(secrets)(line), oracleRedactor(secrets)(line));
  });
});
