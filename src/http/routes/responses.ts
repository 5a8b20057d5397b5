/**
 * OpenAI's Responses API for every model: `POST /v1/responses` (streaming, not, and
 * `background: true`), `GET /v1/responses/{id}` (the stored object, or with `stream=true`
 * its events after `starting_after`), `POST /v1/responses/{id}/cancel`, `DELETE
 * /v1/responses/{id}`. A response's stream id is its id: a background response runs in
 * the stream hub whatever its connections do, and is read, resumed and cancelled there
 * (on any instance with Redis). A plain stream ends with its client.
 */
import type { RequestHandler, Response } from 'express';
import type { EventStream } from '../../core/events.js';
import { GatewayError, InvalidRequestError, NotFoundError } from '../../core/errors.js';
import { newItemId, ResponsesEncoder, type OutputItem, type ResponseObject } from '../../encoders/responses-encoder.js';
import { encodeAnswer } from '../encode-answer.js';
import { openStream } from '../../models/open-stream.js';
import { assertParamsSupported } from '../../models/unsupported-params.js';
import type { ChatMessage } from '../../providers/types.js';
import type { StoredResponse } from '../../store/response-store.js';
import type { AppContext } from '../app-context.js';
import { admitBudget, recordStream } from '../record-stream.js';
import { estimatePromptTokens } from '../../providers/simulator/simulator-provider.js';
import { assertModelAllowed, keyOf } from '../auth.js';
import { assertSeesImages } from '../model-checks.js';
import { holdStreamSlot } from '../rate-limit.js';
import { runStream } from '../run-stream.js';
import { ownerOf } from '../owner.js';
import { flatToolName, responsesRequestSchema, toResponsesChatRequest } from '../schemas/responses.js';
import { parseRequest } from '../validation.js';
import { serveFramesAfter } from './resume-stream.js';

export const RESPONSES_ENDPOINT = 'responses';

/** The live encoders of this instance's background runs: `GET` answers with their latest state. */
const running = new Map<string, ResponsesEncoder>();

export function createResponse(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const body = parseRequest(responsesRequestSchema, req.body);
    const model = body.model;
    assertModelAllowed(res, model);
    const owner = ownerOf(res);
    let history: ChatMessage[] = [];
    if (body.previous_response_id) history = (await findOwned(ctx, body.previous_response_id, owner, 'previous_response_id')).messages;
    const { request, tools, settings, inputMessages } = toResponsesChatRequest(body, history);
    const provider = ctx.registry.resolve(model, keyOf(res)?.models).provider;
    assertResponsesParams(() => assertParamsSupported(provider, model, request));
    assertSeesImages(provider, model, request.messages, 'input');
    res.locals.model = model;

    const id = newItemId('resp');
    const encoder = new ResponsesEncoder({
      id,
      createdAt: Math.floor(Date.now() / 1000),
      settings,
      tools,
      encryptedReasoning: body.include?.includes('reasoning.encrypted_content') === true,
    });
    const open = async (signal: AbortSignal): Promise<EventStream> => (await openStream({ registry: ctx.registry, model, request, signal })).events;
    const conversation = [...history, ...inputMessages];
    const save = async (response: ResponseObject) => {
      if (!settings.store) return;
      const record: StoredResponse = { owner, response, messages: [...conversation, ...outputMessages(response.output)], streamId: id };
      await ctx.responses.put(record, ctx.config.responses.retentionMs);
    };
    const stream = { id, owner: ownerOf(res), endpoint: RESPONSES_ENDPOINT };
    await admitBudget(ctx, res);
    const observer = recordStream(ctx, res, { model, streamed: body.stream === true || settings.background, user: request.user ?? null, estimatePrompt: () => estimatePromptTokens({ model, ...request }), responseId: id, request });

    if (settings.background) {
      const run = await ctx.streams.start({ id, meta: { ...stream, createdAt: Date.now() }, open, encoder, observers: [observer], disconnect: 'finish', beforeEnd: () => save(encoder.settle()) });
      running.set(id, encoder);
      await save(encoder.response());
      void run.done.then(async (outcome) => {
        running.delete(id);
        if (outcome.status === 'completed') return;
        await save(outcome.status === 'aborted' ? encoder.cancelled() : encoder.response()).catch((err: unknown) => ctx.logger.warn({ err, id }, 'could not save a background response'));
      });
      if (body.stream !== true) {
        res.json(encoder.response());
        return;
      }
      await serveRunEvents(ctx, res, id, 0);
      return;
    }

    if (body.stream === true) {
      const releaseSlot = await holdStreamSlot(ctx.rateLimits, res);
      try {
        const outcome = await runStream({ res, open, encoder, heartbeatMs: ctx.config.heartbeatMs, stalledClientMs: ctx.config.limits.stalledClientMs, streams: ctx.streams, disconnect: 'stop', stream, observers: [observer], beforeEnd: () => save(encoder.settle()) });
        if (outcome.status === 'failed') await save(encoder.response()).catch(() => undefined);
      } finally {
        releaseSlot();
      }
      return;
    }

    if (!(await encodeAnswer(res, encoder, open, observer))) return;
    const response = encoder.settle();
    await save(response);
    res.json(response);
  };
}

/** `text.format` reaches the model as chat completions' `response_format`: a refusal names the Responses field. */
function assertResponsesParams(check: () => void): void {
  try {
    check();
  } catch (err) {
    if (err instanceof GatewayError && err.param === 'response_format') {
      throw new InvalidRequestError(err.message.replaceAll("'response_format'", "'text.format'"), { param: 'text.format', code: err.code });
    }
    throw err;
  }
}

/** A stored response of this owner, else 404 (another key's id looks like no id at all). */
async function findOwned(ctx: AppContext, id: string, owner: string | null, param: string): Promise<StoredResponse> {
  const record = await ctx.responses.get(id);
  if (!record || record.owner !== owner) {
    throw new NotFoundError(`Response with id '${id}' not found.`, { param, code: 'response_not_found' });
  }
  return record;
}

/** A response's output as the assistant turn the next request continues from. */
function outputMessages(output: readonly OutputItem[]): ChatMessage[] {
  const message: ChatMessage = { role: 'assistant', content: null };
  for (const item of output) {
    if (item.type === 'message') {
      const text = (item.content as Array<{ text?: string }>).map((part) => part.text ?? '').join('');
      message.content = (message.content ?? '') + text;
    } else if (item.type === 'function_call' || item.type === 'custom_tool_call') {
      const args = item.type === 'function_call' ? String(item.arguments) : JSON.stringify({ input: String(item.input) });
      const name = flatToolName(String(item.name), item.namespace as string | undefined);
      (message.tool_calls ??= []).push({ id: String(item.call_id), type: 'function', function: { name, arguments: args } });
    }
  }
  return message.content === null && !message.tool_calls ? [] : [message];
}

/** The events of response `id` after frame `afterFrame` (frame `n` carries sequence number `n - 1`). */
async function serveRunEvents(ctx: AppContext, res: Response, id: string, afterFrame: number): Promise<void> {
  const source = await ctx.streams.find(id, ownerOf(res));
  if (!source) throw new NotFoundError(`The events of response '${id}' are no longer kept; GET it without stream=true.`, { param: 'stream', code: 'response_stream_not_found' });
  await serveFramesAfter({ ctx, res, id, source, afterSeq: afterFrame });
}

/** `GET /v1/responses/{id}`: the stored response, or with `?stream=true&starting_after=N` its events after N. */
export function getResponse(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id);
    const record = await findOwned(ctx, id, ownerOf(res), 'response_id');
    if (req.query.stream === 'true') {
      const raw = typeof req.query.starting_after === 'string' ? req.query.starting_after : undefined;
      if (raw !== undefined && !/^\d{1,15}$/.test(raw)) {
        throw new InvalidRequestError(`starting_after must be the sequence_number of the last event received (an integer >= 0), got ${JSON.stringify(raw.slice(0, 40))}`, { param: 'starting_after', code: 'invalid_value' });
      }
      await serveRunEvents(ctx, res, record.streamId ?? id, raw === undefined ? 0 : Number(raw) + 1);
      return;
    }
    res.json(running.get(id)?.response() ?? record.response);
  };
}

/** `POST /v1/responses/{id}/cancel`: stops a background response; its object comes back `cancelled`. */
export function cancelResponse(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id);
    const owner = ownerOf(res);
    const record = await findOwned(ctx, id, owner, 'response_id');
    if (record.response.background !== true) {
      throw new InvalidRequestError('Only background responses can be cancelled.', { param: 'response_id', code: 'invalid_value' });
    }
    if (record.response.status !== 'in_progress' && record.response.status !== 'queued') {
      res.json(record.response);
      return;
    }
    const streamId = record.streamId ?? id;
    const local = ctx.streams.cancel(streamId, ownerOf(res));
    if (!local) await ctx.stores.cancels?.publish(streamId, ownerOf(res));
    const encoder = running.get(id);
    if (encoder) {
      const response = encoder.cancelled();
      await ctx.responses.put({ ...record, response }, ctx.config.responses.retentionMs);
      res.json(response);
      return;
    }
    const response = { ...record.response, status: 'cancelled' };
    await ctx.responses.put({ ...record, response }, ctx.config.responses.retentionMs);
    res.json(response);
  };
}

/** `DELETE /v1/responses/{id}`. */
export function deleteResponse(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id);
    await findOwned(ctx, id, ownerOf(res), 'response_id');
    await ctx.responses.delete(id);
    res.json({ id, object: 'response', deleted: true });
  };
}
