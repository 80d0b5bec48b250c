/**
 * Evaluating policies over resources. Rules are indexed by the kinds they can match, so each
 * resource only meets the rules that could apply to it; everything per-policy (autogen, parsed
 * expressions, anchors) is computed once, not per resource.
 */
import type { Severity } from "../../core/model/finding.js";
import type { AdmissionOperation, EvaluationOptions, Json, LoadedPolicy, PolicyResource, PolicyRule, RuleResult } from "../model.js";
import { evaluatePodSecurity } from "../pss/pod-security.js";
import { indexResources, type ResourceIndex } from "./api-call.js";
import { requestData, withValues } from "./data.js";
import { ruleMatches, type MatchTarget } from "./match.js";
import { linkAdmissionPolicies } from "../cel/admission-policy.js";
import { unsupportedPolicyMatches } from "./unsupported-policy.js";
import { prepare, runValidator, type Outcome, type ValidateEnv } from "./validate.js";

interface IndexedRule {
  order: number;
  policy: LoadedPolicy;
  rule: PolicyRule;
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringRecord(v: unknown): Record<string, string> {
  if (!isObj(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) out[k] = String(val);
  return out;
}

class RuleIndex {
  private readonly byKind = new Map<string, IndexedRule[]>();
  private readonly anyKind: IndexedRule[] = [];
  private readonly merged = new Map<string, IndexedRule[]>();

  constructor(policies: readonly LoadedPolicy[]) {
    let order = 0;
    for (const policy of policies) {
      for (const rule of policy.rules) {
        const entry = { order: order++, policy, rule };
        if (rule.kinds.includes("*")) this.anyKind.push(entry);
        else for (const k of rule.kinds) this.byKind.set(k, [...(this.byKind.get(k) ?? []), entry]);
      }
    }
  }

  rulesFor(kind: string): IndexedRule[] {
    let hit = this.merged.get(kind);
    if (!hit) {
      hit = [...(this.byKind.get(kind) ?? []), ...this.anyKind].sort((a, b) => a.order - b.order);
      this.merged.set(kind, hit);
    }
    return hit;
  }
}

function failureAction(policy: LoadedPolicy, rule: PolicyRule, namespace: string): "Enforce" | "Audit" {
  const validate = isObj(rule.raw.validate) ? rule.raw.validate : {};
  const overrides = Array.isArray(validate.failureActionOverrides) ? validate.failureActionOverrides : policy.spec.validationFailureActionOverrides;
  if (Array.isArray(overrides)) {
    for (const o of overrides) {
      if (isObj(o) && Array.isArray(o.namespaces) && o.namespaces.includes(namespace) && typeof o.action === "string") {
        return o.action.toLowerCase() === "enforce" ? "Enforce" : "Audit";
      }
    }
  }
  const action = validate.failureAction ?? policy.spec.validationFailureAction;
  return typeof action === "string" && action.toLowerCase() === "enforce" ? "Enforce" : "Audit";
}

function targetOf(object: Json, namespaceLabels: Map<string, Record<string, string>>, operation: AdmissionOperation): MatchTarget {
  const metadata = isObj(object.metadata) ? object.metadata : {};
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "";
  const name = typeof metadata.name === "string" && metadata.name !== "" ? metadata.name : typeof metadata.generateName === "string" ? metadata.generateName : "";
  return {
    apiVersion: String(object.apiVersion ?? ""),
    kind: String(object.kind ?? ""),
    name,
    namespace,
    labels: stringRecord(metadata.labels),
    annotations: stringRecord(metadata.annotations),
    namespaceLabels: namespaceLabels.get(namespace),
    operation,
  };
}

function namespaceLabelsOf(all: readonly PolicyResource[], extra: Record<string, Record<string, string>> | undefined): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  for (const r of all) {
    if (r.object.kind !== "Namespace" || !isObj(r.object.metadata) || typeof r.object.metadata.name !== "string") continue;
    out.set(r.object.metadata.name, stringRecord(r.object.metadata.labels));
  }
  for (const [ns, labels] of Object.entries(extra ?? {})) out.set(ns, { ...(out.get(ns) ?? {}), ...labels });
  return out;
}

export function evaluatePolicies(loaded: readonly LoadedPolicy[], resources: readonly PolicyResource[], options: EvaluationOptions = {}): RuleResult[] {
  const policies = linkAdmissionPolicies(loaded);
  const index = new RuleIndex(policies.filter((p) => !p.unsupported));
  const unsupported = policies.filter((p) => p.unsupported);
  const all = options.allResources ?? resources;
  const namespaceLabels = namespaceLabelsOf(all, options.namespaceLabels);
  let resourceIndex: ResourceIndex | undefined;
  const lazyIndex = () => (resourceIndex ??= indexResources(all.map((r) => r.object)));
  const results: RuleResult[] = [];
  const usesImages = policies.some((p) => p.rules.some((r) => JSON.stringify(r.raw).includes("images.")));

  resources.forEach((resource, resourceIndexNo) => {
    const object = resource.object;
    const request = options.requestFor?.(resource, resourceIndexNo);
    const operation = request?.operation ?? "CREATE";
    // A removal is judged only by rules that select DELETE (admission matchConstraints); the
    // resource given is the removed object, which they see as oldObject.
    const removal = operation === "DELETE";
    const target = targetOf(object, namespaceLabels, operation);
    let base: Json | undefined;
    const requestValues = request && !removal ? { "request.operation": operation, "request.oldObject": request.oldObject } : undefined;
    const baseData = () => (base ??= withValues(withValues(requestData(object, usesImages), requestValues), options.variables));
    const stopped = new Set<LoadedPolicy>();
    for (const { policy, rule } of index.rulesFor(target.kind)) {
      if (stopped.has(policy)) continue;
      if (policy.namespace && policy.namespace !== target.namespace) continue;
      if (removal && !rule.evaluator?.matches) continue;
      if (rule.evaluator?.matches ? !rule.evaluator.matches(object, target.namespaceLabels, operation) : !ruleMatches(rule.raw, target)) continue;
      const outcome = rule.unsupported
        ? { status: "skip" as const, message: rule.unsupported }
        : rule.evaluator
          ? rule.evaluator.evaluate({
              object: removal ? null : object,
              ...(request ? { request } : {}),
              namespaceObject: namespaceObjectOf(target, all, options.namespaces),
              allResources: all,
              ...(options.paramResources ? { paramResources: options.paramResources } : {}),
              ...(options.clusterData ? { clusterData: options.clusterData } : {}),
              ...(options.userInfo ? { userInfo: options.userInfo } : {}),
            })
          : evaluateRule(policy, rule, resource, baseData(), lazyIndex, options);
      const result = toResult(policy, rule, resource, resourceIndexNo, outcome, target.namespace, options.severityOverrides);
      results.push(rule.unsupported || ("unsupported" in outcome && outcome.unsupported) ? { ...result, unsupported: true } : result);
      if (policy.spec.applyRules === "One" && outcome.status !== "skip") stopped.add(policy);
    }
    for (const policy of unsupported) {
      if (removal || !unsupportedPolicyMatches(policy, object)) continue;
      results.push({
        policy: policy.name,
        policyNamespace: policy.namespace,
        rule: policy.kind,
        resource,
        resourceIndex: resourceIndexNo,
        status: "skip",
        message: policy.unsupported ?? "not supported",
        severity: "info",
        unsupported: true,
      });
    }
  });
  return results;
}

/** The resource's Namespace among the resources or the known ones, else one made from its name and known labels. */
function namespaceObjectOf(target: MatchTarget, all: readonly PolicyResource[], known: readonly Json[] = []): Json | null {
  if (target.namespace === "" || target.kind === "Namespace") return null;
  const named = (o: Json) => o.kind === "Namespace" && isObj(o.metadata) && o.metadata.name === target.namespace;
  const found = all.find((r) => named(r.object))?.object ?? known.find(named);
  if (found) return found;
  return { apiVersion: "v1", kind: "Namespace", metadata: { name: target.namespace, ...(target.namespaceLabels ? { labels: target.namespaceLabels } : {}) } };
}

function evaluateRule(policy: LoadedPolicy, rule: PolicyRule, resource: PolicyResource, base: Json, resources: () => ResourceIndex, options: EvaluationOptions): Outcome {
  const validate = isObj(rule.raw.validate) ? rule.raw.validate : {};
  const values = options.valuesFor?.(policy.name, rule.name, resource);
  const env: ValidateEnv = {
    ruleName: rule.name,
    message: typeof validate.message === "string" ? validate.message : undefined,
    data: withValues(base, values),
    resources,
    nesting: 0,
  };
  const spec = {
    context: rule.raw.context,
    preconditions: rule.raw.preconditions,
    pattern: validate.pattern,
    anyPattern: validate.anyPattern,
    deny: validate.deny,
    foreach: validate.foreach,
  };
  if (validate.podSecurity !== undefined) {
    const prepared = prepare(spec, env);
    if ("outcome" in prepared) return prepared.outcome;
    return evaluatePodSecurity(validate.podSecurity, resource.object, { ...env, data: prepared.data });
  }
  try {
    return runValidator(spec, env, undefined) ?? { status: "skip", message: "the rule has nothing to validate" };
  } catch (err) {
    return { status: "error", message: `rule evaluation failed: ${(err as Error).message}` };
  }
}

function toResult(
  policy: LoadedPolicy,
  rule: PolicyRule,
  resource: PolicyResource,
  resourceIndex: number,
  outcome: Outcome & { severity?: Severity },
  namespace: string,
  overrides: Record<string, Severity> | undefined,
): RuleResult {
  let severity: Severity;
  if (outcome.status === "skip") severity = "info";
  else if (outcome.status === "error") severity = "warning";
  else severity = overrides?.[`${policy.name}/${rule.name}`] ?? overrides?.[policy.name] ?? outcome.severity ?? (failureAction(policy, rule, namespace) === "Enforce" ? "error" : "warning");
  return {
    policy: policy.name,
    policyNamespace: policy.namespace,
    rule: rule.name,
    resource,
    resourceIndex,
    status: outcome.status,
    message: outcome.message,
    severity,
    ...(outcome.path !== undefined ? { path: outcome.path } : {}),
  };
}
