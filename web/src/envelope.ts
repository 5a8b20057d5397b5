/**
 * The `/v1/complete` wire contract as the page reads it: the JSON envelope of each SSE
 * event, the run trace on the `end` event, and the figures shown under an answer.
 * Pure and DOM-free (unit-tested in Node).
 */

/** One trace step of the `end` event's `detail`. Only what the page reads is typed. */
export interface TraceStep {
  processType?: string;
  modelName?: string;
  metrics?: Record<string, unknown>;
  [key: string]: unknown;
}

/** One SSE event of `/v1/complete` (also the JSON body of an HTTP error before streaming). */
export interface Envelope {
  code: number;
  created: number;
  data: { answer: string; question?: string; requestId?: string; sessionId?: string };
  detail: TraceStep[];
  event: 'message' | 'end' | 'error' | string;
  msg: string;
  sequence: number;
}

/** Parses one event's data; null when it is not an envelope (then the page ignores it). */
export function parseEnvelope(raw: string): Envelope | null {
  let v: unknown;
  try {
    v = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  if (typeof o.code !== 'number' || typeof o.event !== 'string') return null;
  const data = (typeof o.data === 'object' && o.data !== null ? o.data : {}) as Record<string, unknown>;
  return {
    code: o.code,
    created: typeof o.created === 'number' ? o.created : Date.now(),
    data: {
      answer: typeof data.answer === 'string' ? data.answer : '',
      question: typeof data.question === 'string' ? data.question : undefined,
      requestId: typeof data.requestId === 'string' ? data.requestId : undefined,
      sessionId: typeof data.sessionId === 'string' ? data.sessionId : undefined,
    },
    detail: Array.isArray(o.detail) ? (o.detail as TraceStep[]) : [],
    event: o.event,
    msg: typeof o.msg === 'string' ? o.msg : '',
    sequence: typeof o.sequence === 'number' ? o.sequence : 0,
  };
}

/** The figures under an answer. Any may be unknown. */
export interface AnswerStats {
  firstTokenMs?: number;
  totalMs?: number;
  completionTokens?: number;
  modelName?: string;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Reads the `model` step of the `end` event's trace (its times are in seconds). */
export function statsFromTrace(detail: TraceStep[]): AnswerStats | null {
  const step = detail.find((s) => s.processType === 'model');
  if (!step) return null;
  const m = step.metrics ?? {};
  const first = num(m.firstTokenTime);
  const all = num(m.allTime);
  return {
    firstTokenMs: first === undefined ? undefined : first * 1000,
    totalMs: all === undefined ? undefined : all * 1000,
    completionTokens: num(m.numOutputTokens),
    modelName: typeof step.modelName === 'string' ? step.modelName : undefined,
  };
}

/** Tokens per second over the generation time (after the first token), if measurable. */
export function tokensPerSecond(s: AnswerStats): number | undefined {
  if (s.completionTokens === undefined || s.totalMs === undefined) return undefined;
  const genMs = s.totalMs - (s.firstTokenMs ?? 0);
  if (genMs <= 0 || s.completionTokens <= 0) return undefined;
  return (s.completionTokens / genMs) * 1000;
}

/** The knobs of the page's own URL that go into each `/v1/complete` body (testing the simulator). */
export interface PageKnobs {
  sim?: { tokens_per_second?: number; first_token_ms?: number; fault?: string };
  reasoning_format?: string;
}

/**
 * `sim_tokens_per_second`, `sim_first_token_ms`, `sim_fault` and `reasoning_format` of the
 * page's URL as the POST body's `sim` object and `reasoning_format`.
 */
export function pageKnobs(search: string): PageKnobs {
  const q = new URLSearchParams(search);
  const sim: NonNullable<PageKnobs['sim']> = {};
  const num = (k: string) => (q.has(k) && Number.isFinite(Number(q.get(k))) ? Number(q.get(k)) : undefined);
  const tps = num('sim_tokens_per_second');
  const first = num('sim_first_token_ms');
  if (tps !== undefined) sim.tokens_per_second = tps;
  if (first !== undefined) sim.first_token_ms = first;
  if (q.get('sim_fault')) sim.fault = q.get('sim_fault')!;
  const out: PageKnobs = {};
  if (Object.keys(sim).length) out.sim = sim;
  if (q.get('reasoning_format')) out.reasoning_format = q.get('reasoning_format')!;
  return out;
}
