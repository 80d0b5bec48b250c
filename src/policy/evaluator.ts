/**
 * The core's PolicyEvaluator port, backed by the Kyverno-compatible engine. Shipshape
 * resources are shown to policies as Kubernetes-shaped objects (Compose entries get the
 * `compose/v1` shape documented in README.md); results become PolicyIssues: failures with the
 * policy's severity, skips as "info" with the reason, errors as "warning" naming the rule.
 */
import type { Severity } from "../core/model/finding.js";
import type { Resource } from "../core/model/resource.js";
import type { PolicyEvaluator, PolicyIssue, PolicyRequest } from "../core/ports.js";
import { isAdmissionDocument } from "./cel/admission-policy.js";
import { evaluatePolicies } from "./engine/evaluate.js";
import { admissionProblems, changeRequests, deleteRequest, namespaceLabelsOf, renderedAdmissionPolicies } from "./rendered-admission.js";
import type { Json, LoadedPolicy, PolicyResource, RuleResult } from "./model.js";

export const COMPOSE_API_VERSION = "compose/v1";

export interface PolicyEvaluatorOptions {
  policies: LoadedPolicy[];
  /** Exposed to policies as `{{ shipshape.parameters.<name> }}`. */
  parameters: Record<string, unknown>;
  /** policy name → severity of its failures (overrides validationFailureAction). */
  severityOverrides: Record<string, Severity>;
  /** Admission policies among the base side's rendered objects judge the change (`policies.admission`). */
  admission?: boolean;
}

/** How a Shipshape resource looks to a policy. */
export function toPolicyResource(resource: Resource): PolicyResource {
  if (resource.apiVersion !== COMPOSE_API_VERSION) return { object: resource.body };
  const labels = resource.body.labels;
  const metadata: Json = { name: resource.name };
  if (typeof labels === "object" && labels !== null && !Array.isArray(labels)) metadata.labels = labels;
  return { object: { apiVersion: COMPOSE_API_VERSION, kind: resource.kind, metadata, spec: resource.body } };
}

export function parameterVariables(parameters: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(parameters)) out[`shipshape.parameters.${name}`] = value;
  return out;
}

function toIssue(result: RuleResult, resource: Resource): PolicyIssue {
  const base = { policy: result.policy, rule: result.rule, resource, ...(result.path !== undefined ? { path: result.path } : {}) };
  switch (result.status) {
    case "skip":
      return { ...base, status: "skip", severity: "info", message: result.message };
    case "error":
      return { ...base, status: "error", severity: "warning", message: `policy ${result.policy}, rule ${result.rule} could not be evaluated: ${result.message}` };
    default:
      return { ...base, status: "fail", severity: result.severity, message: result.message };
  }
}

export function createPolicyEvaluator(options: PolicyEvaluatorOptions): PolicyEvaluator {
  const variables = parameterVariables(options.parameters);
  const evaluation = { variables, severityOverrides: options.severityOverrides };
  // Policies that look beyond the resource (apiCall lookups, namespace selectors) depend on
  // the whole side; the others depend on the resource alone, so their results are kept per
  // object: the base and head of an unchanged file share parsed objects, and are judged once.
  const contextual = options.policies.filter(looksBeyondResource);
  const local = options.policies.filter((p) => !looksBeyondResource(p));
  const localResults = new WeakMap<object, RuleResult[]>();
  return {
    async evaluate(request: PolicyRequest): Promise<PolicyIssue[]> {
      const resources = request.resources.map(toPolicyResource);
      const { requests, removed } = changeRequests(request.resources, request.previous, (r) => toPolicyResource(r).object);
      const requestFor = (_: PolicyResource, i: number) => requests[i];
      const results: RuleResult[] = [];
      const allResources = request.allResources === request.resources ? resources : policyResources(request.allResources);
      if (contextual.length > 0) {
        results.push(...evaluatePolicies(contextual, resources, { ...evaluation, allResources, requestFor }));
      }
      if (local.length > 0) {
        // Only CREATEs are cached: an UPDATE's result depends on the base version too.
        const cached = (i: number) => requests[i] === undefined && localResults.has(request.resources[i]!.body);
        const pending = request.resources.map((r, i) => i).filter((i) => !cached(i));
        const fresh = evaluatePolicies(local, pending.map((i) => resources[i]!), { ...evaluation, requestFor: (_, j) => requests[pending[j]!] });
        const byResource = new Map<number, RuleResult[]>(pending.map((i) => [i, []]));
        for (const r of fresh) byResource.get(pending[r.resourceIndex]!)!.push(r);
        request.resources.forEach((resource, i) => {
          const own = byResource.get(i);
          if (own && requests[i] === undefined) localResults.set(resource.body, own);
          for (const r of own ?? localResults.get(resource.body) ?? []) results.push({ ...r, resourceIndex: i });
        });
      }
      // The base side's admission policies (config policies.admission) judge both sides.
      const admission = options.admission && request.baseResources ? renderedAdmissionPolicies(request.baseResources, options.policies) : [];
      if (admission.length > 0) {
        const base = policyResources(request.baseResources!);
        const baseNamespaces = namespaceLabelsOf(request.baseResources!);
        results.push(...evaluatePolicies(admission, resources, { ...evaluation, allResources, requestFor, paramResources: base, namespaceLabels: baseNamespaces }));
      }
      const issues: PolicyIssue[] = [];
      const keep = (r: RuleResult) => !(r.status === "pass" || (r.status === "skip" && !r.unsupported));
      for (const r of results) {
        // Passes, and skips that only mean "this rule does not apply here", are not findings.
        if (!keep(r)) continue;
        const resource = request.resources[r.resourceIndex];
        if (resource) issues.push(toIssue(r, resource));
      }
      // Removed resources meet only the rules that select DELETE.
      if (removed.length > 0) {
        const gone = removed.map(toPolicyResource);
        const deleteFor = (r: PolicyResource) => deleteRequest(r.object);
        const all = [...options.policies];
        const out = evaluatePolicies(all, gone, { ...evaluation, allResources, requestFor: deleteFor });
        if (admission.length > 0) out.push(...evaluatePolicies(admission, gone, { ...evaluation, allResources, requestFor: deleteFor, paramResources: policyResources(request.baseResources!), namespaceLabels: namespaceLabelsOf(request.baseResources!) }));
        for (const r of out) if (keep(r)) issues.push(toIssue(r, removed[r.resourceIndex]!));
      }
      if (options.admission) issues.push(...admissionProblems(request.resources));
      return issues;
    },
  };
}

const converted = new WeakMap<readonly Resource[], PolicyResource[]>();

function policyResources(list: readonly Resource[]): PolicyResource[] {
  let hit = converted.get(list);
  if (!hit) {
    hit = list.map(toPolicyResource);
    converted.set(list, hit);
  }
  return hit;
}

function looksBeyondResource(policy: LoadedPolicy): boolean {
  // Admission policies and their bindings are linked inside one evaluation: keep them together.
  if (isAdmissionDocument(policy.apiVersion, policy.kind)) return true;
  return /"(apiCall|namespaceSelector|paramKind|paramRef)"|namespaceObject/.test(JSON.stringify(policy.spec));
}
