/**
 * `GET /v1/streams/:id`: resume any stream (every dialect) after the event id in the
 * `Last-Event-ID` header (what `EventSource` sends on its own) or the `last_event_id`
 * query parameter; without either, from the start. Replays what the client missed, then
 * follows live, from this instance's run or from the shared log.
 */
import { CLIENT_LEFT } from '../../core/abort.js';
import type { Request, RequestHandler, Response } from 'express';
import { InvalidRequestError, NotFoundError } from '../../core/errors.js';
import { formatSseComment } from '../../core/sse.js';
import { noticesFor } from '../../encoders/stream-notices.js';
import type { StreamSource } from '../../streams/stream-hub.js';
import type { AppContext } from '../app-context.js';
import { serveStream } from '../serve-stream.js';
import { SseWriter } from '../sse-writer.js';
import { targetOwner } from '../owner.js';

const STREAM_ID = /^[A-Za-z0-9_\-.:@]{1,128}$/;

/** The event id a client saw last: a non-negative integer (0 = from the start). */
export function lastEventIdOf(req: Request): number {
  const header = req.get('last-event-id');
  const query = typeof req.query.last_event_id === 'string' ? req.query.last_event_id : undefined;
  const raw = (header ?? query ?? '').trim();
  if (raw === '') return 0;
  if (!/^\d{1,15}$/.test(raw)) {
    throw new InvalidRequestError(`Last-Event-ID must be the number of the last event received (an integer >= 0), got "${raw.slice(0, 40)}"`, {
      param: header !== undefined ? 'Last-Event-ID' : 'last_event_id',
      code: 'invalid_last_event_id',
    });
  }
  return Number(raw);
}

/**
 * Serves stream `id` to this client after its last event id; 404 when the stream does not
 * exist, expired, cannot be resumed, or belongs to another key (the same answer, so ids
 * cannot be probed).
 */
export async function resumeInto(ctx: AppContext, req: Request, res: Response, id: string): Promise<void> {
  if (!STREAM_ID.test(id)) throw new InvalidRequestError('stream id is malformed', { param: 'id', code: 'invalid_stream_id' });
  lastEventIdOf(req);
  const source = await ctx.streams.find(id, targetOwner(req, res));
  if (!source) throw new NotFoundError(`No stream "${id}": it does not exist, has expired, or was not started with "resumable": true.`, { param: 'id', code: 'stream_not_found' });
  await serveResume(ctx, req, res, id, source);
}

/**
 * Replays `source` after the request's `Last-Event-ID`, then follows it live. A stream that
 * ended with nothing after that id is a 204: EventSource stops reconnecting on it, where
 * an empty 200 would have it come back every few seconds.
 */
export async function serveResume(ctx: AppContext, req: Request, res: Response, id: string, source: StreamSource): Promise<void> {
  await serveFramesAfter({ ctx, res, id, source, afterSeq: lastEventIdOf(req) });
}

/** Serves a found stream to this client: its frames after `afterSeq`, then live ones until it ends (a 204 when nothing is left). */
export async function serveFramesAfter(options: { ctx: AppContext; res: Response; id: string; source: StreamSource; afterSeq: number }): Promise<void> {
  const { ctx, res, id, source, afterSeq } = options;
  if (await source.endedBy(afterSeq)) {
    endWithNoContent(res);
    return;
  }
  const clientLeft = new AbortController();
  res.once('close', () => clientLeft.abort(CLIENT_LEFT));
  const writer = new SseWriter(res, { heartbeatMs: ctx.config.heartbeatMs, stalledClientMs: ctx.config.limits.stalledClientMs, headers: { 'X-Stream-Id': id } });
  // Sends the headers now, as a comment line that no client takes for an event.
  writer.write(formatSseComment(`resuming after event ${afterSeq}`));
  await serveStream({
    streamId: id,
    writer,
    frames: (signal) => source.frames(afterSeq, signal),
    notices: noticesFor(source.meta.endpoint),
    clientSignal: clientLeft.signal,
    resumeElsewhere: ctx.streams.shutdownSignal,
  });
}

/** `204 No Content` with the event-stream type: the SSE way of saying "nothing more, do not reconnect". */
export function endWithNoContent(res: Response): void {
  res.status(204).set({ 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-cache, no-transform' }).end();
}

export function resumeStream(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    await resumeInto(ctx, req, res, String(req.params.id));
  };
}

/**
 * `DELETE /v1/streams/:id`: cancel a running stream at once (the model stops, nothing waits
 * for a resume). 200 when the run was here and is cancelled; with a shared store, 202 when
 * it is another instance's: the cancel is published and that instance stops it.
 */
export function cancelStream(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const id = String(req.params.id);
    if (!STREAM_ID.test(id)) throw new InvalidRequestError('stream id is malformed', { param: 'id', code: 'invalid_stream_id' });
    const owner = targetOwner(req, res);
    if (ctx.streams.cancel(id, owner)) {
      res.json({ id, object: 'stream', cancelled: true });
      return;
    }
    // Another key's stream is not even looked at, as on GET.
    const cancels = ctx.stores.cancels;
    const source = cancels ? await ctx.streams.find(id, owner) : null;
    // A stream that already ended (kept only for resuming) has nothing left to cancel, as on this instance.
    // (Reads the stream's frames to find its end marker: a DELETE is rare and one stream is small.)
    const ended = source ? await source.ended() : true;
    if (!cancels || !source || ended) {
      throw new NotFoundError(`No running stream "${id}" on this server.`, { param: 'id', code: 'stream_not_found' });
    }
    await cancels.publish(id, owner);
    res.status(202).json({ id, object: 'stream', cancelled: false, forwarded: true });
  };
}
