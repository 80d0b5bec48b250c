/**
 * Context entries under `kyverno test`: with no cluster and no registry access, Kyverno loads
 * no `apiCall`, `configMap`, `imageRegistry` or `globalReference` entry at all; the variables
 * of the values file (global, per rule, per resource) stand in for them. The test runner
 * therefore drops those entries before evaluating, so a rule that reads them runs with the
 * test's values instead of being reported as unsupported. `variable` entries stay: Kyverno
 * evaluates them over the values too. A policy that opts in to answering its `apiCall`s from
 * the rendered resources (the shipshape.dev/api-call annotation) keeps them: in a test, the
 * test's resources are what the calls are answered from.
 *
 * ValidatingAdmissionPolicies are evaluated as `kyverno test` does: through the bindings among
 * the test's policies, or, for a policy none binds, as if bound everywhere with Deny.
 */
import { API_CALL_ANNOTATION, API_CALL_RENDERED, classifyRule } from "../engine/rule-kinds.js";
import { linkAdmissionPolicies, withImplicitBindings } from "../cel/admission-policy.js";
import type { Json, LoadedPolicy, PolicyRule } from "../model.js";

const CLUSTER_SOURCES = ["apiCall", "configMap", "imageRegistry", "globalReference"] as const;
const OFFLINE_SOURCES = ["configMap", "imageRegistry", "globalReference"] as const;

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

type Sources = readonly string[];

function fromCluster(entry: unknown, sources: Sources): boolean {
  return isObj(entry) && sources.some((k) => entry[k] !== undefined && entry[k] !== null);
}

function withoutClusterEntries(list: unknown, sources: Sources): { list: unknown; changed: boolean } {
  if (!Array.isArray(list)) return { list, changed: false };
  const kept = list.filter((e) => !fromCluster(e, sources));
  return { list: kept, changed: kept.length !== list.length };
}

function stripForeach(list: unknown, sources: Sources): { list: unknown; changed: boolean } {
  if (!Array.isArray(list)) return { list, changed: false };
  let changed = false;
  const out = list.map((f) => {
    if (!isObj(f)) return f;
    const ctx = withoutClusterEntries(f.context, sources);
    const nested = stripForeach(f.foreach, sources);
    if (!ctx.changed && !nested.changed) return f;
    changed = true;
    return { ...f, ...(f.context !== undefined ? { context: ctx.list } : {}), ...(f.foreach !== undefined ? { foreach: nested.list } : {}) };
  });
  return { list: out, changed };
}

function forTest(rule: PolicyRule, annotations: Readonly<Record<string, string>>): PolicyRule {
  const sources = annotations[API_CALL_ANNOTATION] === API_CALL_RENDERED ? OFFLINE_SOURCES : CLUSTER_SOURCES;
  const ctx = withoutClusterEntries(rule.raw.context, sources);
  const validate = isObj(rule.raw.validate) ? rule.raw.validate : undefined;
  const foreach = stripForeach(validate?.foreach, sources);
  if (!ctx.changed && !foreach.changed) return rule;
  const raw: Json = { ...rule.raw };
  if (ctx.changed) raw.context = ctx.list;
  if (foreach.changed && validate) raw.validate = { ...validate, foreach: foreach.list };
  const { kind, unsupported } = classifyRule(raw, annotations);
  const { unsupported: _old, ...rest } = rule;
  return { ...rest, raw, kind, ...(unsupported ? { unsupported } : {}) };
}

/** The policies as `kyverno test` evaluates them: cluster-sourced context entries left out. */
export function policiesForTest(policies: readonly LoadedPolicy[]): LoadedPolicy[] {
  // ValidatingAdmissionPolicies are linked to their bindings here (unbound ones as kyverno test
  // binds them), so the comparison sees their rules like any other policy's.
  return linkAdmissionPolicies(withImplicitBindings(policies)).map((p) => {
    const rules = p.rules.map((r) => forTest(r, p.annotations));
    return rules.every((r, i) => r === p.rules[i]) ? p : { ...p, rules };
  });
}
