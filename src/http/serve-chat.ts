/**
 * What the chat-completions dialects share once a body is parsed: the key's model check,
 * the stream slot, opening the model (with fallbacks), then either the chunk stream or
 * one collected answer. A dialect differs only in the data of `ChatDialect`.
 */
import type { Response } from 'express';
import type { ReasoningFormat } from '../config/schema.js';
import type { FinishReason } from '../core/events.js';
import { collectCompletion } from '../encoders/collect.js';
import { createChatChunkEncoder, usageToOpenAI } from '../encoders/chat-chunk-encoder.js';
import { openStream, type OpenedStream } from '../models/open-stream.js';
import { StreamTape, type HandoverResumer } from '../streams/handover.js';
import type { RecordedStream } from '../usage/stream-recorder.js';
import { handoverSource, reopenStream, type ServedState } from './handover-runs.js';
import type { ChatRequest } from '../providers/types.js';
import type { AppContext } from './app-context.js';
import { assertModelAllowed, keyOf } from './auth.js';
import { abortOnClose, randomId } from './request-context.js';
import { ownerOf } from './owner.js';
import { admitBudget, observeEvents, recordStream, runWithinLimits, streamRecorder } from './record-stream.js';
import { estimatePromptTokens } from '../providers/simulator/simulator-provider.js';
import { assertParamsSupported } from '../models/unsupported-params.js';

/** How one dialect writes its answers. */
export interface ChatDialect {
  /** The name its streams are registered with (picks the resume notices). */
  endpoint: string;
  /** How this dialect names each finish reason. */
  finishReasons: Readonly<Record<FinishReason, string>>;
  /** lm-v2 repeats `"role":"assistant"` in every streamed delta. */
  roleInEveryDelta: boolean;
}

export interface ServeChatOptions {
  ctx: AppContext;
  res: Response;
  dialect: ChatDialect;
  /** The model name the client asked for. */
  model: string;
  request: Omit<ChatRequest, 'model'>;
  stream: boolean;
  /** `resumable: true`: the run outlives a disconnect for the grace period; otherwise a disconnect stops it. */
  resumable: boolean;
  /** `stream_options.include_usage` (non-streaming answers always carry usage, `null` when the model reported none). */
  includeUsage: boolean;
  reasoningFormat: ReasoningFormat;
}

export async function serveChat(options: ServeChatOptions): Promise<void> {
  const { ctx, res, dialect, model, request, reasoningFormat } = options;
  assertModelAllowed(res, model);
  assertParamsSupported(ctx.registry.resolve(model, keyOf(res)?.models).provider, model, request);
  res.locals.model = model;
  const id = `chatcmpl-${randomId()}`;
  const created = Math.floor(Date.now() / 1000);
  const recorder = recordStream(ctx, res, {
    model,
    streamed: options.stream,
    user: request.user ?? null,
    estimatePrompt: () => estimatePromptTokens({ model, ...request }),
    responseId: id,
    request,
  });
  // After a fallback, the answer carries the name of the model that served it.
  let servedBy = model;
  let served: OpenedStream | undefined;
  const open = async (signal: AbortSignal, tape?: StreamTape) => {
    const opened = await openStream({ registry: ctx.registry, model, request, signal, ...(tape ? { tape } : {}) });
    servedBy = opened.route.name;
    served = opened;
    res.locals.deployments = opened.legs;
    recorder.served(opened.route);
    return opened.events;
  };

  if (options.stream) {
    const setup: ChatStreamSetup = { dialect, model, request, id, created, reasoningFormat, includeUsage: options.includeUsage, recorded: recorder.info };
    // A resumable stream on a shared log can be continued by another instance at a shutdown.
    const tape = options.resumable && ctx.streams.handsOver ? new StreamTape() : undefined;
    await runWithinLimits(ctx, {
      res,
      open: (signal) => open(signal, tape),
      encoder: chatEncoder(setup, () => servedBy),
      // The chunk id is the stream id: 96 random bits, bound to the key that started it.
      stream: { id, owner: ownerOf(res), endpoint: dialect.endpoint },
      disconnect: options.resumable ? 'grace' : 'stop',
      observers: [recorder],
      ...(tape ? { handover: handoverSource(CHAT_HANDOVER, tape, () => served, () => setup) } : {}),
    });
    return;
  }

  await admitBudget(ctx, res);
  const controller = abortOnClose(res);
  let result;
  try {
    result = await collectCompletion(observeEvents(() => open(controller.signal), recorder, controller.signal), reasoningFormat);
  } catch (err) {
    // The client left before the answer was whole: nobody to answer, and not a failure.
    if (controller.signal.aborted) return;
    throw err;
  }
  res.json({
    id,
    object: 'chat.completion',
    created,
    model: servedBy,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          // OpenAI's shape: a message that only calls tools has null content.
          content: result.toolCalls && result.content === '' ? null : result.content,
          ...(result.reasoning !== null ? { reasoning_content: result.reasoning } : {}),
          refusal: null,
          ...(result.toolCalls ? { tool_calls: result.toolCalls } : {}),
        },
        logprobs: null,
        finish_reason: dialect.finishReasons[result.finishReason],
      },
    ],
    usage: result.usage ? usageToOpenAI(result.usage) : null,
  });
}

const CHAT_HANDOVER = 'chat';

/** A chat stream's run as data: what the request gives, and what a handover record carries to another instance. */
interface ChatStreamSetup {
  dialect: ChatDialect;
  model: string;
  request: Omit<ChatRequest, 'model'>;
  id: string;
  created: number;
  reasoningFormat: ReasoningFormat;
  includeUsage: boolean;
  recorded: Omit<RecordedStream, 'estimatePrompt'>;
}

function chatEncoder(setup: ChatStreamSetup, model: () => string) {
  return createChatChunkEncoder({
    id: setup.id,
    created: setup.created,
    model,
    reasoningFormat: setup.reasoningFormat,
    includeUsage: setup.includeUsage,
    finishReasons: setup.dialect.finishReasons,
    roleInEveryDelta: setup.dialect.roleInEveryDelta,
  });
}

/** Rebuilds a resumable chat stream handed over by another instance: the same chunks, the whole run recorded here. */
export function resumeChat(ctx: AppContext): HandoverResumer {
  return (record, mode) => {
    const state = record.state as ChatStreamSetup & ServedState;
    let servedBy = state.servedBy;
    let served: OpenedStream | undefined;
    const recorder = streamRecorder(ctx, { ...state.recorded, estimatePrompt: () => estimatePromptTokens({ model: state.model, ...state.request }) });
    const tape = new StreamTape();
    const open = reopenStream(ctx, record, mode, tape, (opened) => {
      served = opened;
      servedBy = opened.route.name;
      recorder.served(opened.route);
    });
    return {
      open,
      encoder: chatEncoder(state, () => servedBy),
      observers: [recorder],
      disconnect: 'grace',
      handover: handoverSource(CHAT_HANDOVER, tape, () => served, () => state),
    };
  };
}
