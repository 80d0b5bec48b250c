/**
 * Kubernetes ValidatingAdmissionPolicy + ValidatingAdmissionPolicyBinding
 * (admissionregistration.k8s.io/v1) found among the policies: each binding applies its policy
 * (`spec.policyName`) to the resources both select (the policy's matchConstraints and the
 * binding's matchResources), with the binding's `paramRef` looked up among the resources and its
 * `validationActions`: Deny → error, Warn → warning, Audit → info. `failurePolicy: Ignore` turns
 * an evaluation error into a skip. A policy without a binding does nothing, as in a cluster.
 */
import type { Severity } from "../../core/model/finding.js";
import type { Json, LoadedPolicy, PolicyRule } from "../model.js";
import { bindingsOf } from "./bindings.js";
import { clusterDataReason, clusterOnlyReason, compileExpressions, runExpressions, type CompiledExpressions, type ExpressionOutcome } from "./expressions.js";
import { withClusterData } from "./kyverno-library.js";
import { constraintsMatch } from "./match-constraints.js";
import { paramsListFor } from "./params.js";

export const VAP_KIND = "ValidatingAdmissionPolicy";
export const VAP_BINDING_KIND = "ValidatingAdmissionPolicyBinding";
const API_VERSION = /^admissionregistration\.k8s\.io\//;

const compiledPolicies = new WeakMap<Json, CompiledExpressions>();
const linked = new WeakMap<Json, LoadedPolicy>();

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function isAdmissionDocument(apiVersion: string, kind: string): boolean {
  return API_VERSION.test(apiVersion) && (kind === VAP_KIND || kind === VAP_BINDING_KIND);
}

/** Loads a policy (compiling its CEL) or a binding; both have no rules until linked. */
export function loadAdmissionDocument(base: Omit<LoadedPolicy, "rules">): { policy: LoadedPolicy } | { problem: string } {
  const spec = base.spec;
  if (base.kind === VAP_BINDING_KIND) {
    if (typeof spec.policyName !== "string" || spec.policyName === "") return { problem: `${base.kind} "${base.name}": spec.policyName is required` };
    return { policy: { ...base, rules: [] } };
  }
  if (!Array.isArray(spec.validations) || spec.validations.length === 0) return { problem: `${base.kind} "${base.name}": spec.validations must be a non-empty list` };
  try {
    compiledPolicies.set(spec, compileExpressions(spec.variables, spec.matchConditions, spec.validations));
  } catch (err) {
    return { problem: `${base.kind} "${base.name}": ${(err as Error).message}` };
  }
  return { policy: { ...base, rules: [] } };
}

function severityOf(actions: unknown): Severity {
  const list = Array.isArray(actions) ? actions : [];
  if (list.includes("Deny")) return "error";
  if (list.includes("Warn")) return "warning";
  return "info";
}

function bindingRule(policy: LoadedPolicy, binding: LoadedPolicy, compiled: CompiledExpressions): PolicyRule {
  const constraints = isObj(policy.spec.matchConstraints) ? policy.spec.matchConstraints : {};
  const resources = isObj(binding.spec.matchResources) ? binding.spec.matchResources : {};
  // A binding without resourceRules narrows nothing: the policy's matchConstraints decide (DELETE included).
  const narrowed = Array.isArray(resources.resourceRules) && resources.resourceRules.length > 0 ? resources : { ...resources, resourceRules: [{ apiGroups: ["*"], apiVersions: ["*"], resources: ["*"], operations: ["*"] }] };
  const severity = severityOf(binding.spec.validationActions);
  const ignoreErrors = policy.spec.failurePolicy === "Ignore";
  // `authorizer` needs the cluster; `resource.Get` & co. its data: reported as unsupported, with
  // the reason, never as an unbound-variable error or a pass.
  const unsupported = clusterOnlyReason(compiled);
  const needsData = clusterDataReason(compiled);
  return {
    name: binding.name,
    raw: { name: binding.name },
    kind: "validate",
    ...(unsupported ? { unsupported } : {}),
    kinds: ["*"],
    evaluator: {
      matches: (object, labels, operation) => constraintsMatch(constraints, object, labels, operation) && constraintsMatch(narrowed, object, labels, operation),
      evaluate(context) {
        const params = paramsListFor(policy.spec.paramKind, binding.spec.paramRef, context);
        if ("error" in params) return { status: "error", message: params.error, severity };
        if ("skip" in params) return { status: "skip", message: params.skip };
        if (needsData && !context.clusterData) return { status: "skip", message: needsData, unsupported: true };
        // A selector may select several parameter objects: the request must pass with each.
        let out: ExpressionOutcome = { status: "pass", message: `ValidatingAdmissionPolicy ${policy.name} passed.` };
        for (const value of params.values) {
          out = withClusterData(context.clusterData, () => runExpressions(compiled, bindingsOf(context, value), `ValidatingAdmissionPolicy ${policy.name} passed.`));
          if (out.status !== "pass") break;
        }
        if (out.status === "error" && ignoreErrors) return { status: "skip", message: `${out.message} (failurePolicy: Ignore)` };
        return { ...out, severity };
      },
    },
  };
}

/**
 * Replaces admission policies and bindings by one evaluable policy per bound policy (a rule per
 * binding); everything else is returned as is. Linked policies are cached per binding.
 */
export function linkAdmissionPolicies(policies: readonly LoadedPolicy[]): LoadedPolicy[] {
  // Linked policies have rules (one per binding) and pass through: linking twice changes nothing.
  const unlinked = (p: LoadedPolicy) => isAdmissionDocument(p.apiVersion, p.kind) && p.rules.length === 0;
  const admission = policies.filter(unlinked);
  if (admission.length === 0) return [...policies];
  const out = policies.filter((p) => !unlinked(p));
  for (const policy of admission.filter((p) => p.kind === VAP_KIND)) {
    const compiled = compiledPolicies.get(policy.spec);
    if (!compiled) continue;
    const bindings = admission.filter((b) => b.kind === VAP_BINDING_KIND && b.spec.policyName === policy.name);
    if (bindings.length === 0) continue;
    const key = bindings[0]!.spec;
    let hit = linked.get(key);
    if (!hit || hit.rules.length !== bindings.length) {
      hit = { ...policy, rules: bindings.map((b) => bindingRule(policy, b, compiled)) };
      linked.set(key, hit);
    }
    out.push(hit);
  }
  return out;
}

/**
 * `kyverno test` (and `kyverno apply`) evaluate a ValidatingAdmissionPolicy that no binding of
 * the test names as if one bound it everywhere with `validationActions: [Deny]`; a cluster
 * would ignore it. Returns the policies with such a binding added for each.
 */
export function withImplicitBindings(policies: readonly LoadedPolicy[]): LoadedPolicy[] {
  const bound = new Set(policies.filter((p) => p.kind === VAP_BINDING_KIND && isAdmissionDocument(p.apiVersion, p.kind)).map((p) => String(p.spec.policyName)));
  const out = [...policies];
  for (const p of policies) {
    if (p.kind !== VAP_KIND || !isAdmissionDocument(p.apiVersion, p.kind) || bound.has(p.name)) continue;
    out.push({ ...p, kind: VAP_BINDING_KIND, name: p.name, spec: { policyName: p.name, validationActions: ["Deny"] }, rules: [] });
  }
  return out;
}
