/**
 * The `/v1/complete` envelope: every SSE event is one JSON object
 * `{code, created, data: {answer, answerDict, question, requestId, sessionId}, detail,
 * event, msg, sequence}` with an `id: <sequence>` line and no `event:` line (so
 * `EventSource.onmessage` sees them all). `message` events carry the next piece of text,
 * the `end` event the whole answer and the run trace, an `error` event the failure.
 */
import type { StreamEvent } from '../core/events.js';
import { GatewayError } from '../core/errors.js';
import type { ReasoningFormat } from '../config/schema.js';
import { ReasoningShaper, type ShapedField } from './reasoning-shaper.js';
import type { DialectNotices, StreamEncoder, WireMessage } from './types.js';

export type EnvelopeEvent = 'message' | 'end' | 'error';

/** What identifies the exchange on every event. */
export interface EnvelopeIdentity {
  question: string;
  requestId: string;
  sessionId: string;
}

export interface Envelope {
  code: number;
  created: number;
  data: { answer: string; answerDict: Record<string, unknown> } & EnvelopeIdentity;
  detail: unknown[];
  event: EnvelopeEvent;
  msg: string;
  sequence: number;
}

export interface CompleteEnvelopeEncoderOptions extends EnvelopeIdentity {
  /** `inline` (the endpoint's default) writes `<think>…</think>` into `answer`; `separate` sends thinking as `answerDict.reasoning_content`. */
  reasoningFormat: ReasoningFormat;
  /** The run trace for the `end` event's `detail`, asked for once, when the stream completed. */
  trace: (result: { answer: string; answerDict: Record<string, unknown> }) => unknown[];
  /** Unix ms for `created` (default `Date.now`). */
  now?: () => number;
}

export interface CompleteEnvelopeEncoder extends StreamEncoder {
  /** Every `answer` delta so far, concatenated: what the `end` event carries. */
  readonly answer: string;
  /** Thinking sent as `answerDict.reasoning_content` (`separate` format only). */
  readonly reasoning: string;
}

/** The `detail` of an error envelope: what failed, in words a program can branch on. */
export function errorDetail(error: GatewayError) {
  return [{ processType: 'error', processName: '错误', type: error.type, code: error.code, param: error.param }];
}

/** An error as an envelope: `code` is the HTTP status, `msg` the message. Also the body of a 4xx before streaming. */
export function errorEnvelope(error: GatewayError, identity: EnvelopeIdentity, extra: { answer?: string; sequence?: number; created?: number } = {}): Envelope {
  return {
    code: error.status,
    created: extra.created ?? Date.now(),
    data: { answer: extra.answer ?? '', answerDict: {}, ...identity },
    detail: errorDetail(error),
    event: 'error',
    msg: error.message,
    sequence: extra.sequence ?? 0,
  };
}

export function createCompleteEnvelopeEncoder(options: CompleteEnvelopeEncoderOptions): CompleteEnvelopeEncoder {
  const now = options.now ?? Date.now;
  const identity: EnvelopeIdentity = { question: options.question, requestId: options.requestId, sessionId: options.sessionId };
  // The identity never changes within a stream: serialize it once.
  const identityTail = `,"question":${JSON.stringify(identity.question)},"requestId":${JSON.stringify(identity.requestId)},"sessionId":${JSON.stringify(identity.sessionId)}}`;
  const shaper = new ReasoningShaper(options.reasoningFormat);
  let sequence = 0;
  let answer = '';
  let reasoning = '';
  let out: WireMessage[] = [];

  // The stream run numbers every message (`id:` = sequence, one event per message), so no id here.
  const message = (answerPiece: string, answerDict: string) => {
    sequence++;
    out.push({
      data: `{"code":200,"created":${now()},"data":{"answer":${JSON.stringify(answerPiece)},"answerDict":${answerDict}${identityTail},"detail":[],"event":"message","msg":"OK","sequence":${sequence}}`,
    });
  };
  const emit = (field: ShapedField, text: string) => {
    if (text.length === 0) return;
    if (field === 'content') {
      answer += text;
      message(text, '{}');
    } else {
      reasoning += text;
      message('', `{"reasoning_content":${JSON.stringify(text)}}`);
    }
  };
  const answerDict = (): Record<string, unknown> => (reasoning ? { reasoning_content: reasoning } : {});

  return {
    get answer() {
      return answer;
    },
    get reasoning() {
      return reasoning;
    },
    encode(event: StreamEvent, into: WireMessage[]): void {
      out = into;
      if (shaper.delta(event, emit)) return;
      switch (event.type) {
        case 'finish':
          shaper.finish(emit);
          break;
        case 'usage':
        case 'tool-call-delta':
          // /v1/complete takes no tools, so a model calls none through it; nothing to show.
          break;
        case 'error':
          this.error(event.error, out);
      }
    },
    end(into: WireMessage[]): void {
      out = into;
      shaper.finish(emit);
      const dict = answerDict();
      const detail = options.trace({ answer, answerDict: dict });
      sequence++;
      const envelope: Envelope = {
        code: 200,
        created: now(),
        data: { answer, answerDict: dict, ...identity },
        detail,
        event: 'end',
        msg: 'OK',
        sequence,
      };
      into.push({ data: JSON.stringify(envelope) });
    },
    error(error: GatewayError, into: WireMessage[]): void {
      sequence++;
      into.push({ data: JSON.stringify(errorEnvelope(error, identity, { answer, sequence, created: now() })) });
    },
  };
}

/**
 * `/v1/complete`'s notices: the same error envelope as an in-run failure, for a stream
 * whose identity this connection does not know beyond its request id.
 */
export const COMPLETE_NOTICES: DialectNotices = {
  resume: (streamId, retryMs) => ({
    retry: retryMs,
    data: JSON.stringify({
      ...errorEnvelope(
        new GatewayError(503, 'server_shutting_down', 'This server is restarting and another one serves the rest of this answer: reconnect with the same request and the Last-Event-ID header (EventSource does this by itself).', { code: 'resume' }),
        { question: '', requestId: streamId, sessionId: '' },
      ),
    }),
  }),
  error: (error, streamId) => ({ data: JSON.stringify(errorEnvelope(error, { question: '', requestId: streamId, sessionId: '' })) }),
};
