/**
 * The risk rules, keyed by id. `risk.rules.<id>` in the config disables or re-levels one;
 * the config schema lists the same ids (a test keeps them in step).
 */
import type { RiskRule } from "./rule.js";
import { crdChanged, crdRemoved, namespaceRemoved, quotaChanged } from "./rules/cluster.js";
import { costThreshold } from "./rules/cost.js";
import { GITOPS_RULES } from "./rules/gitops.js";
import { helmReleaseMajorBump } from "./rules/helmrelease.js";
import { ingressHostChanged, networkPolicyChanged, serviceExposed } from "./rules/network.js";
import { rbacChanged, rbacEscalation } from "./rules/rbac.js";
import { statefulSetChanged, statefulSetImmutableFields, statefulSetRemoved } from "./rules/statefulset.js";
import { pvcRemoved, storageChanged } from "./rules/storage.js";
import { imageOnly, workloadPrivilege } from "./rules/workload.js";

export const RISK_RULES: ReadonlyMap<string, RiskRule> = registry([
  statefulSetChanged,
  statefulSetImmutableFields,
  statefulSetRemoved,
  storageChanged,
  pvcRemoved,
  networkPolicyChanged,
  rbacChanged,
  rbacEscalation,
  quotaChanged,
  crdChanged,
  crdRemoved,
  namespaceRemoved,
  serviceExposed,
  ingressHostChanged,
  workloadPrivilege,
  imageOnly,
  helmReleaseMajorBump,
  costThreshold,
  ...GITOPS_RULES,
]);

export class UnknownRiskRuleError extends Error {
  constructor(readonly ruleId: string) {
    super(`unknown risk rule "${ruleId}"; the rules are: ${[...RISK_RULES.keys()].join(", ")}`);
    this.name = "UnknownRiskRuleError";
  }
}

function registry(rules: RiskRule[]): Map<string, RiskRule> {
  const out = new Map<string, RiskRule>();
  for (const rule of rules) {
    if (out.has(rule.id)) throw new Error(`two risk rules share the id ${rule.id}`);
    out.set(rule.id, rule);
  }
  for (const rule of rules) {
    for (const id of rule.supersedes ?? []) if (!out.has(id)) throw new Error(`risk rule ${rule.id} supersedes unknown rule ${id}`);
  }
  return out;
}
