/**
 * OpenAI's `chat.completion.chunk` stream, also used (with other options) by the lm-v2
 * dialect. The parts of a chunk that never change are serialized once per stream; per
 * event only the delta text is JSON-encoded.
 */
import type { FinishReason, StreamEvent, Usage } from '../core/events.js';
import { toOpenAIErrorBody, type GatewayError } from '../core/errors.js';
import type { ReasoningFormat } from '../config/schema.js';
import { ReasoningShaper, type ShapedField } from './reasoning-shaper.js';
import { createToolCallDeltaWriter } from './tool-calls.js';
import type { DialectNotices, StreamEncoder, WireMessage } from './types.js';
import { resumePath } from './resume-path.js';

export interface ChatChunkEncoderOptions {
  id: string;
  /** Unix seconds. */
  created: number;
  /** The model name in every chunk; a function is asked at the first chunk (the model that served, after a fallback). */
  model: string | (() => string);
  reasoningFormat: ReasoningFormat;
  /** `stream_options.include_usage`: a last chunk with `choices: []` and usage; `usage: null` on the others. */
  includeUsage: boolean;
  /** How this dialect names each finish reason. */
  finishReasons: Readonly<Record<FinishReason, string>>;
  /** lm-v2 repeats `"role":"assistant"` in every delta. */
  roleInEveryDelta?: boolean;
}

export const OPENAI_FINISH_REASONS: Readonly<Record<FinishReason, string>> = {
  end: 'stop',
  'stop-sequence': 'stop',
  length: 'length',
  'content-filter': 'content_filter',
  'tool-calls': 'tool_calls',
};

/** lm-v2 (`lm-v2-chat-completions.md`): `normal` when the model finished on its own, `stop` only at a stop sequence. */
export const LM_V2_FINISH_REASONS: Readonly<Record<FinishReason, string>> = {
  end: 'normal',
  'stop-sequence': 'stop',
  length: 'length',
  'content-filter': 'content_filter',
  'tool-calls': 'tool_calls',
};

export function usageToOpenAI(usage: Usage) {
  return {
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    total_tokens: usage.promptTokens + usage.completionTokens,
    ...(usage.reasoningTokens !== undefined
      ? { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } }
      : {}),
  };
}

export function createChatChunkEncoder(options: ChatChunkEncoderOptions): StreamEncoder {
  let head = '';
  let deltaPrefix = '';
  const init = () => {
    const model = typeof options.model === 'function' ? options.model() : options.model;
    head = `{"id":${JSON.stringify(options.id)},"object":"chat.completion.chunk","created":${options.created},"model":${JSON.stringify(model)}`;
    deltaPrefix = `${head},"choices":[{"index":0,"delta":{`;
  };
  if (typeof options.model === 'string') init();
  const usageTail = options.includeUsage ? ',"usage":null' : '';
  const openSuffix = `},"logprobs":null,"finish_reason":null}]${usageTail}}`;
  const role = options.roleInEveryDelta ? '"role":"assistant",' : '';
  const shaper = new ReasoningShaper(options.reasoningFormat);
  const toolCall = createToolCallDeltaWriter();
  let started = false;
  let usage: Usage | undefined;
  let out: WireMessage[] = [];

  const emit = (field: ShapedField, text: string) => {
    const key = field === 'content' ? '"content":' : '"reasoning_content":';
    out.push({ data: deltaPrefix + role + key + JSON.stringify(text) + openSuffix });
  };
  const start = () => {
    started = true;
    out.push({ data: `${deltaPrefix}"role":"assistant","content":""${openSuffix}` });
  };

  return {
    encode(event: StreamEvent, into: WireMessage[]): void {
      out = into;
      if (head === '') init();
      if (!started && event.type !== 'error') start();
      if (shaper.delta(event, emit)) return;
      switch (event.type) {
        case 'tool-call-delta':
          // An inline `<think>` still open is closed before the call, so the content stays well-formed.
          shaper.finish(emit);
          out.push({ data: `${deltaPrefix}${role}"tool_calls":[${toolCall(event)}]${openSuffix}` });
          break;
        case 'usage':
          usage = event.usage;
          break;
        case 'finish': {
          shaper.finish(emit);
          const reason = JSON.stringify(options.finishReasons[event.reason]);
          out.push({
            data: `${deltaPrefix.slice(0, -1)}${options.roleInEveryDelta ? '{"role":"assistant"}' : '{}'},"logprobs":null,"finish_reason":${reason}}]${usageTail}}`,
          });
          break;
        }
        case 'error':
          this.error(event.error, out);
      }
    },
    end(into: WireMessage[]): void {
      if (head === '') init();
      if (options.includeUsage) {
        // An upstream that reported no usage gets `null`, not counts nobody measured.
        const u = usage ? JSON.stringify(usageToOpenAI(usage)) : 'null';
        into.push({ data: `${head},"choices":[],"usage":${u}}` });
      }
      into.push(DONE);
    },
    error(error: GatewayError, into: WireMessage[]): void {
      into.push(openAIErrorMessage(error));
    },
  };
}

const DONE: WireMessage = { data: '[DONE]' };

/** OpenAI's in-stream error: `data: {"error": {…}}` and no `[DONE]`, which the SDKs raise as `APIError`. */
export function openAIErrorMessage(error: GatewayError, extra?: { stream_id: string }): WireMessage {
  const body = toOpenAIErrorBody(error);
  return { data: JSON.stringify(extra ? { error: { ...body.error, ...extra } } : body) };
}

/**
 * Both chat dialects' notices. A resume notice only goes out when the run goes on
 * elsewhere-readable (a shared log), so it can keep its promise.
 */
export const OPENAI_NOTICES: DialectNotices = {
  resume: (streamId, retryMs) => ({
    retry: retryMs,
    data: JSON.stringify({
      error: {
        message: `This server is restarting and another one serves the rest of this answer: reconnect to GET ${resumePath(streamId)} with the Last-Event-ID header.`,
        type: 'server_shutting_down',
        param: null,
        code: 'resume',
        stream_id: streamId,
      },
    }),
  }),
  error: (error, streamId) => openAIErrorMessage(error, { stream_id: streamId }),
};
