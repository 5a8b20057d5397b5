/** A non-streaming answer of the Responses and Messages routes: the whole stream through the encoder that builds it. */
import type { EventStream } from '../core/events.js';
import { encodeWhole } from '../encoders/encode-whole.js';
import type { StreamEncoder } from '../encoders/types.js';
import type { Response } from 'express';
import type { StreamObserver } from '../streams/stream-run.js';
import { observeEvents } from './record-stream.js';
import { abortOnClose } from './request-context.js';

/**
 * False when the client left before the answer was whole (nobody to answer, and not a
 * failure); throws the stream's error. `observer` (the usage recorder) sees the answer as a
 * stream's observers do, so a collected answer is counted like a streamed one.
 */
export async function encodeAnswer(res: Response, encoder: StreamEncoder, open: (signal: AbortSignal) => Promise<EventStream>, observer: StreamObserver): Promise<boolean> {
  const controller = abortOnClose(res);
  try {
    await encodeWhole(encoder, observeEvents(() => open(controller.signal), observer, controller.signal));
    return true;
  } catch (err) {
    if (controller.signal.aborted) return false;
    throw err;
  }
}
