/**
 * One client reading a stream: frames from the local run or the log go to the SSE writer
 * until the stream ends, the client leaves, or (for a resumable stream on a shared log)
 * the server sends its clients elsewhere. A stream that can no longer be followed ends
 * with an error event in the dialect's format, never a silent truncation.
 */
import { abortWith } from '../core/abort.js';
import { GatewayError, ServiceUnavailableError, toGatewayError } from '../core/errors.js';
import { formatSseMessage } from '../core/sse.js';
import type { DialectNotices } from '../encoders/types.js';
import type { StreamFrame } from '../streams/stream-log.js';
import { StreamLostError } from '../streams/stream-log.js';
import type { SseWriter } from './sse-writer.js';

export interface ServeStreamOptions {
  streamId: string;
  writer: SseWriter;
  frames: (signal: AbortSignal) => AsyncIterable<StreamFrame[]>;
  notices: DialectNotices;
  /** Aborted when the client left. */
  clientSignal: AbortSignal;
  /**
   * Aborted when the server sends clients to resume on another instance. Only for a stream
   * another instance can follow (resumable, shared log): the notice must keep its promise.
   */
  resumeElsewhere?: AbortSignal;
  /** The `retry:` a resume notice asks for, in ms. */
  retryMs?: number;
}

export type ServeResult = 'ended' | 'client-left' | 'resume-notice' | 'failed';

export async function serveStream(options: ServeStreamOptions): Promise<ServeResult> {
  const { writer, clientSignal, resumeElsewhere } = options;
  const stop = new AbortController();
  const unlink = [abortWith(stop, clientSignal)];
  if (resumeElsewhere) unlink.push(abortWith(stop, resumeElsewhere));
  const { signal } = stop;
  try {
    for await (const batch of options.frames(signal)) {
      let text = '';
      for (const frame of batch) text += frame.text;
      if (!writer.write(text)) await writer.drained();
      if (writer.isClosed) return 'client-left';
    }
    if (clientSignal.aborted || writer.isClosed) return 'client-left';
    if (resumeElsewhere?.aborted) {
      writer.write(formatSseMessage(options.notices.resume(options.streamId, options.retryMs ?? 1000)));
      return 'resume-notice';
    }
    return 'ended';
  } catch (err) {
    if (clientSignal.aborted) return 'client-left';
    writer.write(formatSseMessage(options.notices.error(followError(err), options.streamId)));
    return 'failed';
  } finally {
    for (const fn of unlink) fn();
    writer.end();
  }
}

function followError(err: unknown): GatewayError {
  if (err instanceof StreamLostError) {
    return new ServiceUnavailableError(`${err.message}; the rest of this answer is lost. Send the request again.`, { code: 'stream_lost' });
  }
  return toGatewayError(err);
}
