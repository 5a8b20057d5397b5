/**
 * Prometheus metrics of one server instance, on its own registry (never prom-client's
 * global default, so several servers in one process, as in tests, don't collide).
 *
 * Streams are measured by a `StreamObserver` that `runStream` drives: the one place
 * every stream starts and ends. Label children are cached per (endpoint, model), so the
 * per-event cost is a type check and, once per stream, a histogram observation.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { StreamEvent } from '../core/events.js';
import type { StreamObserver, StreamOutcome } from '../http/run-stream.js';
import type { MeasuredUsage } from '../usage/usage-tally.js';

export interface GatewayMetricsOptions {
  /** Process metrics (CPU, memory, event-loop lag, GC). Default true. */
  processMetrics?: boolean;
}

/** Which stream this is, as metric labels. Only known model names belong here (bounded cardinality). */
export interface StreamLabels {
  endpoint: string;
  model: string;
}

export interface RequestLabels extends StreamLabels {
  status: number;
}

/** Seconds: from a loopback simulator (sub-ms) to a slow reasoning model's first token. */
const TTFT_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

export class GatewayMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'endpoint' | 'model' | 'status'>;
  private readonly openStreams: Gauge<'endpoint'>;
  private readonly streams: Counter<'endpoint' | 'model' | 'outcome'>;
  private readonly timeToFirstEvent: Histogram<'endpoint' | 'model'>;
  private readonly duration: Histogram<'endpoint' | 'model' | 'outcome'>;
  private readonly tokens: Counter<'model' | 'direction' | 'source'>;
  private readonly upstreamErrors: Counter<'model' | 'code'>;
  private readonly cancellations: Counter<'endpoint' | 'model'>;

  constructor(options: GatewayMetricsOptions = {}) {
    const registers = [this.registry];
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'streamgate_requests_total',
      help: 'HTTP requests answered, by endpoint, model and HTTP status',
      labelNames: ['endpoint', 'model', 'status'],
      registers,
    });
    this.openStreams = new Gauge({
      name: 'streamgate_open_streams',
      help: 'Streams open right now',
      labelNames: ['endpoint'],
      registers,
    });
    this.streams = new Counter({
      name: 'streamgate_streams_total',
      help: 'Streams ended, by outcome: completed, failed or aborted (the client left)',
      labelNames: ['endpoint', 'model', 'outcome'],
      registers,
    });
    this.timeToFirstEvent = new Histogram({
      name: 'streamgate_time_to_first_event_seconds',
      help: 'From the start of a stream to the first event from the model',
      labelNames: ['endpoint', 'model'],
      buckets: TTFT_BUCKETS,
      registers,
    });
    this.duration = new Histogram({
      name: 'streamgate_stream_duration_seconds',
      help: 'From the start of a stream to its end, by outcome',
      labelNames: ['endpoint', 'model', 'outcome'],
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.tokens = new Counter({
      name: 'streamgate_tokens_total',
      help: 'Tokens of ended streams, direction "in" (prompt) or "out" (completion), source "provider" (reported) or "estimated"',
      labelNames: ['model', 'direction', 'source'],
      registers,
    });
    this.upstreamErrors = new Counter({
      name: 'streamgate_upstream_errors_total',
      help: 'Streams that failed, by error code',
      labelNames: ['model', 'code'],
      registers,
    });
    this.cancellations = new Counter({
      name: 'streamgate_cancellations_total',
      help: 'Streams the client left before their end',
      labelNames: ['endpoint', 'model'],
      registers,
    });
  }

  /** Counts one answered HTTP request. */
  request(labels: RequestLabels): void {
    this.requests.inc({ endpoint: labels.endpoint, model: labels.model, status: labels.status });
  }

  /** An observer for one stream; `runStream` calls `start`, `event` and `end` on it. */
  stream(labels: StreamLabels): StreamObserver {
    return new MeteredStream(this, labels);
  }

  /** The exposition text and its content type, for `GET /metrics`. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  /** @internal */ started(labels: StreamLabels): void {
    this.openStreams.inc({ endpoint: labels.endpoint });
  }

  /** @internal */ firstEvent(labels: StreamLabels, seconds: number): void {
    this.timeToFirstEvent.observe({ endpoint: labels.endpoint, model: labels.model }, seconds);
  }

  /** Counts a stream's usage, once, when it ended (`StreamRecorder`). `model`: the one that served. */
  usage(model: string, usage: MeasuredUsage): void {
    const { source } = usage;
    if (usage.promptTokens > 0) this.tokens.inc({ model, direction: 'in', source }, usage.promptTokens);
    if (usage.completionTokens > 0) this.tokens.inc({ model, direction: 'out', source }, usage.completionTokens);
  }

  /** @internal */ ended(labels: StreamLabels, outcome: StreamOutcome, seconds: number): void {
    const { endpoint, model } = labels;
    this.openStreams.dec({ endpoint });
    this.streams.inc({ endpoint, model, outcome: outcome.status });
    this.duration.observe({ endpoint, model, outcome: outcome.status }, seconds);
    if (outcome.status === 'aborted') this.cancellations.inc({ endpoint, model });
    else if (outcome.status === 'failed') this.upstreamErrors.inc({ model, code: outcome.error.code });
  }
}

class MeteredStream implements StreamObserver {
  private startedAt = 0;
  private sawEvent = false;
  private done = false;

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly labels: StreamLabels,
  ) {}

  start(): void {
    this.startedAt = performance.now();
    this.metrics.started(this.labels);
  }

  event(_event: StreamEvent): void {
    if (!this.sawEvent) {
      this.sawEvent = true;
      this.metrics.firstEvent(this.labels, (performance.now() - this.startedAt) / 1000);
    }
  }

  end(outcome: StreamOutcome): void {
    if (this.done) return;
    this.done = true;
    this.metrics.ended(this.labels, outcome, (performance.now() - this.startedAt) / 1000);
  }
}
