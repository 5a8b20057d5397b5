/**
 * Server-Sent Events framing, pure: no sockets here (the writer in `http/sse-writer.ts`
 * adds them). Follows the WHATWG "event stream" format: a field per line, an event ends
 * with a blank line, multi-line data is several `data:` lines.
 */

export interface SseMessage {
  data: string;
  event?: string;
  id?: string;
  /** Reconnection time the client should use, in ms. */
  retry?: number;
}

const LINE_BREAK = /\r\n|\r|\n/;

/** Rejects what would let a value break out of its field and forge events or headers. */
export function assertSingleLine(field: string, value: string): void {
  if (value.includes('\n') || value.includes('\r')) {
    throw new TypeError(`SSE ${field} must not contain CR or LF`);
  }
}

/**
 * One event as wire text. JSON never contains raw line breaks, so the common case is a
 * single `indexOf` pass and one concatenation; only real multi-line data is split.
 */
export function formatSseMessage(message: SseMessage): string {
  return formatWith(message, message.id);
}

/** A numbered frame: `message` with `id` as its id (no copy of the message per frame). */
export function formatSseFrame(message: SseMessage, id: string): string {
  return formatWith(message, id);
}

function formatWith(message: SseMessage, id: string | undefined): string {
  let out = '';
  if (message.event !== undefined) {
    assertSingleLine('event', message.event);
    out += `event: ${message.event}\n`;
  }
  out += formatSseData(message.data);
  // `id:` after the data, so a client that looks for a leading `event:` or `data:` line still works.
  if (id !== undefined) {
    assertSingleLine('id', id);
    if (id.includes('\0')) throw new TypeError('SSE id must not contain NUL');
    out += `id: ${id}\n`;
  }
  if (message.retry !== undefined) out += `retry: ${Math.max(0, Math.floor(message.retry))}\n`;
  return out + '\n';
}

/** `data:` lines for a payload, split on every kind of line break. */
export function formatSseData(data: string): string {
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) return `data: ${data}\n`;
  let out = '';
  for (const line of data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return out;
}

/**
 * A comment line, and deliberately no blank line after it: a blank line ends an event, and
 * several decoders dispatch one at every blank line once they have seen an `id:` field
 * (openai-python's `SSEDecoder`, which then calls `json.loads("")`) or always
 * (`@microsoft/fetch-event-source`, whose `onmessage` then gets empty data). A lone comment
 * line is skipped by every decoder and still moves bytes, which is all a proxy's idle timer
 * or a client's read timeout looks at.
 */
export function formatSseComment(text: string): string {
  assertSingleLine('comment', text);
  return `: ${text}\n`;
}

/** What a quiet stream sends every `heartbeatMs`: see `formatSseComment`. */
export const SSE_HEARTBEAT = formatSseComment('ping');
