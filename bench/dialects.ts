/**
 * The dialects the benchmark measures, as data: where each is asked, with which body, and
 * how its wire reads on the client: which event carries one upstream chunk's text, which
 * one ends the stream properly, which one reports a failure. The load generator parses
 * every response with a real SSE parser (`eventsource-parser`) and hands each event to its
 * dialect's `classify`.
 *
 * `classify` reads the event's JSON text with string searches, not `JSON.parse`: a heavier
 * client steals CPU from the process it measures on a small machine and flatters the
 * slower side. A search for `"key":"` is exact for these payloads because a JSON string
 * escapes every quote inside it, so the sequence only occurs where the key really is
 * (`dialects.test.ts` checks each classifier against `JSON.parse` on tricky payloads).
 */

export type EventKind = 'text' | 'end' | 'error' | 'other';

/** One SSE event as the parser gives it. */
export interface WireEvent {
  event?: string | undefined;
  data: string;
}

/** How a stream's events read: the chunk that carries text, the end marker, a failure. */
export interface Wire {
  classify(e: WireEvent): EventKind;
  /** The dialect's end marker, for the report. */
  endMarker: string;
}

export interface Dialect {
  /** As given to `--dialects`, and the key of its rows in `latest.json`. */
  id: string;
  label: string;
  path: string;
  body(model: string, question: string): Record<string, unknown>;
  wire: Wire;
  /** A client that leaves stops the run (not resumable): the stop phase measures these. */
  stopsOnLeave: boolean;
}

/** `"key":"` followed by at least one character of the value: a non-empty string value. */
export function nonEmptyString(data: string, key: string): boolean {
  const needle = `"${key}":"`;
  const at = data.indexOf(needle);
  return at !== -1 && at + needle.length < data.length && data.charCodeAt(at + needle.length) !== 34;
}

/** The string value of the last `"key":"…"` in `data` (the top-level one when it comes last), or undefined. */
export function lastStringValue(data: string, key: string): string | undefined {
  const needle = `"${key}":"`;
  const at = data.lastIndexOf(needle);
  if (at === -1) return undefined;
  const from = at + needle.length;
  const to = data.indexOf('"', from);
  return to === -1 ? undefined : data.slice(from, to);
}

const ERROR_OBJECT = /^\{\s*"error"\s*:/;

/** OpenAI chat chunks (the upstream's own wire, chat completions and lm-v2): `data: [DONE]` ends. */
export const CHAT_WIRE: Wire = {
  endMarker: 'data: [DONE]',
  classify(e) {
    if (e.data === '[DONE]') return 'end';
    if (ERROR_OBJECT.test(e.data)) return 'error';
    return nonEmptyString(e.data, 'content') ? 'text' : 'other';
  },
};

/** `/v1/complete` envelopes: `event` `message` with a piece of `answer`, then `end` (or `error`). */
export const COMPLETE_WIRE: Wire = {
  endMarker: 'envelope event "end"',
  classify(e) {
    // The envelope's own `event` comes after `data` and `detail`; nothing after it has that key.
    const kind = lastStringValue(e.data, 'event');
    if (kind === 'end') return 'end';
    if (kind === 'error') return 'error';
    return kind === 'message' && nonEmptyString(e.data, 'answer') ? 'text' : 'other';
  },
};

/** Responses events: `response.output_text.delta` carries text; `response.completed` ends. */
export const RESPONSES_WIRE: Wire = {
  endMarker: 'event: response.completed',
  classify(e) {
    switch (e.event) {
      case 'response.output_text.delta':
        return nonEmptyString(e.data, 'delta') ? 'text' : 'other';
      case 'response.completed':
        return 'end';
      case 'response.failed':
      case 'response.incomplete':
      case 'error':
        return 'error';
      default:
        return 'other';
    }
  },
};

/** Anthropic Messages events: a `content_block_delta` of type `text_delta` carries text; `message_stop` ends. */
export const MESSAGES_WIRE: Wire = {
  endMarker: 'event: message_stop',
  classify(e) {
    switch (e.event) {
      case 'content_block_delta':
        return e.data.includes('"type":"text_delta"') && nonEmptyString(e.data, 'text') ? 'text' : 'other';
      case 'message_stop':
        return 'end';
      case 'error':
        return 'error';
      default:
        return 'other';
    }
  },
};

/** A heartbeat: the `: ping` comment of most dialects, or Anthropic's `event: ping`. */
export function isHeartbeat(e: WireEvent | { comment: string }): boolean {
  return 'comment' in e ? e.comment.trim() === 'ping' : e.event === 'ping';
}

const chatMessages = (question: string) => [{ role: 'user', content: question }];

export const DIALECTS: readonly Dialect[] = [
  {
    id: 'chat',
    label: 'chat completions',
    path: '/v1/chat/completions',
    body: (model, q) => ({ model, messages: chatMessages(q), stream: true }),
    wire: CHAT_WIRE,
    stopsOnLeave: true,
  },
  {
    id: 'chat-resumable',
    label: 'chat completions, resumable',
    path: '/v1/chat/completions',
    body: (model, q) => ({ model, messages: chatMessages(q), stream: true, resumable: true }),
    wire: CHAT_WIRE,
    stopsOnLeave: false,
  },
  {
    id: 'lm-v2',
    label: 'lm-v2 chat completions',
    path: '/lm/v2/chat/completions',
    // One user message: an odd number, alternating roles; temperature and top_p take the dialect's defaults.
    body: (model, q) => ({ model, messages: chatMessages(q), stream: true }),
    wire: CHAT_WIRE,
    stopsOnLeave: true,
  },
  {
    id: 'complete',
    label: '/v1/complete (resumable, its default)',
    path: '/v1/complete',
    // A new session per request (no sessionId): the turn is saved as it streams, as shipped.
    body: (model, q) => ({ model, question: q }),
    wire: COMPLETE_WIRE,
    stopsOnLeave: false,
  },
  {
    id: 'complete-nonresumable',
    label: '/v1/complete, resumable=false',
    path: '/v1/complete',
    body: (model, q) => ({ model, question: q, resumable: false }),
    wire: COMPLETE_WIRE,
    stopsOnLeave: true,
  },
  {
    id: 'responses',
    label: 'responses, stream',
    path: '/v1/responses',
    // `store` left at its default (true): the response is saved at its end, as shipped.
    body: (model, q) => ({ model, input: q, stream: true }),
    wire: RESPONSES_WIRE,
    stopsOnLeave: true,
  },
  {
    id: 'messages',
    label: 'messages (Anthropic), stream',
    path: '/v1/messages',
    body: (model, q) => ({ model, max_tokens: 64_000, messages: chatMessages(q), stream: true }),
    wire: MESSAGES_WIRE,
    stopsOnLeave: true,
  },
];

/** The dialects named in `list` (comma-separated ids, or `all`), in the order of `DIALECTS`. */
export function selectDialects(list: string): Dialect[] {
  const names = list.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.includes('all')) return [...DIALECTS];
  const unknown = names.filter((n) => !DIALECTS.some((d) => d.id === n));
  if (unknown.length > 0) throw new Error(`unknown dialect ${unknown.map((n) => JSON.stringify(n)).join(', ')} (known: ${DIALECTS.map((d) => d.id).join(', ')}, all)`);
  if (names.length === 0) throw new Error('--dialects needs at least one dialect');
  return DIALECTS.filter((d) => names.includes(d.id));
}
