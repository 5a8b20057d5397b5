/**
 * `POST /lm/v2/chat/completions`: the user's dialect (`lm-v2-chat-completions.md`).
 * OpenAI's chunks with `finish_reason` `normal`/`stop`/`length`, the role in every delta,
 * and the thinking inline in `content` unless the request asks otherwise.
 */
import type { RequestHandler } from 'express';
import { LM_V2_FINISH_REASONS } from '../../encoders/chat-chunk-encoder.js';
import type { AppContext } from '../app-context.js';
import { serveChat, type ChatDialect } from '../serve-chat.js';
import { lmV2ChatRequestSchema, toLmV2ChatRequest } from '../schemas/lm-v2-chat.js';
import { parseRequest } from '../validation.js';

const LM_V2_DIALECT: ChatDialect = { endpoint: 'lm-v2', finishReasons: LM_V2_FINISH_REASONS, roleInEveryDelta: true };

export function lmV2ChatCompletions(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const body = parseRequest(lmV2ChatRequestSchema, req.body);
    await serveChat({
      ctx,
      res,
      dialect: LM_V2_DIALECT,
      model: body.model,
      request: toLmV2ChatRequest(body),
      stream: body.stream === true,
      resumable: body.resumable === true,
      includeUsage: body.stream_options?.include_usage === true,
      reasoningFormat: body.reasoning_format ?? 'inline',
    });
  };
}
