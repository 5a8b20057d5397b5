/** `POST /v1/chat/completions`: OpenAI's chat completions, streaming and not. */
import type { RequestHandler } from 'express';
import { OPENAI_FINISH_REASONS } from '../../encoders/chat-chunk-encoder.js';
import type { AppContext } from '../app-context.js';
import { serveChat, type ChatDialect } from '../serve-chat.js';
import { openAIChatRequestSchema, toChatRequest } from '../schemas/openai-chat.js';
import { parseRequest } from '../validation.js';

const OPENAI_DIALECT: ChatDialect = { endpoint: 'chat.completions', finishReasons: OPENAI_FINISH_REASONS, roleInEveryDelta: false };

export function chatCompletions(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const body = parseRequest(openAIChatRequestSchema, req.body);
    await serveChat({
      ctx,
      res,
      dialect: OPENAI_DIALECT,
      model: body.model,
      request: toChatRequest(body),
      stream: body.stream === true,
      resumable: body.resumable === true,
      includeUsage: body.stream_options?.include_usage === true,
      reasoningFormat: body.reasoning_format ?? ctx.config.reasoningFormat,
    });
  };
}
