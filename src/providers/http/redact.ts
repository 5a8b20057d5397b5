/**
 * Keeps secrets out of what clients and logs see: the one place where text that came from
 * an upstream (its error messages, in a stream or not, malformed-data excerpts) and every
 * log line are cleaned. Upstreams sometimes echo a bad key back ("Incorrect API key
 * provided: sk-…"), a proxy may echo request headers, and a hostile one may send anything.
 *
 * A configured secret is removed wherever any run of `MIN_RUN` or more of its characters
 * appears (a key cut at a message limit, or quoted as "ending in …", still leaks most of
 * it); shorter secrets only where they appear whole. Then `Bearer` tokens and key-shaped
 * strings (the patterns below) go too, configured or not.
 */
export const REDACTED = '[redacted]';

/** Runs of this many characters of a configured secret are redacted. */
export const MIN_RUN = 8;

/** Text in, the same text without secrets out. */
export type Redactor = (text: string) => string;

/**
 * Key shapes removed whether configured or not; the first group (a label) is kept. Each
 * comes with a `hint`: a literal every match contains, tested first. Most texts (every log
 * line is one) hold none of them, and a literal search is far cheaper than trying a shape
 * that starts with `\b` or an alternation at every position.
 */
const KEY_SHAPES: ReadonlyArray<{ shape: RegExp; hint: RegExp }> = [
  { shape: /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, hint: /bearer/i },
  { shape: /\b(Basic\s+)[A-Za-z0-9+/=]{8,}/g, hint: /Basic/ },
  // api_key=…, "x-api-key": "…", access_token: …
  { shape: /\b((?:x-)?(?:api[_-]?key|access[_-]?token|auth[_-]?token|secret[_-]?key)["']?\s*[:=]\s*["']?)[^\s"',;&]{8,}/gi, hint: /api|access|auth|secret/i },
  // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), DeepSeek, DashScope, Moonshot: sk-…
  { shape: /(^|[^A-Za-z0-9])sk-[A-Za-z0-9_-]{8,}/g, hint: /sk-/ },
  // Google, Groq, xAI, Hugging Face, Perplexity, Replicate, GitHub, AWS access key ids.
  {
    shape: /(^|[^A-Za-z0-9])(?:AIza[0-9A-Za-z_-]{20,}|gsk_[A-Za-z0-9]{16,}|xai-[A-Za-z0-9]{16,}|hf_[A-Za-z0-9]{16,}|pplx-[A-Za-z0-9]{16,}|r8_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{20,}|AKIA[0-9A-Z]{16})/g,
    hint: /AIza|gsk_|xai-|hf_|pplx-|r8_|gh[pousr]_|AKIA/,
  },
];

/**
 * A redactor for these secrets (`undefined` and empty ones are skipped). Built once per
 * config: the runs of every secret go into one set, so cleaning a text costs one pass.
 */
export function createRedactor(secrets: readonly (string | undefined)[]): Redactor {
  const runs = new Set<string>();
  const whole: string[] = [];
  for (const secret of new Set(secrets)) {
    if (!secret) continue;
    // A secret in a JSON log line appears with its quotes and backslashes escaped.
    for (const form of new Set([secret, JSON.stringify(secret).slice(1, -1)])) {
      if (form.length < MIN_RUN) {
        if (form.length >= 4) whole.push(form);
        continue;
      }
      for (let i = 0; i + MIN_RUN <= form.length; i++) runs.add(form.slice(i, i + MIN_RUN));
    }
  }
  // The first two characters of every run: a position is looked up only when they match.
  const heads = new Set<number>();
  for (const run of runs) heads.add(pairAt(run, 0));
  return (text) => {
    let out = runs.size > 0 && text.length >= MIN_RUN ? redactRuns(text, runs, heads) : text;
    for (const secret of whole) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    for (const { shape, hint } of KEY_SHAPES) if (hint.test(out)) out = out.replace(shape, `$1${REDACTED}`);
    return out;
  };
}

/** The UTF-16 code units at `i` and `i + 1` as one number. */
function pairAt(text: string, i: number): number {
  return text.charCodeAt(i) * 0x10000 + text.charCodeAt(i + 1);
}

/** `text` with every stretch covered by runs from `runs` replaced (overlapping or touching runs merge into one). */
function redactRuns(text: string, runs: ReadonlySet<string>, heads: ReadonlySet<number>): string {
  let out = '';
  let copied = 0;
  let coverStart = -1;
  let coverEnd = -1;
  for (let i = 0; i + MIN_RUN <= text.length; i++) {
    if (!heads.has(pairAt(text, i)) || !runs.has(text.slice(i, i + MIN_RUN))) continue;
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
}

/**
 * The error with its message and stack redacted, in place (its class, status and code are
 * kept). Its `cause` is never shown to clients; logs are cleaned by the logger.
 */
export function redactError<E extends Error>(err: E, redact: Redactor): E {
  const message = redact(err.message);
  if (message !== err.message) err.message = message;
  if (err.stack) err.stack = redact(err.stack);
  return err;
}
