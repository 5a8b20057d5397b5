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
  let out = '';
  if (message.event !== undefined) {
    assertSingleLine('event', message.event);
    out += `event: ${message.event}\n`;
  }
  if (message.id !== undefined) {
    assertSingleLine('id', message.id);
    if (message.id.includes('\0')) throw new TypeError('SSE id must not contain NUL');
    out += `id: ${message.id}\n`;
  }
  if (message.retry !== undefined) out += `retry: ${Math.max(0, Math.floor(message.retry))}\n`;
  out += formatSseData(message.data);
  return out + '\n';
}

/** `data:` lines for a payload, split on every kind of line break. */
export function formatSseData(data: string): string {
  if (data.indexOf('\n') === -1 && data.indexOf('\r') === -1) return `data: ${data}\n`;
  let out = '';
  for (const line of data.split(LINE_BREAK)) out += `data: ${line}\n`;
  return out;
}

/** A comment line: ignored by every client, keeps proxies from timing out a quiet stream. */
export function formatSseComment(text: string): string {
  assertSingleLine('comment', text);
  return `: ${text}\n\n`;
}
