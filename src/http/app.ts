/** The Express app: middleware, routes and error handling. Express lives only in `http/`. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type { AppContext } from './app-context.js';
import { authenticate, keyOf } from './auth.js';
import { errorHandler, methodNotAllowed, notFound, requireJson } from './errors.js';
import { verifyJsonDepth } from './json-depth.js';
import { limitRequests } from './rate-limit.js';
import { requestIdOf } from './request-context.js';
import { chatCompletions } from './routes/chat-completions.js';
import { lmV2ChatCompletions } from './routes/lm-v2-chat-completions.js';
import { getModel, listModels } from './routes/models.js';

/** `web/dist` of the package, where the chat page is built. */
export const WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export function createApp(ctx: AppContext): Express {
  const { config, logger } = ctx;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use((req, res, next) => {
    const requestId = requestIdOf(req);
    res.locals.requestId = requestId;
    res.set('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.once('close', () => {
      logger.info(
        {
          requestId,
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          finished: res.writableFinished,
          key: keyOf(res)?.fingerprint,
        },
        'request',
      );
    });
    next();
  });

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });

  const json = express.json({ limit: config.bodyLimitBytes, strict: true, type: 'application/json', verify: verifyJsonDepth() });

  // Every API endpoint; the chat page, static files and /healthz stay open.
  app.use(['/v1', '/lm'], authenticate(config, logger), limitRequests(ctx.rateLimits));

  app.post('/v1/chat/completions', requireJson, json, chatCompletions(ctx));
  app.all('/v1/chat/completions', methodNotAllowed('POST'));
  app.post('/lm/v2/chat/completions', requireJson, json, lmV2ChatCompletions(ctx));
  app.all('/lm/v2/chat/completions', methodNotAllowed('POST'));
  app.get('/v1/models', listModels(ctx));
  app.get('/v1/models/:id', getModel(ctx));

  if (existsSync(WEB_ROOT)) app.use(express.static(WEB_ROOT, { index: 'index.html', maxAge: '1h' }));
  app.use(notFound);
  app.use(errorHandler(logger, config.bodyLimitBytes));
  return app;
}
