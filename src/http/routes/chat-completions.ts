/** `POST /v1/chat/completions`: OpenAI's chat completions, streaming and not. */
import type { RequestHandler } from 'express';
import { collectCompletion } from '../../encoders/collect.js';
import { createChatChunkEncoder, OPENAI_FINISH_REASONS, usageToOpenAI } from '../../encoders/chat-chunk-encoder.js';
import { openStream } from '../../models/open-stream.js';
import type { AppContext } from '../app-context.js';
import { abortOnClose, randomId } from '../request-context.js';
import { runStream } from '../run-stream.js';
import { openAIChatRequestSchema, toChatRequest } from '../schemas/openai-chat.js';
import { parseRequest } from '../validation.js';

export function chatCompletions(ctx: AppContext): RequestHandler {
  return async (req, res) => {
    const body = parseRequest(openAIChatRequestSchema, req.body);
    ctx.registry.resolve(body.model);
    const request = toChatRequest(body);
    const reasoningFormat = body.reasoning_format ?? ctx.config.reasoningFormat;
    const controller = abortOnClose(res);
    const id = `chatcmpl-${randomId()}`;
    const created = Math.floor(Date.now() / 1000);
    const open = async () => (await openStream({ registry: ctx.registry, model: body.model, request, signal: controller.signal })).events;

    if (body.stream) {
      const encoder = createChatChunkEncoder({
        id,
        created,
        model: body.model,
        reasoningFormat,
        includeUsage: body.stream_options?.include_usage === true,
        finishReasons: OPENAI_FINISH_REASONS,
      });
      await runStream({ res, open, encoder, signal: controller.signal, heartbeatMs: ctx.config.heartbeatMs });
      return;
    }

    const result = await collectCompletion(await open(), reasoningFormat);
    res.json({
      id,
      object: 'chat.completion',
      created,
      model: body.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: result.content,
            ...(result.reasoning !== null ? { reasoning_content: result.reasoning } : {}),
            refusal: null,
          },
          logprobs: null,
          finish_reason: OPENAI_FINISH_REASONS[result.finishReason],
        },
      ],
      usage: usageToOpenAI(result.usage),
    });
  };
}
