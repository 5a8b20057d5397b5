/**
 * Records one stream where every stream starts and ends: a `StreamObserver` (fits the
 * run's single `observer` and an `observers` list alike) that measures time to first
 * token and the usage (`UsageTally`), and when the stream ends, however it ends, records
 * it once: Prometheus, the usage ledger, a log line, and an OpenTelemetry span when
 * tracing is on. The start gets a log line too, so a long answer shows at once.
 */
import { SpanKind, SpanStatusCode, type Span, type Tracer } from '@opentelemetry/api';
import type { FinishReason, StreamEvent } from '../core/events.js';
import { OPENAI_FINISH_REASONS } from '../encoders/chat-chunk-encoder.js';
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import type { ModelRoute } from '../models/registry.js';
import type { ChatRequest } from '../providers/types.js';
import type { UsageLedger } from '../store/types.js';
import type { StreamObserver, StreamOutcome } from '../streams/stream-run.js';
import { UsageTally, type MeasuredUsage } from './usage-tally.js';
import { utcDay } from './utc-day.js';

export interface StreamRecorderDeps {
  metrics: GatewayMetrics;
  ledger: UsageLedger;
  logger: Logger;
  tracer: Tracer | null;
  /** `gen_ai.provider.name` of a provider id (`openai`, `anthropic`, `streamgate.simulator`). */
  providerName: (providerId: string) => string;
}

export interface RecordedStream {
  /** The id the client sees in `X-Request-Id`. */
  requestId: string;
  /** The route pattern (metric label). */
  endpoint: string;
  /** The model name the client asked for. */
  model: string;
  /** The API key's name; null without `auth`. */
  key: string | null;
  /** The request's `user` / `userId`. */
  user: string | null;
  /** Prompt tokens by streamgate's count, asked only when the provider reports none. */
  estimatePrompt: () => number;
  /** False for an answer collected and sent whole: counted in usage, not in the stream metrics. */
  streamed: boolean;
  /** `gen_ai.conversation.id`: the `/v1/complete` session. */
  conversationId?: string;
  /** `gen_ai.response.id`: the completion's id. */
  responseId?: string;
  /** The request's sampling parameters, as `gen_ai.request.*` span attributes. */
  request?: Pick<ChatRequest, 'maxTokens' | 'temperature' | 'topP'>;
}

/** What a stream's end line, metrics, ledger and span say. */
export interface StreamSummary {
  outcome: StreamOutcome['status'];
  servedModel: string;
  usage: MeasuredUsage;
  /** From the start of the stream to its first text, thinking or tool call; null when none came. */
  ttftMs: number | null;
  ms: number;
  finishReason: FinishReason | null;
  errorCode?: string;
}

export class StreamRecorder implements StreamObserver {
  readonly tally = new UsageTally();
  private readonly metered: StreamObserver | null;
  private route: ModelRoute | null = null;
  private startedAt = 0;
  private firstTokenAt: number | null = null;
  private sawEvent = false;
  private span: Span | null = null;
  private handed = false;
  private summary: StreamSummary | null = null;

  constructor(
    private readonly deps: StreamRecorderDeps,
    /** What the stream is (a handover record carries it to the instance that continues the stream). */
    readonly info: RecordedStream,
  ) {
    this.metered = info.streamed ? deps.metrics.stream({ endpoint: info.endpoint, model: info.model }) : null;
  }

  /** The route that answered (a fallback, if the one asked for failed). */
  served(route: ModelRoute): void {
    this.route = route;
    this.span?.setAttributes({
      'gen_ai.provider.name': this.deps.providerName(route.provider.id),
      'gen_ai.response.model': route.upstreamModel,
      'streamgate.served_model': route.name,
    });
  }

  /** The usage so far (at the end: the stream's). */
  usage(): MeasuredUsage {
    return this.summary?.usage ?? this.tally.measure(this.info.estimatePrompt);
  }

  start(): void {
    this.startedAt = performance.now();
    this.metered?.start?.();
    if (this.deps.tracer) this.span = this.startSpan(this.deps.tracer);
    // The line can wait until the upstream request has left: a log write is a syscall on
    // the way to the first token. undici writes a request on a pooled connection from an
    // Immediate of its own (it first lets the idle socket's pending bytes be read), queued
    // after this one: the line goes out one check phase later, after it. `end` writes the
    // line first if the stream ends before then.
    this.startLine = setImmediate(this.deferStart);
  }

  private startLine: NodeJS.Immediate | null = null;
  private readonly deferStart = (): void => {
    this.startLine = setImmediate(this.logStart);
  };
  /** A stream that ends (or is handed over) before its start line went out writes it first. */
  private flushStartLine(): void {
    if (!this.startLine) return;
    clearImmediate(this.startLine);
    this.logStart();
  }
  private readonly logStart = (): void => {
    this.startLine = null;
    const { info } = this;
    this.deps.logger.info({ requestId: info.requestId, endpoint: info.endpoint, model: info.model, key: info.key ?? undefined, user: info.user ?? undefined }, 'stream started');
  };

  event(event: StreamEvent): void {
    this.sawEvent = true;
    this.metered?.event?.(event);
    this.tally.observe(event);
    if (this.firstTokenAt === null && isToken(event)) {
      this.firstTokenAt = performance.now();
      this.span?.addEvent('gen_ai.first_token');
    }
  }

  end(outcome: StreamOutcome): void {
    if (this.summary || this.handed) return;
    this.flushStartLine();
    // Failed before the model sent anything (refused, unreachable): nothing was used.
    const usage = outcome.status === 'failed' && !this.sawEvent ? NOTHING_USED : this.tally.measure(this.info.estimatePrompt);
    const summary: StreamSummary = {
      outcome: outcome.status,
      servedModel: this.route?.name ?? this.info.model,
      usage,
      ttftMs: this.firstTokenAt === null ? null : round(this.firstTokenAt - this.startedAt),
      ms: round(performance.now() - this.startedAt),
      finishReason: this.tally.finishReason,
      ...(outcome.status === 'failed' ? { errorCode: outcome.error.code } : {}),
    };
    this.summary = summary;
    this.metered?.end?.(outcome);
    this.deps.metrics.usage(summary.servedModel, usage);
    this.recordLedger(summary);
    this.logEnd(summary, outcome);
    this.endSpan(summary, outcome);
  }

  /**
   * Continued on another instance, which records its usage and end: here the log line
   * and the span say so, and nothing is counted (it would be counted twice).
   */
  handedOver(): void {
    if (this.summary || this.handed) return;
    this.handed = true;
    this.flushStartLine();
    this.metered?.handedOver?.();
    const { info } = this;
    this.deps.logger.info({ requestId: info.requestId, endpoint: info.endpoint, model: this.route?.name ?? info.model, ms: round(performance.now() - this.startedAt) }, 'stream handed over');
    this.span?.setAttribute('streamgate.outcome', 'handed_over');
    this.span?.end();
  }

  private recordLedger(s: StreamSummary): void {
    const { info } = this;
    this.deps.ledger
      .record({
        day: utcDay(),
        key: info.key ?? '',
        model: s.servedModel,
        user: info.user ?? '',
        promptTokens: s.usage.promptTokens,
        completionTokens: s.usage.completionTokens,
        estimated: s.usage.source === 'estimated',
      })
      .catch((err: unknown) => this.deps.logger.error({ err, requestId: info.requestId }, 'recording usage failed'));
  }

  private logEnd(s: StreamSummary, outcome: StreamOutcome): void {
    const { info } = this;
    const line = {
      requestId: info.requestId,
      endpoint: info.endpoint,
      model: s.servedModel,
      ...(s.servedModel !== info.model ? { requestedModel: info.model } : {}),
      outcome: s.outcome,
      finishReason: s.finishReason ?? undefined,
      promptTokens: s.usage.promptTokens,
      completionTokens: s.usage.completionTokens,
      usageSource: s.usage.source,
      ttftMs: s.ttftMs ?? undefined,
      ms: s.ms,
      key: info.key ?? undefined,
      user: info.user ?? undefined,
      ...(outcome.status === 'failed' ? { errorCode: outcome.error.code, error: outcome.error.message } : {}),
    };
    if (outcome.status === 'failed' && outcome.error.status >= 500) this.deps.logger.warn(line, 'stream ended');
    else this.deps.logger.info(line, 'stream ended');
  }

  private startSpan(tracer: Tracer): Span {
    const { info } = this;
    const attributes: Record<string, string | number> = {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': info.model,
      'streamgate.endpoint': info.endpoint,
      'streamgate.request_id': info.requestId,
    };
    if (info.conversationId) attributes['gen_ai.conversation.id'] = info.conversationId;
    if (info.responseId) attributes['gen_ai.response.id'] = info.responseId;
    const r = info.request;
    if (r?.maxTokens !== undefined) attributes['gen_ai.request.max_tokens'] = r.maxTokens;
    if (r?.temperature !== undefined) attributes['gen_ai.request.temperature'] = r.temperature;
    if (r?.topP !== undefined) attributes['gen_ai.request.top_p'] = r.topP;
    return tracer.startSpan(`chat ${info.model}`, { kind: SpanKind.CLIENT, attributes });
  }

  private endSpan(s: StreamSummary, outcome: StreamOutcome): void {
    const span = this.span;
    if (!span) return;
    span.setAttributes({
      'gen_ai.usage.input_tokens': s.usage.promptTokens,
      'gen_ai.usage.output_tokens': s.usage.completionTokens,
      'streamgate.usage.source': s.usage.source,
      'streamgate.outcome': s.outcome,
      ...(s.finishReason ? { 'gen_ai.response.finish_reasons': [OPENAI_FINISH_REASONS[s.finishReason]] } : {}),
      ...(s.ttftMs !== null ? { 'streamgate.time_to_first_token_ms': s.ttftMs } : {}),
    });
    if (outcome.status === 'failed') {
      span.setAttribute('error.type', outcome.error.code);
      span.setStatus({ code: SpanStatusCode.ERROR, message: outcome.error.message });
    }
    span.end();
  }
}

const NOTHING_USED: MeasuredUsage = { promptTokens: 0, completionTokens: 0, totalTokens: 0, source: 'estimated' };

function isToken(event: StreamEvent): boolean {
  return ((event.type === 'text-delta' || event.type === 'reasoning-delta') && event.text.length > 0) || event.type === 'tool-call-delta';
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}
