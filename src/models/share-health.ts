/**
 * Deployment health across instances (with `store.type: redis`): every change here is
 * published, every change published elsewhere is applied here (as a change, so failures
 * seen by several instances at once add up), and an instance that starts loads the
 * states stored so far. A store that is down only means each instance
 * decides alone for a while: publishing failures are logged, never thrown into a request.
 */
import type { Logger } from '../logger.js';
import type { DeploymentHealthShare } from '../store/redis/redis-deployment-health.js';
import type { HealthChange } from './deployment-health.js';
import type { ModelRegistry } from './registry.js';

export async function shareHealth(registry: ModelRegistry, share: DeploymentHealthShare, logger: Logger): Promise<void> {
  const byId = new Map(registry.deployments().map(({ deployment }) => [deployment.id, deployment]));
  try {
    for (const [id, state] of await share.load()) {
      const deployment = byId.get(id);
      // Another instance's config may list deployments this one does not have.
      if (deployment) deployment.health.state = state;
    }
  } catch (err) {
    logger.warn({ err: (err as Error).message }, 'could not load the shared deployment health; starting from healthy');
  }
  await share.listen((id: string, change: HealthChange) => byId.get(id)?.health.apply(change));
  registry.observe({
    healthChanged(deployment, change) {
      share.publish(deployment.id, change, { ...deployment.health.state }).catch((err: unknown) => {
        logger.warn({ deployment: deployment.id, err: (err as Error).message }, 'could not share a deployment health change');
      });
    },
  });
}
