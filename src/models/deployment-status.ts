/**
 * Every deployment's state as operators see it (`GET /v1/deployments`, `/metrics`):
 * health, cooldown left, load, latency, picks. Read-only.
 */
import type { Deployment } from './deployment.js';
import type { ModelRegistry } from './registry.js';

export interface DeploymentStatus {
  id: string;
  provider: string;
  model: string;
  /** The public model names that list it. */
  servesModels: string[];
  /** `healthy`, `cooling` (a 429 or a refused key), `open` (circuit open), `half-open` (probing). */
  state: 'healthy' | 'cooling' | 'open' | 'half-open';
  /** Why it cools, while it does: `rate-limit` or `auth`. */
  coolingReason: string | null;
  /** Milliseconds until it takes requests again; 0 when it does now. */
  cooldownMs: number;
  /** Consecutive failures counted towards opening its circuit. */
  failures: number;
  openStreams: number;
  /** Moving average of its time to first event, in ms; null before the first request. */
  latencyMs: number | null;
  picks: number;
  continuation: Deployment['continuation'];
}

export function deploymentStatuses(registry: ModelRegistry, now = Date.now()): DeploymentStatus[] {
  return registry.deployments().map(({ deployment: d, models }) => {
    const state = d.health.status(now);
    return {
      id: d.id,
      provider: d.provider.id,
      model: d.upstreamModel,
      servesModels: models,
      state,
      coolingReason: state === 'cooling' ? d.health.state.coolReason : null,
      cooldownMs: Math.max(0, d.health.recoversAt(now) - now),
      failures: d.health.state.failures,
      openStreams: d.openStreams,
      latencyMs: d.latencyMs === undefined ? null : Math.round(d.latencyMs * 10) / 10,
      picks: d.picks,
      continuation: d.continuation,
    };
  });
}
