/** Building policies and resources inline for table-driven tests. */
import { stringify } from "yaml";
import { evaluatePolicies } from "../../../src/policy/engine/evaluate.js";
import { loadPolicies } from "../../../src/policy/load.js";
import type { EvaluationOptions, LoadedPolicy, PolicyResource, RuleResult } from "../../../src/policy/model.js";

export function policyFrom(yamlOrObject: string | Record<string, unknown>): LoadedPolicy {
  const text = typeof yamlOrObject === "string" ? yamlOrObject : stringify(yamlOrObject);
  const { policies, problems } = loadPolicies(text, "inline.yaml");
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join("; "));
  if (policies.length !== 1) throw new Error(`expected one policy, got ${policies.length}`);
  return policies[0]!;
}

/** A ClusterPolicy with one rule matching `kinds`. */
export function clusterPolicy(rule: Record<string, unknown>, options: { name?: string; kinds?: string[]; annotations?: Record<string, string>; action?: string } = {}): LoadedPolicy {
  return policyFrom({
    apiVersion: "kyverno.io/v1",
    kind: "ClusterPolicy",
    metadata: { name: options.name ?? "test-policy", ...(options.annotations ? { annotations: options.annotations } : {}) },
    spec: {
      validationFailureAction: options.action ?? "Audit",
      rules: [{ name: "check", match: { any: [{ resources: { kinds: options.kinds ?? ["Pod"] } }] }, ...rule }],
    },
  });
}

export function pod(spec: Record<string, unknown>, metadata: Record<string, unknown> = {}): PolicyResource {
  return { object: { apiVersion: "v1", kind: "Pod", metadata: { name: "p", namespace: "default", ...metadata }, spec } };
}

export function evaluate(policy: LoadedPolicy | LoadedPolicy[], resources: PolicyResource | PolicyResource[], options?: EvaluationOptions): RuleResult[] {
  return evaluatePolicies(Array.isArray(policy) ? policy : [policy], Array.isArray(resources) ? resources : [resources], options);
}

/** The single result's status, or "none" when the rule did not apply. */
export function statusOf(policy: LoadedPolicy, resource: PolicyResource, options?: EvaluationOptions): string {
  const results = evaluate(policy, resource, options);
  if (results.length === 0) return "none";
  if (results.length > 1) return results.map((r) => `${r.rule}:${r.status}`).join(",");
  return results[0]!.status;
}
