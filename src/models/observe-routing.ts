/**
 * Routing's events in the logs and in `/metrics`: each failure that counts against a
 * deployment (a refused key loudly, it needs an operator), each fallback and each
 * continuation; the deployment gauges read at every scrape.
 */
import type { Logger } from '../logger.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';
import { deploymentStatuses } from './deployment-status.js';
import type { ModelRegistry } from './registry.js';
import type { RoutingObserver } from './routing-observer.js';

export function observeRouting(registry: ModelRegistry, logger: Logger, metrics: GatewayMetrics): RoutingObserver {
  metrics.watchDeployments(() => deploymentStatuses(registry));
  return {
    picked(model, deployment) {
      metrics.deploymentPicked(model, deployment.id);
    },
    failed(model, deployment, error, kind) {
      if (kind !== null) metrics.deploymentFailed(model, deployment.id, kind);
      const fields = { model, deployment: deployment.id, status: error.status, code: error.code, message: error.message, state: deployment.health.status(Date.now()) };
      if (kind === 'auth') logger.error(fields, 'upstream refused the deployment\'s key: the deployment cools until it is fixed');
      else logger.warn(fields, 'deployment failed');
    },
    fellBack(from, to, error) {
      metrics.fellBack(from, to);
      logger.warn({ model: from, fallback: to, code: error.code }, 'falling back to another model');
    },
    continuation(model, from, outcome, detail) {
      metrics.continuation(model, outcome);
      if (detail.to) logger.info({ model, from: from.id, to: detail.to.id }, 'stream cut mid-answer: continued on another deployment');
      else logger.warn({ model, from: from.id, outcome, reason: detail.reason }, 'stream cut mid-answer: not continued');
    },
  };
}
