/**
 * `GET /v1/complete` (query parameters, for `EventSource`) and `POST /v1/complete` (JSON):
 * the question-and-answer stream in the user's envelope, with sessions that remember.
 * Its own Router, followed by its own error handler (`completeErrorHandler`), so that
 * every error of this path, body-parser's and the API key check's included, is an
 * envelope too.
 */
import { createHash } from 'node:crypto';
import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Response, type Router } from 'express';
import { GatewayError, InvalidRequestError, toGatewayError } from '../../core/errors.js';
import { buildTrace } from '../../complete/build-trace.js';
import { branchTo, buildMessages, historyMessages, isContext, stripThinking } from '../../complete/history.js';
import { SavedTurn } from '../../complete/saved-turn.js';
import type { SessionTurn } from '../../store/types.js';
import { newRequestId, newSessionId } from '../../complete/ids.js';
import { RunMeter, type RunMeterSnapshot } from '../../complete/run-meter.js';
import { createCompleteEnvelopeEncoder, errorEnvelope, type EnvelopeIdentity } from '../../encoders/complete-envelope-encoder.js';
import { openStream, type OpenedStream } from '../../models/open-stream.js';
import type { MemoryItem, SamplingParameters, TraceLeg } from '../../complete/build-trace.js';
import type { ReasoningFormat } from '../../config/schema.js';
import type { ChatMessage, ChatRequest } from '../../providers/types.js';
import type { Owner } from '../../store/types.js';
import { StreamTape, type HandoverResumer } from '../../streams/handover.js';
import type { RecordedStream } from '../../usage/stream-recorder.js';
import { handoverSource, reopenStream, type ServedState } from '../handover-runs.js';
import { endpointOf } from '../request-context.js';
import { estimatePromptTokens } from '../../providers/simulator/simulator-provider.js';
import type { AppContext } from '../app-context.js';
import { assertModelAllowed, keyOf } from '../auth.js';
import { errorHandler, methodNotAllowed, requireJson } from '../errors.js';
import { verifyJsonBody } from '../verify-json-body.js';
import { ownerOf } from '../owner.js';
import { endWithNoContent, lastEventIdOf, serveResume } from './resume-stream.js';
import { runWithinLimits, streamRecorder } from '../record-stream.js';
import type { MeasuredUsage } from '../../usage/usage-tally.js';
import {
  COMPLETE_DEFAULTS,
  completeRequestSchema,
  fromQuery,
  samplingOf,
  toCompleteChatRequest,
  toQueryError,
  type CompleteRequestBody,
} from '../schemas/complete.js';
import { parseRequest } from '../validation.js';

export const COMPLETE_PATH = '/v1/complete';

export function completeRouter(ctx: AppContext): Router {
  const router = express.Router();
  const json = express.json({ limit: ctx.config.bodyLimitBytes, strict: true, type: 'application/json', verify: verifyJsonBody() });
  // Express would answer HEAD with the GET handler: a whole model run (and a saved turn) for no body.
  router.head(COMPLETE_PATH, methodNotAllowed('GET, POST'));
  router.get(COMPLETE_PATH, complete(ctx, (req) => {
    try {
      return parseRequest(completeRequestSchema, fromQuery(req.query as Record<string, unknown>));
    } catch (err) {
      throw toQueryError(err);
    }
  }));
  router.post(COMPLETE_PATH, requireJson, json, complete(ctx, (req) => parseRequest(completeRequestSchema, req.body)));
  router.all(COMPLETE_PATH, methodNotAllowed('GET, POST'));
  return router;
}

/** Mount on `COMPLETE_PATH` after the router: errors of this path, also from middleware before it, as envelopes. */
export function completeErrorHandler(ctx: AppContext): ErrorRequestHandler {
  return errorHandler(ctx.logger, ctx.config.bodyLimitBytes, completeErrorBody);
}

/** A failed request as an envelope, with whatever identity the request got so far. */
export function completeErrorBody(error: GatewayError, req: Request) {
  const known = req.res?.locals.complete as EnvelopeIdentity | undefined;
  return errorEnvelope(error, known ?? rawIdentity(req));
}

function rawIdentity(req: Request): EnvelopeIdentity {
  const source = (req.method === 'GET' ? req.query : req.body) as Record<string, unknown> | undefined;
  const text = (key: string) => (source && typeof source[key] === 'string' ? source[key] : '');
  return { question: text('question'), requestId: text('requestId'), sessionId: text('sessionId') };
}

function complete(ctx: AppContext, parse: (req: Request) => CompleteRequestBody): RequestHandler {
  return async (req, res) => {
    const meter = new RunMeter();
    const body = parse(req);
    // A client that sends the same request again is reconnecting (EventSource by itself,
    // fetch-event-source with the same POST): it continues the answer, never starts another.
    const requestHash = hashRequest(body);
    if (await resumeSameRequest(ctx, req, res, body.requestId ?? undefined, requestHash)) return;
    const userId = body.userId ?? null;
    // The caller's own namespace: another key's sessionId here is a new session of this key's.
    const owner = ownerOf(res);
    const sessionId = body.sessionId ?? newSessionId(userId);
    const { question } = body;
    res.locals.complete = { question, requestId: body.requestId ?? '', sessionId } satisfies EnvelopeIdentity;

    // The condition: does this session have memory to include?
    meter.startExecution();
    const [turns, session] = await Promise.all([ctx.sessions.getTurns(owner, sessionId), ctx.sessions.getSession(owner, sessionId)]);
    // What the request does not say, the conversation's own settings do (PATCH /v1/sessions/:id).
    const model = body.model ?? session?.model ?? COMPLETE_DEFAULTS.model;
    assertModelAllowed(res, model);
    ctx.registry.resolve(model, keyOf(res)?.models);
    res.locals.model = model;
    const parentId = parentOf(body, turns);
    const limit = ctx.config.sessions.historyTurns;
    const memory = limit === 0 ? [] : branchTo(turns, parentId).filter(isContext).slice(-limit);
    const history = historyMessages(memory);
    meter.conditionDone();

    const requestId = body.requestId ?? newRequestId((session?.turns ?? 0) + 1);
    const identity: EnvelopeIdentity = { question, requestId, sessionId };
    res.locals.complete = identity;
    res.set('X-Request-Id', requestId);
    // The request's log line names the id the client got.
    res.locals.requestId = requestId;
    const system = body.system ?? session?.system ?? '';
    const asked = { ...body, temperature: body.temperature ?? session?.temperature ?? null };
    const request = toCompleteChatRequest(asked, buildMessages({ system, history, question }));
    const setup: CompleteSetup = {
      identity,
      owner,
      userId,
      model,
      system,
      parameters: samplingOf(asked),
      memory: memory.map((t) => ({ requestId: t.requestId, question: t.question, answer: stripThinking(t.answer), createdAt: t.createdAt })),
      history,
      request,
      reasoningFormat: body.reasoning_format ?? COMPLETE_DEFAULTS.reasoningFormat,
      recorded: { requestId: res.locals.requestId as string, endpoint: endpointOf(req), key: keyOf(res)?.name ?? null },
    };
    const run = completeRun(ctx, setup, meter);
    const { recorder, encoder, turn } = run;
    // A resumable run on a shared log can be continued by another instance at a shutdown.
    const tape = body.resumable !== false && ctx.streams.handsOver ? new StreamTape() : undefined;

    let outcome;
    try {
      outcome = await runWithinLimits(ctx, {
        res,
        encoder,
        // The requestId is the stream id: a client resumes with it and Last-Event-ID.
        stream: { id: requestId, owner, endpoint: 'complete', requestHash },
        // An answer in a session runs to its end and is saved with nobody listening (the page
        // re-attaches to it), unless it is stopped (DELETE /v1/streams/:id) or asked not to be resumable.
        disconnect: body.resumable === false ? 'stop' : 'finish',
        open: async (signal) => {
          // Saved as it starts (the stream id is taken by now, so a duplicate requestId never gets here).
          await turn.start(userId, { requestId, question, answer: '', model, createdAt: Math.round(meter.receivedAt), timings: meter.timings(recorder.usage()), status: 'streaming', parentId });
          meter.modelCalled();
          const opened = await openStream({ registry: ctx.registry, model, request, signal, ...(tape ? { tape } : {}) });
          run.opened(opened);
          res.locals.deployments = opened.legs;
          return opened.events;
        },
        observers: [meter, recorder],
        // Saved before the end event is written: a client that saw `end` can ask its next question at once.
        beforeEnd: () => turn.finish('complete'),
        ...(tape ? { handover: run.handover(tape) } : {}),
      });
    } catch (err) {
      await turn.settle({ status: 'failed', error: toGatewayError(err) });
      throw err;
    }
    await turn.settle(outcome);
  };
}

/**
 * A reconnect: `requestId` names a stream and the request is the one that started it.
 * Serves the rest after `Last-Event-ID` (or all of it without one: fetch-event-source
 * re-POSTs without it when it dropped before the first event) and returns true. A
 * `Last-Event-ID` for a stream that is unknown, expired or cannot be resumed is answered
 * 204, which tells EventSource to stop reconnecting, and never starts a new run. False
 * when this is a new question.
 */
async function resumeSameRequest(ctx: AppContext, req: Request, res: Response, requestId: string | undefined, requestHash: string): Promise<boolean> {
  const hasLastEventId = req.get('last-event-id') !== undefined || req.query.last_event_id !== undefined;
  if (requestId === undefined) {
    if (!hasLastEventId) return false;
    // Nothing names the stream to resume: say so the way EventSource understands, rather than ask again.
    lastEventIdOf(req);
    endWithNoContent(res);
    return true;
  }
  const source = await ctx.streams.find(requestId, ownerOf(res));
  if (!source) {
    if (!hasLastEventId) return false;
    lastEventIdOf(req);
    endWithNoContent(res);
    return true;
  }
  if (source.meta.requestHash !== requestHash) {
    throw new GatewayError(409, 'invalid_request_error', `Request id "${requestId}" belongs to another request: use a new requestId, or send the same request to resume.`, {
      code: 'stream_id_in_use',
      param: 'requestId',
    });
  }
  res.set('X-Request-Id', requestId);
  await serveResume(ctx, req, res, requestId, source);
  return true;
}

/**
 * What identifies a request for resuming: its parsed fields (the same for the GET and POST
 * forms), without the ones a reconnect may add.
 */
function hashRequest(body: CompleteRequestBody): string {
  const { last_event_id: _lastEventId, ...fields } = body as CompleteRequestBody & { last_event_id?: unknown };
  return createHash('sha256').update(canonicalJson(fields)).digest('base64url');
}

/** JSON with object keys sorted, so the same fields in another order hash the same. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The turn a question follows: the one the request names (null: none), else the session's latest. */
function parentOf(body: CompleteRequestBody, turns: readonly SessionTurn[]): string | null {
  if (body.parentId === undefined) return turns.at(-1)?.requestId ?? null;
  if (body.parentId === null || turns.some((t) => t.requestId === body.parentId)) return body.parentId;
  throw new InvalidRequestError(`parentId '${body.parentId.slice(0, 128)}' is not a turn of this session.`, { param: 'parentId', code: 'invalid_value' });
}

/** The first-byte timeout the answering model's provider has, in seconds; 0 when none (the simulator). */
function timeoutSecondsOf(ctx: AppContext, modelName: string): number {
  const providerId = ctx.registry.resolve(modelName).provider.id;
  const provider = ctx.config.providers.find((p) => p.id === providerId);
  return provider ? provider.timeouts.firstByteMs / 1000 : 0;
}

/** The trace's model steps: each deployment that served, the text it produced and the tokens it spent. */
/** The stream's usage as the trace lays it out. */
function traceUsage(usage: MeasuredUsage): { promptTokens: number; outputTokens: number; usageSource: MeasuredUsage['source'] } {
  return { promptTokens: usage.promptTokens, outputTokens: usage.completionTokens, usageSource: usage.source };
}

function traceLegs(opened: OpenedStream, answer: string, outputTokens: number): TraceLeg[] {
  const { legs } = opened;
  return legs.map((leg, i) => {
    const next = legs[i + 1];
    return {
      deployment: leg.deployment.id,
      startAt: leg.startedAt,
      firstTokenAt: leg.firstEventAt,
      // The answer is the upstream text as it came (inline thinking), so each leg's part is the span between the prefixes.
      result: next ? next.prefix.slice(leg.prefix.length) : answer.slice(leg.prefix.length),
      outputTokens: (next ? next.spentBefore : outputTokens) - leg.spentBefore,
    };
  });
}

const COMPLETE_HANDOVER = 'complete';

/** A `/v1/complete` run as data: what the request and the session give, and what a handover record carries to another instance. */
interface CompleteSetup {
  identity: EnvelopeIdentity;
  owner: Owner;
  userId: string | null;
  model: string;
  system: string;
  parameters: SamplingParameters;
  memory: MemoryItem[];
  history: ChatMessage[];
  request: Omit<ChatRequest, 'model'>;
  reasoningFormat: ReasoningFormat;
  recorded: Pick<RecordedStream, 'requestId' | 'endpoint' | 'key'>;
}

/** The run's parts from its setup: the recorder, the envelope encoder with its trace, the saved turn. */
function completeRun(ctx: AppContext, setup: CompleteSetup, meter: RunMeter) {
  const { identity, request } = setup;
  let answeredBy = setup.model;
  let served: OpenedStream | undefined;
  const recorder = streamRecorder(ctx, {
    ...setup.recorded,
    model: setup.model,
    streamed: true,
    user: setup.userId,
    estimatePrompt: () => estimatePromptTokens({ model: answeredBy, ...request }),
    conversationId: identity.sessionId,
    responseId: identity.requestId,
    request,
  });
  const encoder = createCompleteEnvelopeEncoder({
    ...identity,
    reasoningFormat: setup.reasoningFormat,
    trace: ({ answer, answerDict }) =>
      buildTrace({
        ...identity,
        userId: setup.userId,
        system: setup.system,
        parameters: setup.parameters,
        timeoutSeconds: timeoutSecondsOf(ctx, answeredBy),
        memory: setup.memory,
        history: setup.history,
        answer,
        answerDict,
        modelName: answeredBy,
        finishReason: meter.finishReason,
        ...traceUsage(recorder.usage()),
        marks: meter.marks(),
        ...(served ? { legs: traceLegs(served, answer, recorder.usage().completionTokens) } : {}),
      }),
  });
  const turn = new SavedTurn(ctx, setup.owner, identity.sessionId, identity.requestId, () => ({ answer: encoder.answer, model: answeredBy, timings: meter.timings(recorder.usage()) }));
  return {
    recorder,
    encoder,
    turn,
    /** The model's stream opened (after any fallback). */
    opened(opened: OpenedStream) {
      answeredBy = opened.route.name;
      recorder.served(opened.route);
      served = opened;
    },
    handover: (tape: StreamTape) => handoverSource(COMPLETE_HANDOVER, tape, () => served, () => ({ ...setup, meter: meter.snapshot() })),
  };
}

/** Rebuilds a `/v1/complete` run handed over by another instance: the same envelopes, the trace with every model step, the session turn saved here. */
export function resumeComplete(ctx: AppContext): HandoverResumer {
  return (record, mode) => {
    const state = record.state as CompleteSetup & ServedState & { meter: RunMeterSnapshot };
    const meter = RunMeter.restore(state.meter);
    const run = completeRun(ctx, state, meter);
    run.turn.adopt();
    const tape = new StreamTape();
    return {
      open: reopenStream(ctx, record, mode, tape, (opened) => run.opened(opened)),
      encoder: run.encoder,
      observers: [meter, run.recorder],
      disconnect: 'finish',
      beforeEnd: () => run.turn.finish('complete'),
      settle: (outcome) => run.turn.settle(outcome),
      handover: run.handover(tape),
    };
  };
}
