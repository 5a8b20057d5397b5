/**
 * One place a model is served: a provider (one key, region or replica) and the name the
 * upstream knows the model by, with its health and its load. Deployments with the same
 * provider, upstream model and timeouts are one object, shared by every model name that
 * lists them, so a revoked key or a dead replica is known to all of them.
 */
import type { ContinuationPreset } from '../config/schema.js';
import type { LanguageModelProvider } from '../providers/types.js';
import { DeploymentHealth, type HealthPolicy } from './deployment-health.js';

/** Weight of a new time-to-first-token sample in the moving average. */
const LATENCY_ALPHA = 0.2;

export interface DeploymentOptions {
  id: string;
  provider: LanguageModelProvider;
  upstreamModel: string;
  continuation: ContinuationPreset;
  /** The upstream signs its thinking (Claude): an answer cut inside or after it cannot be continued by prefill. */
  signsReasoning: boolean;
  policy: HealthPolicy;
}

export class Deployment {
  readonly id: string;
  readonly provider: LanguageModelProvider;
  readonly upstreamModel: string;
  readonly continuation: ContinuationPreset;
  readonly signsReasoning: boolean;
  readonly health: DeploymentHealth;
  /** Streams running on it now (`least-busy`). */
  openStreams = 0;
  /** Requests sent to it since start. */
  picks = 0;
  /** Moving average of the time to its first event, in ms (`lowest-latency`); undefined before the first sample. */
  latencyMs: number | undefined;

  constructor(options: DeploymentOptions) {
    this.id = options.id;
    this.provider = options.provider;
    this.upstreamModel = options.upstreamModel;
    this.continuation = options.continuation;
    this.signsReasoning = options.signsReasoning;
    this.health = new DeploymentHealth(options.policy);
  }

  /** Records one time to first event. */
  observeLatency(ms: number): void {
    this.latencyMs = this.latencyMs === undefined ? ms : this.latencyMs + LATENCY_ALPHA * (ms - this.latencyMs);
  }
}

/** A deployment as listed by a model: the shared deployment and this model's weight for it. */
export interface ModelDeployment {
  deployment: Deployment;
  weight: number;
}
