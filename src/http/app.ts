/** The Express app: middleware, routes and error handling. Express lives only in `http/`. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import express, { type Express } from 'express';
import type { AppContext } from './app-context.js';
import { authenticate, keyOf } from './auth.js';
import { cors } from './cors.js';
import { checkHost, refuseCrossSite } from './local-only.js';
import { errorHandler, methodNotAllowed, notFound, openAIErrorBody, requireJson } from './errors.js';
import { bodyTimeout } from './body-timeout.js';
import { health } from './health.js';
import { securityHeaders, setPageHeaders } from './security-headers.js';
import { verifyQuery } from './verify-query.js';
import { verifyJsonBody } from './verify-json-body.js';
import { limitRequests } from './rate-limit.js';
import { endpointOf, requestIdOf } from './request-context.js';
import { chatCompletions } from './routes/chat-completions.js';
import { COMPLETE_PATH, completeErrorBody, completeErrorHandler, completeRouter } from './routes/complete.js';
import { lmV2ChatCompletions } from './routes/lm-v2-chat-completions.js';
import { metricsEndpoint } from './routes/metrics.js';
import { usageEndpoint } from './routes/usage.js';
import { getModel, listModels } from './routes/models.js';
import { listDeployments } from './routes/deployments.js';
import { requireAdmin } from './owner.js';
import { deleteSession, getSession, listSessions, patchSession } from './routes/sessions.js';
import { cancelStream, resumeStream } from './routes/resume-stream.js';
import { cancelResponse, createResponse, deleteResponse, getResponse } from './routes/responses.js';
import { countMessageTokens, createMessage, MESSAGES_PATH, messagesErrorHandler } from './routes/messages.js';

/** `web/dist` of the package, where the chat page is built. */
export const WEB_ROOT = fileURLToPath(new URL('../../web/dist/', import.meta.url));

export function createApp(ctx: AppContext): Express {
  const { config, logger, metrics } = ctx;
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
      const endpoint = endpointOf(req);
      const model = (res.locals.model as string | undefined) ?? '';
      metrics.request({ endpoint, model, status: res.statusCode });
      const level = quietRequest(req.method, endpoint, res.statusCode) ? 'debug' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      logger[level](
        {
          // A route may name the request itself (`/v1/complete`'s requestId): the one in X-Request-Id.
          requestId: res.locals.requestId as string,
          method: req.method,
          path: pathOf(req.originalUrl),
          endpoint,
          model,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          finished: res.writableFinished,
          key: keyOf(res)?.fingerprint,
          // The deployments that served the answer (several after a continuation).
          ...(res.locals.deployments ? { deployments: (res.locals.deployments as { deployment: { id: string } }[]).map((l) => l.deployment.id) } : {}),
        },
        'request',
      );
    });
    next();
  });
  app.use(securityHeaders);
  app.use(bodyTimeout(config.limits.bodyTimeoutMs, (error, req) => (req.path === COMPLETE_PATH ? completeErrorBody(error, req) : openAIErrorBody(error, req))));

  // Without keys, only local names and this server's own pages (local-only.ts).
  if (!config.auth) app.use(checkHost({ host: config.host, allowedHosts: config.allowedHosts }));
  // Before auth: a browser's preflight never carries the key.
  app.use(cors(config.cors));

  app.get('/healthz', (_req, res) => {
    const { status, body } = health(ctx);
    res.status(status).json(body);
  });
  app.get('/metrics', ...metricsEndpoint(ctx));

  const json = express.json({ limit: config.bodyLimitBytes, strict: true, type: 'application/json', verify: verifyJsonBody() });

  // Every API endpoint; the chat page, static files and /healthz stay open.
  app.use(['/v1', '/lm'], authenticate(config, logger), verifyQuery, limitRequests(ctx.rateLimits));
  if (!config.auth) app.use(['/v1', '/lm'], refuseCrossSite(config.cors.origins));

  app.post('/v1/chat/completions', requireJson, json, chatCompletions(ctx));
  app.all('/v1/chat/completions', methodNotAllowed('POST'));
  app.post('/lm/v2/chat/completions', requireJson, json, lmV2ChatCompletions(ctx));
  app.all('/lm/v2/chat/completions', methodNotAllowed('POST'));
  app.post('/v1/responses', requireJson, json, createResponse(ctx));
  app.all('/v1/responses', methodNotAllowed('POST'));
  app.get('/v1/responses/:id', getResponse(ctx));
  app.delete('/v1/responses/:id', deleteResponse(ctx));
  app.all('/v1/responses/:id', methodNotAllowed('GET, DELETE'));
  app.post('/v1/responses/:id/cancel', cancelResponse(ctx));
  app.all('/v1/responses/:id/cancel', methodNotAllowed('POST'));
  app.post(MESSAGES_PATH, requireJson, json, createMessage(ctx));
  app.all(MESSAGES_PATH, methodNotAllowed('POST'));
  app.post(`${MESSAGES_PATH}/count_tokens`, requireJson, json, countMessageTokens(ctx));
  app.all(`${MESSAGES_PATH}/count_tokens`, methodNotAllowed('POST'));
  app.use(MESSAGES_PATH, notFound, messagesErrorHandler(ctx));
  app.get('/v1/streams/:id', resumeStream(ctx));
  app.delete('/v1/streams/:id', cancelStream(ctx));
  app.all('/v1/streams/:id', methodNotAllowed('GET, DELETE'));
  app.get('/v1/usage', usageEndpoint(ctx));
  app.all('/v1/usage', methodNotAllowed('GET'));
  app.get('/v1/models', listModels(ctx));
  app.get('/v1/models/:id', getModel(ctx));
  app.get('/v1/deployments', requireAdmin, listDeployments(ctx));
  app.all('/v1/deployments', methodNotAllowed('GET'));
  app.use(completeRouter(ctx));
  app.use(COMPLETE_PATH, completeErrorHandler(ctx));
  app.get('/v1/sessions', listSessions(ctx));
  app.get('/v1/sessions/:id', getSession(ctx));
  app.patch('/v1/sessions/:id', requireJson, json, patchSession(ctx));
  app.delete('/v1/sessions/:id', deleteSession(ctx));

  if (existsSync(WEB_ROOT)) app.use(
      express.static(WEB_ROOT, {
        index: 'index.html',
        maxAge: '1h',
        // The page names hashed assets: it must be revalidated, or a rebuild leaves browsers on dead asset names.
        setHeaders: (res, path) => {
          if (path.endsWith('.html')) res.setHeader('Cache-Control', 'no-cache');
          setPageHeaders(res, path);
        },
      }),
    );
  app.use(notFound);
  app.use(errorHandler(logger, config.bodyLimitBytes));
  return app;
}

/** Polling (`/healthz`, `/metrics`) and static files that were served: debug lines, so the info log shows the API traffic. */
function quietRequest(method: string, endpoint: string, status: number): boolean {
  if (endpoint === '/healthz' || endpoint === '/metrics') return true;
  return endpoint === 'other' && (method === 'GET' || method === 'HEAD') && status < 400;
}

/** The path without the query (which may hold `api_key`), whatever router it reached. */
function pathOf(originalUrl: string): string {
  const q = originalUrl.indexOf('?');
  return q === -1 ? originalUrl : originalUrl.slice(0, q);
}
