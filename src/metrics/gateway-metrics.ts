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

/** One deployment's gauges, read when `/metrics` is scraped. */
export interface DeploymentGauges {
  id: string;
  /** The public models that list it: one series per model, so `/metrics` can show each key only its models. */
  servesModels: readonly string[];
  state: string;
  cooldownMs: number;
  openStreams: number;
  latencyMs: number | null;
}

/** Every state a deployment can be in, so each has a series (1 for the current one, 0 for the others). */
const DEPLOYMENT_STATES = ['healthy', 'cooling', 'open', 'half-open'] as const;

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
  private readonly deploymentPicks: Counter<'model' | 'deployment'>;
  private readonly deploymentFailures: Counter<'model' | 'deployment' | 'kind'>;
  private readonly fallbacks: Counter<'model' | 'fallback'>;
  private readonly continuations: Counter<'model' | 'outcome'>;
  private readonly handovers: Counter<'outcome'>;
  private readDeployments: () => readonly DeploymentGauges[] = () => [];

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
    this.deploymentPicks = new Counter({
      name: 'streamgate_deployment_picks_total',
      help: 'Requests sent to a deployment (retries and continuations included), by public model',
      labelNames: ['model', 'deployment'],
      registers,
    });
    this.deploymentFailures = new Counter({
      name: 'streamgate_deployment_failures_total',
      help: 'Deployment failures counted in its health: rate-limit (429), auth (401/403), unavailable (5xx, connection, timeout)',
      labelNames: ['model', 'deployment', 'kind'],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'streamgate_fallbacks_total',
      help: 'Requests that went on to a fallback model after every deployment of the model before it failed before its first byte (or was cooling)',
      labelNames: ['model', 'fallback'],
      registers,
    });
    this.continuations = new Counter({
      name: 'streamgate_continuations_total',
      help: 'Streams cut after text reached the client: continued on another deployment, or not (not-possible, no-deployment, refused)',
      labelNames: ['model', 'outcome'],
      registers,
    });
    this.handovers = new Counter({
      name: 'streamgate_handovers_total',
      help: 'Runs still going at a shutdown deadline: handed-over (another instance claimed it), claimed (this instance continues one), taken-back (nobody claimed it: ended with server_restarted), not-possible',
      labelNames: ['outcome'],
      registers,
    });
    const read = () => this.readDeployments();
    new Gauge({
      name: 'streamgate_deployment_state',
      help: 'A deployment\'s health: 1 for its current state (healthy, cooling, open, half-open), 0 for the others',
      labelNames: ['model', 'deployment', 'state'],
      registers,
      collect() {
        this.reset();
        for (const d of read()) for (const model of d.servesModels) for (const state of DEPLOYMENT_STATES) this.set({ model, deployment: d.id, state }, d.state === state ? 1 : 0);
      },
    });
    const perDeployment = (name: string, help: string, value: (d: DeploymentGauges) => number | null) =>
      new Gauge({
        name,
        help,
        labelNames: ['model', 'deployment'],
        registers,
        collect() {
          this.reset();
          for (const d of read()) {
            const v = value(d);
            if (v !== null) for (const model of d.servesModels) this.set({ model, deployment: d.id }, v);
          }
        },
      });
    perDeployment('streamgate_deployment_cooldown_seconds', 'Seconds until a cooling deployment (or one with an open circuit) takes requests again; 0 when it does', (d) => d.cooldownMs / 1000);
    perDeployment('streamgate_deployment_open_streams', 'Streams running on a deployment now', (d) => d.openStreams);
    perDeployment('streamgate_deployment_latency_seconds', "Moving average of a deployment's time to first event (absent before its first request)", (d) => (d.latencyMs === null ? null : d.latencyMs / 1000));
  }

  /** Where the deployment gauges are read from at each scrape. */
  watchDeployments(read: () => readonly DeploymentGauges[]): void {
    this.readDeployments = read;
  }

  deploymentPicked(model: string, deployment: string): void {
    this.deploymentPicks.inc({ model, deployment });
  }

  deploymentFailed(model: string, deployment: string, kind: string): void {
    this.deploymentFailures.inc({ model, deployment, kind });
  }

  fellBack(model: string, fallback: string): void {
    this.fallbacks.inc({ model, fallback });
  }

  continuation(model: string, outcome: string): void {
    this.continuations.inc({ model, outcome });
  }

  handover(outcome: string): void {
    this.handovers.inc({ outcome });
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

  /** @internal */ leftOpen(labels: StreamLabels): void {
    this.openStreams.dec({ endpoint: labels.endpoint });
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

  /** Continued on another instance, which counts it: here it is only no longer open. */
  handedOver(): void {
    if (this.done) return;
    this.done = true;
    this.metrics.leftOpen(this.labels);
  }
}
