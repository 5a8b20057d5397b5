/**
 * Dialect name (what a stream is registered with) → that dialect's notices, which its
 * encoder module owns. A dialect that registers streams adds its entry here.
 */
import { OPENAI_NOTICES } from './chat-chunk-encoder.js';
import { COMPLETE_NOTICES } from './complete-envelope-encoder.js';
import { MESSAGES_NOTICES } from './messages-encoder.js';
import { RESPONSES_NOTICES } from './responses-encoder.js';
import type { DialectNotices } from './types.js';

export const STREAM_NOTICES: Record<string, DialectNotices> = {
  'chat.completions': OPENAI_NOTICES,
  'lm-v2': OPENAI_NOTICES,
  complete: COMPLETE_NOTICES,
  responses: RESPONSES_NOTICES,
  messages: MESSAGES_NOTICES,
};

export function noticesFor(endpoint: string): DialectNotices {
  return STREAM_NOTICES[endpoint] ?? OPENAI_NOTICES;
}
