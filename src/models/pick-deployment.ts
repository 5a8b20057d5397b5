/**
 * Which deployment of a model takes the next request: among those that are available now
 * and not yet tried for this request (a bit mask over the model's list, so a retry loop
 * allocates nothing), by the model's `routing`:
 *
 * - `weighted`: at random, in proportion to the weights;
 * - `least-busy`: the fewest open streams;
 * - `lowest-latency`: the lowest moving average of time to first event (one never
 *   measured counts as 0, so each deployment gets its first sample).
 *
 * Ties are broken at random, so equal deployments share the load. Two passes over a short
 * array, no allocation: this runs for every request.
 */
import type { RoutingStrategy } from '../config/schema.js';
import type { Random } from '../core/random.js';
import type { ModelDeployment } from './deployment.js';

export interface PickOptions {
  strategy: RoutingStrategy;
  random: Random;
  /** Unix ms. */
  now: number;
  /** Bit i set: deployment i was tried already. */
  tried: number;
}

/** The index of the deployment to try, or -1 when none is available. */
export function pickDeployment(deployments: readonly ModelDeployment[], options: PickOptions): number {
  const { now, tried } = options;
  if (options.strategy === 'weighted') {
    let total = 0;
    for (let i = 0; i < deployments.length; i++) {
      const d = deployments[i] as ModelDeployment;
      if (eligible(d, i, tried, now)) total += d.weight;
    }
    if (total === 0) return -1;
    let r = options.random() * total;
    let last = -1;
    for (let i = 0; i < deployments.length; i++) {
      const d = deployments[i] as ModelDeployment;
      if (!eligible(d, i, tried, now)) continue;
      last = i;
      r -= d.weight;
      if (r < 0) return i;
    }
    // Floating-point rounding left r at 0: the last eligible one.
    return last;
  }
  let best = -1;
  let bestScore = Infinity;
  let ties = 0;
  for (let i = 0; i < deployments.length; i++) {
    const d = deployments[i] as ModelDeployment;
    if (!eligible(d, i, tried, now)) continue;
    const score = options.strategy === 'least-busy' ? d.deployment.openStreams : (d.deployment.latencyMs ?? 0);
    if (score < bestScore) {
      best = i;
      bestScore = score;
      ties = 1;
    } else if (score === bestScore && options.random() * ++ties < 1) {
      // Reservoir sampling: each of the k tied deployments ends up chosen with probability 1/k.
      best = i;
    }
  }
  return best;
}

function eligible(d: ModelDeployment, i: number, tried: number, now: number): boolean {
  return (tried & (1 << i)) === 0 && d.deployment.health.available(now);
}
