/**
 * Per-connection events that are not part of a stream (so they carry no `id:` and are
 * never replayed): the "resume elsewhere" notice at shutdown, and the error a resuming
 * client gets when the stream cannot be followed any more. One entry per endpoint's wire
 * format, keyed by the endpoint name a stream is registered with.
 */
import { toOpenAIErrorBody, type GatewayError } from '../core/errors.js';
import { formatSseMessage } from '../core/sse.js';

export interface StreamNotices {
  /** Tells the client to reconnect with `Last-Event-ID` (an SSE `retry:` sets how soon). */
  resume(streamId: string, retryMs: number): string;
  /** A final error in the endpoint's format. */
  error(error: GatewayError, streamId: string): string;
}

/** Where a client resumes any stream. */
export function resumePath(streamId: string): string {
  return `/v1/streams/${encodeURIComponent(streamId)}`;
}

const openAINotices: StreamNotices = {
  resume: (streamId, retryMs) =>
    formatSseMessage({
      retry: retryMs,
      data: JSON.stringify({
        error: {
          message: `This server is restarting. Reconnect to GET ${resumePath(streamId)} with the Last-Event-ID header to get the rest of the answer.`,
          type: 'server_shutting_down',
          param: null,
          code: 'resume',
          stream_id: streamId,
        },
      }),
    }),
  error: (error, streamId) => formatSseMessage({ data: JSON.stringify({ error: { ...toOpenAIErrorBody(error).error, stream_id: streamId } }) }),
};

/** `/v1/complete`: the user's envelope, `event: "error"` with a non-200 code. */
const completeNotices: StreamNotices = {
  resume: (streamId, retryMs) =>
    formatSseMessage({
      retry: retryMs,
      data: JSON.stringify({
        code: 503,
        created: Date.now(),
        data: { answer: '', answerDict: {}, question: '', requestId: streamId, sessionId: '' },
        detail: [{ type: 'server_shutting_down', code: 'resume', stream_id: streamId }],
        event: 'error',
        msg: `This server is restarting. Reconnect to GET /v1/complete?requestId=${encodeURIComponent(streamId)} with the Last-Event-ID header (EventSource does this by itself) to get the rest of the answer.`,
        sequence: 0,
      }),
    }),
  error: (error, streamId) =>
    formatSseMessage({
      data: JSON.stringify({
        code: error.status,
        created: Date.now(),
        data: { answer: '', answerDict: {}, question: '', requestId: streamId, sessionId: '' },
        detail: [{ type: error.type, code: error.code, param: error.param }],
        event: 'error',
        msg: error.message,
        sequence: 0,
      }),
    }),
};

/** Endpoint name → its notices; endpoints add their own entry. */
export const STREAM_NOTICES: Record<string, StreamNotices> = {
  'chat.completions': openAINotices,
  'lm-v2': openAINotices,
  complete: completeNotices,
};

export function noticesFor(endpoint: string): StreamNotices {
  return STREAM_NOTICES[endpoint] ?? openAINotices;
}
