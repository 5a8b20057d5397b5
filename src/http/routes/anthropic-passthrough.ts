/**
 * `/v1/messages` in front of an Anthropic upstream: the request goes to Claude as the
 * client wrote it (unknown fields, `cache_control`, `thinking`, server tools, and the
 * `anthropic-beta` / `anthropic-version` headers included; only `model` becomes the
 * upstream's name) and Claude's events come back as they are, signatures and all, so
 * nothing is lost by going through streamgate. Failures before the first event are typed
 * errors (Anthropic's shape through the route's error handler); a failure after it is an
 * `event: error`.
 */
import type { Request, Response } from 'express';
import { CLIENT_LEFT } from '../../core/abort.js';
import { toGatewayError } from '../../core/errors.js';
import { formatSseMessage } from '../../core/sse.js';
import { anthropicError } from '../../encoders/anthropic-errors.js';
import type { ModelRoute } from '../../models/registry.js';
import { SseProvider } from '../../providers/http/sse-provider.js';
import type { AppContext } from '../app-context.js';
import { holdStreamSlot } from '../rate-limit.js';
import { abortOnClose } from '../request-context.js';
import { SseWriter } from '../sse-writer.js';

/** Client headers that belong to Anthropic's API and go on to Claude. */
const FORWARDED_HEADERS = ['anthropic-beta', 'anthropic-version'];

function claudeOf(route: ModelRoute): SseProvider | undefined {
  return route.provider instanceof SseProvider && route.provider.wire === 'anthropic' ? route.provider : undefined;
}

function forwardedHeaders(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of FORWARDED_HEADERS) {
    const value = req.get(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

export interface RelayMessagesOptions {
  ctx: AppContext;
  req: Request;
  res: Response;
  route: ModelRoute;
  /** The body as the client sent it. */
  body: Record<string, unknown>;
  /** The heartbeat's wire text. */
  ping: string;
}

/** Relays the request when the model is Claude; false (nothing done) for any other model. */
export async function relayMessages(options: RelayMessagesOptions): Promise<boolean> {
  const claude = claudeOf(options.route);
  if (!claude) return false;
  const { ctx, req, res, route } = options;
  const body: Record<string, unknown> = { ...route.params, ...options.body, model: route.upstreamModel };
  delete body.sim;
  const controller = abortOnClose(res);
  const headers = forwardedHeaders(req);
  if (body.stream !== true) {
    res.json(await claude.relayJson({ body, headers, signal: controller.signal }));
    return true;
  }
  const releaseSlot = await holdStreamSlot(ctx.rateLimits, res);
  try {
    const messages = await claude.relayStream({ body, headers, signal: controller.signal });
    const writer = new SseWriter(res, { heartbeatMs: ctx.config.heartbeatMs, stalledClientMs: ctx.config.limits.stalledClientMs, heartbeat: options.ping });
    res.once('close', () => controller.abort(CLIENT_LEFT));
    try {
      for await (const batch of messages) {
        let text = '';
        for (const m of batch) text += formatSseMessage({ data: m.data, ...(m.event ? { event: m.event } : {}) });
        if (!writer.write(text)) await writer.drained();
        if (writer.isClosed) break;
      }
    } catch (err) {
      if (!controller.signal.aborted) writer.write(formatSseMessage({ event: 'error', data: JSON.stringify(anthropicError(toGatewayError(err)).body) }));
    } finally {
      writer.end();
    }
  } finally {
    releaseSlot();
  }
  return true;
}

/** Claude's own `count_tokens` when the model is Claude; false for any other model. */
export async function countTokensUpstream(options: Omit<RelayMessagesOptions, 'ctx' | 'ping'>): Promise<boolean> {
  const claude = claudeOf(options.route);
  if (!claude) return false;
  const { req, res, route } = options;
  const body = { ...options.body, model: route.upstreamModel };
  const controller = abortOnClose(res);
  res.json(await claude.relayJson({ body, headers: forwardedHeaders(req), signal: controller.signal, suffix: '/count_tokens' }));
  return true;
}
