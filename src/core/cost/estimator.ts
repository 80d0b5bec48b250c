/** The shape every cost estimator has; estimators register by name in registry.ts. */
import type { Resource } from "../model/resource.js";
import type { CostPrices } from "./config.js";
import type { ScalingLookup } from "./scaling.js";

export interface EstimateContext {
  prices: CostPrices;
  hoursPerMonth: number;
  daemonSetNodes: number;
  includeJobs: boolean;
  /** The autoscaler of a workload on the same side of the same target, if any. */
  scaling: ScalingLookup;
}

/** Unrounded monthly amounts; rounding to cents happens once, per resource, by the caller. */
export interface Estimate {
  monthly: number;
  /** The ceiling when an autoscaler can scale the resource up. */
  monthlyMax?: number;
  notes: string[];
  /** Some part could not be priced (no requests, unreadable amounts, Jobs left out). */
  incomplete?: boolean;
}

export interface CostEstimator {
  name: string;
  /** `group|Kind` keys ("apps|Deployment", "|Service", "compose|Service"). */
  kinds: readonly string[];
  /** Undefined when the resource costs nothing by itself (a ClusterIP Service). */
  estimate(resource: Resource, ctx: EstimateContext): Estimate | undefined;
}
