/**
 * The run trace of the `end` event (`detail`): the four steps of the user's sample
 * (start/开始, condition/条件判断, model/大模型, end/结束) with the sample's field names and
 * formats. Pure: every time and count comes in measured; this only lays it out.
 */
import type { FinishReason } from '../core/events.js';
import { hashString } from '../core/random.js';
import type { ChatMessage } from '../providers/types.js';
import type { UsageSource } from '../usage/usage-tally.js';

/** Moments of the run, in Unix ms with sub-ms precision (`performance.timeOrigin + performance.now()`). */
export interface RunMarks {
  /** The request reached the route. */
  receivedAt: number;
  /** Validation and setup done; the pipeline (condition, model) starts. */
  executeAt: number;
  conditionStart: number;
  conditionEnd: number;
  /** The model was called. */
  modelStart: number;
  /** The first piece of text or thinking arrived; null if the model sent none. */
  firstToken: number | null;
  /** The model's stream ended. */
  modelEnd: number;
  /** The `end` event is being written. */
  endAt: number;
}

/** An earlier turn given to the model (`memoryList`). */
export interface MemoryItem {
  requestId: string;
  question: string;
  /** The answer as the model saw it: thinking stripped. */
  answer: string;
  createdAt: number;
}

/** Sampling parameters as sent to the model (null: not sent). */
export interface SamplingParameters {
  temperature: number;
  top_p: number;
  top_k: number;
  max_tokens: number | null;
}

/** One deployment's part of the answer: the trace has one model step per leg (two after a continuation). */
export interface TraceLeg {
  /** The deployment's id (`provider/model`). */
  deployment: string;
  /** When it was asked and when its first event came (Unix ms); null: the run's own marks. */
  startAt: number | null;
  firstTokenAt: number | null;
  /** The text it produced. */
  result: string;
  outputTokens: number;
}

export interface TraceInput {
  question: string;
  requestId: string;
  sessionId: string;
  userId: string | null;
  system: string;
  parameters: SamplingParameters;
  /** Seconds the gateway waits for the model's first byte; 0 when it does not time out (the simulator). */
  timeoutSeconds: number;
  memory: readonly MemoryItem[];
  /** The history messages sent before the question. */
  history: readonly ChatMessage[];
  answer: string;
  answerDict: Record<string, unknown>;
  /** The model that answered (a fallback, if the one asked for failed). */
  modelName: string;
  finishReason: FinishReason | null;
  promptTokens: number;
  outputTokens: number;
  /** Whether the token counts are the provider's report or streamgate's estimate (`usage/usage-tally.ts`). */
  usageSource: UsageSource;
  marks: RunMarks;
  /** The deployments that served, in order; absent: one step without a deployment. */
  legs?: readonly TraceLeg[];
}

export interface TraceVariable {
  name: string;
  value: unknown;
}

export type TraceStep =
  | { processName: '开始'; variable: TraceVariable[]; processType: 'start' }
  | { result: string; processName: '条件判断'; costTime: number; startTime: string; processType: 'condition'; endTime: string }
  | ModelStep
  | { processName: '结束'; variable: TraceVariable[]; processType: 'end'; metrics: EndMetrics };

export interface ModelStep {
  result: string;
  modelName: string;
  processName: '大模型';
  modelId: number;
  costTime: number;
  parameter: Record<string, unknown>;
  startTime: string;
  processType: 'model';
  metrics: { numPromptTokens: number; firstTokenTime: number; numOutputTokens: number; allTime: number; usageSource: UsageSource };
  endTime: string;
  prompt: string;
  finishReason: FinishReason | null;
  /** The deployment that served this step. */
  deployment?: string;
}

export interface EndMetrics {
  costTime: number;
  programBuildTime: number;
  inputTokens: number;
  programExecuteTime: number;
  outputTokens: number;
  usageSource: UsageSource;
}

/** The condition's branch: IF the session has memory to include, ELSE answer without it. */
export function conditionResult(memoryUsed: boolean): string {
  return `IF --> ${memoryUsed}\nELSE --> ${!memoryUsed}`;
}

export function buildTrace(input: TraceInput): TraceStep[] {
  const { marks } = input;
  const history = input.history.length > 0 ? JSON.stringify(input.history) : '';
  const maxTokens = input.parameters.max_tokens === null ? '' : String(input.parameters.max_tokens);
  const doSample = input.parameters.temperature > 0;
  const sessionStatus = {};

  const costTime = Math.round(marks.endAt - marks.receivedAt);
  const programBuildTime = Math.round(marks.executeAt - marks.receivedAt);

  return [
    {
      processName: '开始',
      variable: [
        { name: 'memoryList', value: input.memory },
        { name: 'question', value: input.question },
        { name: 'memories', value: renderMemories(input.memory) },
        { name: 'sessionStatus', value: sessionStatus },
        {
          name: 'extraInfo',
          value: {
            top_p: input.parameters.top_p,
            system: input.system,
            max_tokens: maxTokens,
            requestId: input.requestId,
            top_k: input.parameters.top_k,
            temperature: input.parameters.temperature,
            sessionId: input.sessionId,
            history,
            do_sample: doSample,
            userId: input.userId ?? '',
            timeout: input.timeoutSeconds,
          },
        },
      ],
      processType: 'start',
    },
    {
      result: conditionResult(input.memory.length > 0),
      processName: '条件判断',
      costTime: Math.round(marks.conditionEnd - marks.conditionStart),
      startTime: formatLocalTime(marks.conditionStart),
      processType: 'condition',
      endTime: formatLocalTime(marks.conditionEnd),
    },
    ...modelSteps(input, history, maxTokens, doSample),
    {
      processName: '结束',
      variable: [
        { name: 'sessionStatus', value: sessionStatus },
        { name: 'answerDict', value: input.answerDict },
        { name: 'answer', value: input.answer },
      ],
      processType: 'end',
      metrics: {
        costTime,
        programBuildTime,
        inputTokens: input.promptTokens,
        programExecuteTime: costTime - programBuildTime,
        outputTokens: input.outputTokens,
        usageSource: input.usageSource,
      },
    },
  ];
}

/** One model step per leg; the steps' times are the legs' own, the first leg's and the end from the run's marks. */
function modelSteps(input: TraceInput, history: string, maxTokens: string, doSample: boolean): ModelStep[] {
  const { marks } = input;
  const legs: readonly TraceLeg[] = input.legs ?? [{ deployment: '', startAt: null, firstTokenAt: null, result: input.answer, outputTokens: input.outputTokens }];
  return legs.map((leg, i) => {
    const start = leg.startAt ?? marks.modelStart;
    const end = legs[i + 1]?.startAt ?? marks.modelEnd;
    const firstToken = leg.firstTokenAt ?? (i === 0 ? marks.firstToken : null);
    const modelMs = end - start;
    const firstTokenMs = firstToken === null ? modelMs : firstToken - start;
    const step: ModelStep = {
      result: leg.result,
      modelName: input.modelName,
      processName: '大模型',
      modelId: hashString(input.modelName),
      costTime: Math.round(modelMs),
      parameter: {
        top_p: input.parameters.top_p,
        system: input.system,
        max_tokens: maxTokens,
        stream: true,
        top_k: input.parameters.top_k,
        temperature: input.parameters.temperature,
        do_sample: doSample,
        history,
        n: 1,
      },
      startTime: formatLocalTime(start),
      processType: 'model',
      metrics: {
        numPromptTokens: input.promptTokens,
        firstTokenTime: seconds(firstTokenMs),
        numOutputTokens: leg.outputTokens,
        allTime: seconds(modelMs),
        usageSource: input.usageSource,
      },
      endTime: formatLocalTime(end),
      prompt: `${input.question}\n`,
      finishReason: i === legs.length - 1 ? input.finishReason : null,
    };
    if (input.legs) step.deployment = leg.deployment;
    return step;
  });
}

/** The memory as text, one `Q:`/`A:` pair per turn; '' without memory (as in the sample). */
function renderMemories(memory: readonly MemoryItem[]): string {
  return memory.map((m) => `Q: ${m.question}\nA: ${m.answer}`).join('\n\n');
}

/** Milliseconds as seconds with millisecond precision (`0.05`, `3.5`). */
function seconds(ms: number): number {
  return Math.round(ms) / 1000;
}

/** `YYYY-MM-DD HH:mm:ss.SSS` in local time, as the sample prints its times. */
export function formatLocalTime(epochMs: number): string {
  const d = new Date(Math.floor(epochMs));
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
  );
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}
