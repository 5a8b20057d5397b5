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

/** Parameters of one `/v1/complete` request. `extra` carries `sim_*` knobs. */
export interface CompleteParams {
  question: string;
  model: string;
  sessionId: string;
  userId: string;
  extra?: Record<string, string>;
}

export function completeUrl(p: CompleteParams, base = '/v1/complete'): string {
  const q = new URLSearchParams({ question: p.question, model: p.model, sessionId: p.sessionId, userId: p.userId });
  for (const [k, v] of Object.entries(p.extra ?? {})) q.set(k, v);
  return `${base}?${q.toString()}`;
}

/** The `sim_*` query parameters of the page's own URL, passed on to the stream (testing). */
export function simParams(search: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(search)) if (k.startsWith('sim_') || k === 'reasoning_format') out[k] = v;
  return out;
}
