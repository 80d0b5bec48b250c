/**
 * Throughput of the policy engine, for the bench script and for checking that evaluating a
 * policy pack over a large render stays well under the time budget.
 */
import { performance } from "node:perf_hooks";
import { evaluatePolicies } from "./engine/evaluate.js";
import type { EvaluationOptions, LoadedPolicy, PolicyResource } from "./model.js";

export interface PolicyThroughput {
  policies: number;
  rules: number;
  resources: number;
  results: number;
  failures: number;
  durationMs: number;
  resourcesPerSecond: number;
}

export function measurePolicyThroughput(policies: readonly LoadedPolicy[], resources: readonly PolicyResource[], options: EvaluationOptions = {}): PolicyThroughput {
  const start = performance.now();
  const results = evaluatePolicies(policies, resources, options);
  const durationMs = performance.now() - start;
  return {
    policies: policies.length,
    rules: policies.reduce((n, p) => n + p.rules.length, 0),
    resources: resources.length,
    results: results.length,
    failures: results.filter((r) => r.status === "fail").length,
    durationMs,
    resourcesPerSecond: durationMs > 0 ? Math.round((resources.length / durationMs) * 1000) : resources.length,
  };
}
