/**
 * What routing tells the rest of the server: which deployment took a request, how one
 * failed, a fallback to another model, a continuation after a cut. The server wires it to
 * the logs and `/metrics`; a health change also goes to the other instances (Redis).
 */
import type { GatewayError } from '../core/errors.js';
import type { Deployment } from './deployment.js';
import type { FailureKind, HealthChange } from './deployment-health.js';

/** How a stream cut mid-answer ended: continued on another deployment, or not, and why not. */
export type ContinuationOutcome = 'continued' | 'not-possible' | 'no-deployment' | 'refused';

export interface RoutingObserver {
  picked?(model: string, deployment: Deployment): void;
  /** A deployment failed before its first event (or mid-stream) and its health counted it. */
  failed?(model: string, deployment: Deployment, error: GatewayError, kind: FailureKind | null): void;
  /** The model failed before its first event and `to` is tried next. */
  fellBack?(from: string, to: string, error: GatewayError): void;
  /** A stream died after text reached the client. `to` is the deployment that went on, if one did. */
  continuation?(model: string, from: Deployment, outcome: ContinuationOutcome, detail: { to?: Deployment; reason?: string }): void;
  /** A deployment's health state changed by `change` (shared with other instances). */
  healthChanged?(deployment: Deployment, change: HealthChange): void;
}

/** Calls every observer's hook. */
export function combineObservers(observers: readonly RoutingObserver[]): Required<RoutingObserver> {
  return {
    picked: (...a) => observers.forEach((o) => o.picked?.(...a)),
    failed: (...a) => observers.forEach((o) => o.failed?.(...a)),
    fellBack: (...a) => observers.forEach((o) => o.fellBack?.(...a)),
    continuation: (...a) => observers.forEach((o) => o.continuation?.(...a)),
    healthChanged: (...a) => observers.forEach((o) => o.healthChanged?.(...a)),
  };
}
