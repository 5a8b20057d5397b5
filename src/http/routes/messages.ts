/**
 * Anthropic's Messages API for every model: `POST /v1/messages` (streaming and not) and
 * `POST /v1/messages/count_tokens`. Every error on these paths, the API key check's and
 * body-parser's included, is in Anthropic's shape (`messagesErrorHandler`). A stream is
 * not resumable: a client that leaves stops the run. Its heartbeat is Anthropic's own
 * `event: ping`.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { EventStream } from '../../core/events.js';
import { formatSseMessage } from '../../core/sse.js';
import { countTokens } from '../../core/tokenize.js';
import { anthropicError } from '../../encoders/anthropic-errors.js';
import { MessagesEncoder } from '../../encoders/messages-encoder.js';
import { encodeAnswer } from '../encode-answer.js';
import { openStream } from '../../models/open-stream.js';
import { assertParamsSupported } from '../../models/unsupported-params.js';
import { messageText, type ChatMessage } from '../../providers/types.js';
import type { AppContext } from '../app-context.js';
import { admitBudget, recordStream, runWithinLimits } from '../record-stream.js';
import { estimatePromptTokens } from '../../providers/simulator/simulator-provider.js';
import { assertModelAllowed, keyOf } from '../auth.js';
import { errorHandler, fromHttpError } from '../errors.js';
import { GatewayError } from '../../core/errors.js';
import { assertSeesImages } from '../model-checks.js';
import { randomId } from '../request-context.js';
import { ownerOf } from '../owner.js';
import { countTokensRequestSchema, messagesRequestSchema, toMessagesChat, toMessagesChatRequest } from '../schemas/messages.js';
import { parseRequest } from '../validation.js';
import { countTokensUpstream, relayMessages } from './anthropic-passthrough.js';

export const MESSAGES_PATH = '/v1/messages';
export const MESSAGES_ENDPOINT = 'messages';

/** Anthropic's heartbeat: an event (its SDKs skip it), not a comment. */
const PING = formatSseMessage({ event: 'ping', data: '{"type": "ping"}' });

export function createMessage(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const body = parseRequest(messagesRequestSchema, req.body);
    const model = body.model;
    assertModelAllowed(res, model);
    const route = ctx.registry.resolve(model, keyOf(res)?.models);
    res.locals.model = model;
    // Claude gets the request as it is, and its events come back as they are.
    if (await relayMessages({ ctx, req, res, route, body: req.body as Record<string, unknown>, ping: PING })) return;

    const request = toMessagesChatRequest(body);
    assertParamsSupported(route.provider, model, request);
    assertSeesImages(route.provider, model, request.messages, 'messages');
    const encoder = new MessagesEncoder({ id: `msg_${randomId(18)}`, model, stopSequences: body.stop_sequences ?? [] });
    const open = async (signal: AbortSignal): Promise<EventStream> => (await openStream({ registry: ctx.registry, model, request, signal })).events;

    if (body.stream === true) {
      await runWithinLimits(ctx, {
        res,
        open,
        encoder,
        heartbeat: PING,
        disconnect: 'stop',
        stream: { id: `msgstream_${randomId()}`, owner: ownerOf(res), endpoint: MESSAGES_ENDPOINT },
        observers: [recordStream(ctx, res, { model, streamed: true, user: request.user ?? null, estimatePrompt: () => estimatePromptTokens({ model, ...request }), request })],
      });
      return;
    }

    await admitBudget(ctx, res);
    const recorder = recordStream(ctx, res, { model, streamed: false, user: request.user ?? null, estimatePrompt: () => estimatePromptTokens({ model, ...request }), request });
    if (!(await encodeAnswer(res, encoder, open, recorder))) return;
    encoder.end([]);
    res.json(encoder.message());
  };
}

/**
 * `POST /v1/messages/count_tokens`: Anthropic's own count when the model is Claude; for
 * other models streamgate's estimate (its tokenizer, not the model's), said so in the
 * `X-Streamgate-Token-Count: estimated` header.
 */
export function countMessageTokens(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const body = parseRequest(countTokensRequestSchema, req.body);
    assertModelAllowed(res, body.model);
    const route = ctx.registry.resolve(body.model, keyOf(res)?.models);
    if (await countTokensUpstream({ req, res, route, body: req.body as Record<string, unknown> })) return;
    res.set('X-Streamgate-Token-Count', 'estimated');
    res.json({ input_tokens: estimateTokens(toMessagesChat(body), body.tools ?? []) });
  };
}

/** Text tokens by streamgate's tokenizer, a few per message for the template, tools as their JSON. */
function estimateTokens(messages: readonly ChatMessage[], tools: readonly unknown[]): number {
  let n = 0;
  for (const m of messages) {
    n += countTokens(messageText(m)) + 4;
    for (const call of m.tool_calls ?? []) n += countTokens(call.function.name + call.function.arguments);
  }
  if (tools.length > 0) n += countTokens(JSON.stringify(tools));
  return n + 2;
}

/** Mount on `MESSAGES_PATH` after the routes: every error of these paths in Anthropic's shape. */
export function messagesErrorHandler(ctx: AppContext): ErrorRequestHandler {
  const handle = errorHandler(ctx.logger, ctx.config.bodyLimitBytes, (error) => anthropicError(error).body);
  return (err, req, res, next) => {
    const error = fromHttpError(err, ctx.config.bodyLimitBytes);
    const { status } = anthropicError(error);
    // Anthropic's status for it (529 for overloaded), with everything else the error carries.
    const sent = status === error.status ? error : new GatewayError(status, error.type, error.message, { code: error.code, param: error.param, cause: err, ...(error.retryAfter !== undefined ? { retryAfter: error.retryAfter } : {}), ...(error.headers ? { headers: error.headers } : {}) });
    handle(sent, req, res, next);
  };
}
