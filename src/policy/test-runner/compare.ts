/**
 * Comparing one expected result entry with the engine's results, the way `kyverno test` looks
 * them up: by policy, resource kind and name (and namespace when given), and rule name or its
 * autogen names. Kyverno runs every validate/mutate/verifyImages policy over every resource of
 * the test, so a listed resource the named rule does not apply to is "excluded": a pass,
 * counted as skipped, whatever result the entry expects. A resource that is not in the test at
 * all, or a policy that is not, is a failure ("not found"), as in Kyverno.
 */
import type { LoadedPolicy, PolicyResource, RuleResult } from "../model.js";
import type { ExpectedResult } from "./test-file.js";

export type RowOutcome = "pass" | "fail" | "skip" | "unsupported";

export interface Row {
  outcome: RowOutcome;
  policy: string;
  rule: string;
  resource: string;
  /** What the engine said: a rule status, "excluded", "not found" or "unsupported". */
  actual: string;
  detail: string;
}

function meta(r: { resource: PolicyResource }): { name: string; namespace: string; kind: string } {
  const o = r.resource.object;
  const m = (typeof o.metadata === "object" && o.metadata !== null ? o.metadata : {}) as Record<string, unknown>;
  return { name: String(m.name ?? ""), namespace: String(m.namespace ?? ""), kind: String(o.kind ?? "") };
}

function policyName(r: RuleResult): string[] {
  return r.policyNamespace ? [r.policy, `${r.policyNamespace}/${r.policy}`] : [r.policy];
}

function baseRuleName(name: string): string {
  return name.replace(/^autogen-cronjob-/, "").replace(/^autogen-/, "");
}

/** Why this entry cannot be checked offline, if it cannot. */
export function unsupportedReason(expected: ExpectedResult, policies: readonly LoadedPolicy[]): string | undefined {
  if (expected.unsupportedReason) return expected.unsupportedReason;
  const policy = policies.find((p) => p.name === expected.policy || `${p.namespace}/${p.name}` === expected.policy);
  if (!policy) return undefined;
  if (policy.unsupported) return policy.unsupported;
  const rule = policy.rules.find((r) => r.name === expected.rule) ?? policy.rules.find((r) => baseRuleName(r.name) === expected.rule);
  return rule?.unsupported ? `${rule.kind}: ${rule.unsupported}` : undefined;
}

function matchesPolicy(policy: LoadedPolicy, name: string): boolean {
  return policy.name === name || (policy.namespace !== "" && `${policy.namespace}/${policy.name}` === name);
}

/** Whether Kyverno would have produced an engine response for this policy and resource. */
function hasResponse(expected: ExpectedResult, resourceName: string, policies: readonly LoadedPolicy[], resources: readonly PolicyResource[]): boolean {
  const policy = policies.find((p) => matchesPolicy(p, expected.policy));
  if (!policy || policy.unsupported || !policy.rules.some((r) => r.kind === "validate" || r.kind === "mutate" || r.kind === "verifyImages")) return false;
  return resources.some((r) => {
    const m = meta({ resource: r });
    if (m.kind !== expected.kind) return false;
    if (m.name !== resourceName && `${m.namespace}/${m.name}` !== resourceName) return false;
    return !expected.namespace || m.namespace === expected.namespace;
  });
}

export function compareEntry(expected: ExpectedResult, resourceName: string, results: readonly RuleResult[], policies: readonly LoadedPolicy[], resources: readonly PolicyResource[] = []): Row[] {
  const label = `${expected.kind}/${expected.namespace ? `${expected.namespace}/` : ""}${resourceName}`;
  const reason = unsupportedReason(expected, policies);
  if (reason) return [{ outcome: "unsupported", policy: expected.policy, rule: expected.rule, resource: label, actual: "unsupported", detail: reason }];
  const rules = new Set([expected.rule, `autogen-${expected.rule}`, `autogen-cronjob-${expected.rule}`]);
  const matches = results.filter((r) => {
    const m = meta(r);
    if (!policyName(r).includes(expected.policy) || m.kind !== expected.kind) return false;
    if (m.name !== resourceName && `${m.namespace}/${m.name}` !== resourceName) return false;
    if (expected.namespace && m.namespace !== expected.namespace) return false;
    return expected.anyRule || rules.has(r.rule);
  });
  if (matches.length === 0) {
    if (hasResponse(expected, resourceName, policies, resources)) {
      return [{ outcome: "skip", policy: expected.policy, rule: expected.rule, resource: label, actual: "excluded", detail: "excluded: the rule does not apply to this resource" }];
    }
    return [{ outcome: "fail", policy: expected.policy, rule: expected.rule, resource: label, actual: "not found", detail: `want ${expected.result}, got no result (not found)` }];
  }
  return matches.map((r) => {
    const ok = r.status === expected.result;
    const outcome: RowOutcome = !ok ? "fail" : expected.result === "skip" ? "skip" : "pass";
    const detail = ok ? `${r.status}` : `want ${expected.result}, got ${r.status}: ${r.message}`;
    return { outcome, policy: expected.policy, rule: r.rule, resource: label, actual: r.status, detail };
  });
}
