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
import type { StreamRun } from '../streams/stream-run.js';
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

/**
 * How much wire text may wait for a slow client before its run's upstream is paused: well
 * above the socket's high-water mark (16 KiB), so a burst does not stall the upstream, and
 * bounded, so a client that stops reading does not fill memory.
 */
const HOLD_AT = 256 * 1024;

export interface ServeRunOptions {
  streamId: string;
  writer: SseWriter;
  /** The run on this instance: its frames come to the writer from its own `publish`. */
  run: StreamRun;
  notices: DialectNotices;
  /** As in `ServeStreamOptions`. */
  resumeElsewhere?: AbortSignal;
  retryMs?: number;
}

/**
 * The live client of a run on this instance: a listener on its frames rather than a
 * generator, so a batch goes from the run to the socket with no promise in between. A
 * full socket holds the run's model back (its upstream body is paused) until it drains;
 * the client leaving is the writer closing.
 */
export function serveRun(options: ServeRunOptions): Promise<ServeResult> {
  const { writer, run, resumeElsewhere } = options;
  return new Promise((resolve) => {
    let done = false;
    let holding = false;
    let unlisten: (() => void) | undefined;
    const release = () => {
      if (!holding) return;
      holding = false;
      run.release();
    };
    const finish = (result: ServeResult) => {
      if (done) return;
      done = true;
      unlisten?.();
      release();
      resumeElsewhere?.removeEventListener('abort', onResume);
      writer.end();
      resolve(result);
    };
    const onResume = () => {
      writer.write(formatSseMessage(options.notices.resume(options.streamId, options.retryMs ?? 1000)));
      finish('resume-notice');
    };
    writer.onClose(() => finish('client-left'));
    if (done) return;
    if (resumeElsewhere?.aborted) return onResume();
    resumeElsewhere?.addEventListener('abort', onResume, { once: true });
    const stopListening = run.listen(0, {
      frames: (text) => {
        // Past the socket's high-water mark the text waits in its buffer; only past HOLD_AT is the model held back.
        if (writer.write(text) || holding || writer.queued < HOLD_AT) return;
        holding = true;
        run.hold();
        writer.onDrain(release);
      },
      end: () => finish('ended'),
    });
    if (done) stopListening();
    else unlisten = stopListening;
  });
}

function followError(err: unknown): GatewayError {
  if (err instanceof StreamLostError) {
    return new ServiceUnavailableError(`${err.message}; the rest of this answer is lost. Send the request again.`, { code: 'stream_lost' });
  }
  return toGatewayError(err);
}
