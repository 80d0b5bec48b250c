/** The types the policy engine works with: loaded policies, resources and rule results. */
import type { Severity } from "../core/model/finding.js";

export type Json = Record<string, unknown>;

/** What kind of rule this is; only "validate" rules (without CEL) are evaluated offline. */
export type RuleKind = "validate" | "mutate" | "generate" | "verifyImages" | "unknown";

export interface PolicyRule {
  /** Rule name as Kyverno reports it: `autogen-…` / `autogen-cronjob-…` for generated ones. */
  name: string;
  /** The rule as written (after autogen), with Kyverno's field names. */
  raw: Json;
  kind: RuleKind;
  /** Set when the rule cannot be evaluated offline; reported as status "skip" with this reason. */
  unsupported?: string;
  /** Kinds this rule can match ("*" when any); used to index rules by kind. */
  kinds: readonly string[];
  /** Set for rules evaluated outside the pattern engine (CEL: validate.cel, ValidatingPolicy). */
  evaluator?: RuleEvaluator;
}

/** The admission operation a resource is judged under (CREATE unless the caller says otherwise). */
export type AdmissionOperation = "CREATE" | "UPDATE" | "DELETE";

/**
 * The request around one resource: UPDATE carries the object before the change, DELETE has no
 * object (the resource given to the engine is then the old one).
 */
export interface AdmissionRequest {
  operation: AdmissionOperation;
  oldObject: Json | null;
}

/** What a CEL rule sees of a resource. */
export interface RuleContext {
  /** The object, null for a DELETE. */
  object: Json | null;
  /** The operation (CREATE when absent) and the object before it (UPDATE, DELETE). */
  request?: AdmissionRequest;
  /** The resource's Namespace (known or synthesised from its name), null when cluster-scoped. */
  namespaceObject: Json | null;
  /** Every resource of the side, for `params` lookups. */
  allResources: readonly PolicyResource[];
  /** Where `paramRef` looks instead of `allResources` (base-side admission policies: the base's objects). */
  paramResources?: readonly PolicyResource[];
  /** What Kyverno's CEL libraries would read from the cluster (`kyverno test` Context files). */
  clusterData?: ClusterData;
  /** Who makes the request (`request.userInfo`), when known (a `kyverno test` userInfo file). */
  userInfo?: Json;
}

/**
 * Cluster objects and image metadata for Kyverno's `resource.Get` / `resource.List` and
 * `image.GetMetadata`, as a `kyverno test` Context file gives them. Without it, rules that use
 * those functions are reported as unsupported.
 */
export interface ClusterData {
  resources: readonly Json[];
  /** Image reference → its metadata (`config`, `manifest`...). */
  images: ReadonlyMap<string, Json>;
}

export interface RuleEvaluator {
  /** Replaces Kyverno's match/exclude when set (ValidatingPolicy matchConstraints). */
  matches?(object: Json, namespaceLabels: Readonly<Record<string, string>> | undefined, operation?: AdmissionOperation): boolean;
  /** `unsupported`: could not be evaluated offline (reported as a skip with the reason). */
  evaluate(context: RuleContext): { status: RuleStatus; message: string; severity?: Severity; unsupported?: true };
}

export interface LoadedPolicy {
  apiVersion: string;
  /** ClusterPolicy, Policy, or an unsupported kind (ValidatingPolicy, ...). */
  kind: string;
  name: string;
  /** Namespace of a namespaced `Policy`; "" for cluster-wide policies. */
  namespace: string;
  file: string;
  line: number;
  annotations: Readonly<Record<string, string>>;
  spec: Json;
  /** Set when the whole policy cannot be evaluated offline (CEL / ValidatingPolicy kinds). */
  unsupported?: string;
  /** Rules including the pod-controller rules Kyverno generates (autogen). */
  rules: readonly PolicyRule[];
}

export interface PolicyProblem {
  file: string;
  line?: number;
  message: string;
}

/** A resource as the engine sees it: a plain Kubernetes-shaped object. */
export interface PolicyResource {
  object: Json;
}

export type RuleStatus = "pass" | "fail" | "skip" | "error";

export interface RuleResult {
  policy: string;
  /** Namespace of a namespaced Policy, "" otherwise. */
  policyNamespace: string;
  rule: string;
  resource: PolicyResource;
  /** Position of `resource` in the array given to evaluatePolicies. */
  resourceIndex: number;
  status: RuleStatus;
  /** The rule's message with variables substituted (fail), or the reason (skip/error). */
  message: string;
  severity: Severity;
  /** Dotted JSON path of the offending field, e.g. `spec.containers[0].image`. */
  path?: string;
  /**
   * Set on skips that mean "could not be evaluated offline" (mutate, CEL, cluster lookups...).
   * Other skips are Kyverno's ordinary "the rule does not apply" (preconditions not met).
   */
  unsupported?: true;
}

export interface EvaluationOptions {
  /** Dotted names → values merged into the JMESPath data, e.g. `shipshape.parameters.x`. */
  variables?: Record<string, unknown>;
  /** policy name → severity for its failures, overriding validationFailureAction. */
  severityOverrides?: Record<string, Severity>;
  /** Every resource of this side, for apiCall emulation and namespace labels; defaults to `resources`. */
  allResources?: readonly PolicyResource[];
  /** Extra namespace labels by namespace name (kyverno test `namespaceSelector` values). */
  namespaceLabels?: Record<string, Record<string, string>>;
  /** Per policy/rule/resource values (kyverno test `values`); looked up after `variables`. */
  valuesFor?: (policy: string, rule: string, resource: PolicyResource) => Record<string, unknown> | undefined;
  /** Cluster data for Kyverno's CEL libraries (kyverno test Context files). */
  clusterData?: ClusterData;
  /** Namespace objects known besides the resources (kyverno test values `namespaces`), for `namespaceObject`. */
  namespaces?: readonly Json[];
  /**
   * The request of each resource (CREATE when undefined): UPDATE with the base version, or
   * DELETE (the resource is the removed object; only rules that select DELETE run).
   */
  requestFor?: (resource: PolicyResource, index: number) => AdmissionRequest | undefined;
  /** Where `paramRef` lookups go instead of the resources of the evaluation. */
  paramResources?: readonly PolicyResource[];
  /** Who makes the requests, for CEL `request.userInfo` (a `kyverno test` userInfo file); `{}` when absent. */
  userInfo?: Json;
}
