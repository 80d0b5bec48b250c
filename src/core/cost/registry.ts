/**
 * Cost estimators by name, and the lookup from a resource's kind to the one that prices
 * it. Kinds no estimator claims (ConfigMaps, Roles, ...) cost nothing by themselves.
 */
import { apiGroup, type Resource } from "../model/resource.js";
import type { CostEstimator } from "./estimator.js";
import { composeServices } from "./estimators/compose.js";
import { loadBalancers } from "./estimators/network.js";
import { persistentVolumeClaims } from "./estimators/storage.js";
import { daemonSets, jobs, pods, replicatedWorkloads, statefulSets } from "./estimators/workloads.js";

export const COST_ESTIMATORS: ReadonlyMap<string, CostEstimator> = new Map(
  [replicatedWorkloads, pods, statefulSets, daemonSets, jobs, persistentVolumeClaims, loadBalancers, composeServices].map((e) => [e.name, e]),
);

const BY_KIND: ReadonlyMap<string, CostEstimator> = kindIndex(COST_ESTIMATORS);

function kindIndex(estimators: ReadonlyMap<string, CostEstimator>): Map<string, CostEstimator> {
  const out = new Map<string, CostEstimator>();
  for (const e of estimators.values()) {
    for (const kind of e.kinds) {
      if (out.has(kind)) throw new Error(`cost estimators ${out.get(kind)!.name} and ${e.name} both claim ${kind}`);
      out.set(kind, e);
    }
  }
  return out;
}

export function estimatorFor(resource: Pick<Resource, "apiVersion" | "kind">): CostEstimator | undefined {
  return BY_KIND.get(`${apiGroup(resource.apiVersion)}|${resource.kind}`);
}
