/**
 * Kyverno `ValidatingPolicy` (policies.kyverno.io): matchConstraints, matchConditions,
 * variables, validations (message / messageExpression), validationActions (Deny → error,
 * Warn and Audit → warning, like Kyverno's Enforce/Audit), and autogen for Pod controllers:
 * a policy that selects only Pods also checks the pod templates of the controllers
 * (`spec.autogen.podControllers.controllers`, or all of them), with `object.spec` /
 * `object.metadata` moved to the template as Kyverno does, in rules `autogen-defaults` and
 * `autogen-cronjobs`.
 */
import type { Severity } from "../../core/model/finding.js";
import type { Json, LoadedPolicy, PolicyRule } from "../model.js";
import { bindingsOf } from "./bindings.js";
import { clusterDataReason, clusterOnlyReason, compileExpressions, runExpressions } from "./expressions.js";
import { withClusterData } from "./kyverno-library.js";
import { constraintsMatch } from "./match-constraints.js";
import { paramsFor } from "./params.js";
import { toCelInput } from "./values.js";

const CONTROLLERS: Record<string, { group: string; resource: string }> = {
  DaemonSet: { group: "apps", resource: "daemonsets" },
  Deployment: { group: "apps", resource: "deployments" },
  Job: { group: "batch", resource: "jobs" },
  ReplicaSet: { group: "apps", resource: "replicasets" },
  ReplicationController: { group: "", resource: "replicationcontrollers" },
  StatefulSet: { group: "apps", resource: "statefulsets" },
};

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function severityOf(actions: unknown): Severity {
  return Array.isArray(actions) && actions.includes("Deny") ? "error" : "warning";
}

interface Variant {
  name: string;
  constraints: Json;
  /** Where the pod spec and metadata live, for moving `object.spec` / `object.metadata`. */
  template?: string;
}

function onlyPods(constraints: Json): boolean {
  const rules = Array.isArray(constraints.resourceRules) ? constraints.resourceRules.filter(isObj) : [];
  return rules.length > 0 && rules.every((r) => Array.isArray(r.resources) && r.resources.every((x) => x === "pods") && Array.isArray(r.apiGroups) && r.apiGroups.every((g) => g === ""));
}

function variants(name: string, spec: Json): Variant[] {
  const constraints = isObj(spec.matchConstraints) ? spec.matchConstraints : {};
  const out: Variant[] = [{ name, constraints }];
  if (!onlyPods(constraints)) return out;
  const autogen = isObj(spec.autogen) && isObj(spec.autogen.podControllers) ? spec.autogen.podControllers : undefined;
  const wanted = autogen && Array.isArray(autogen.controllers) ? autogen.controllers.map(String) : [...Object.keys(CONTROLLERS), "CronJob"];
  const base = { ...constraints, resourceRules: [] as Json[] };
  const ops = ["CREATE", "UPDATE"];
  const pods = wanted.filter((c) => CONTROLLERS[c]).map((c) => CONTROLLERS[c]!);
  if (pods.length > 0) {
    const rules = [...new Set(pods.map((p) => p.group))].map((g) => ({ apiGroups: [g], apiVersions: ["v1"], operations: ops, resources: pods.filter((p) => p.group === g).map((p) => p.resource) }));
    out.push({ name: "autogen-defaults", constraints: { ...base, resourceRules: rules }, template: "spec.template" });
  }
  if (wanted.includes("CronJob")) {
    out.push({ name: "autogen-cronjobs", constraints: { ...base, resourceRules: [{ apiGroups: ["batch"], apiVersions: ["v1"], operations: ops, resources: ["cronjobs"] }] }, template: "spec.jobTemplate.spec.template" });
  }
  return out;
}

/** `object.spec` → `object.<template>.spec`, same for metadata and oldObject (whole identifiers only). */
function moveToTemplate(value: unknown, template: string): unknown {
  const text = JSON.stringify(value ?? null).replace(/(?<![\w.])(object|oldObject)\.(spec|metadata)\b/g, `$1.${template}.$2`);
  return JSON.parse(text) as unknown;
}

/** A ValidatingPolicy as a LoadedPolicy whose rules carry CEL evaluators, or a problem. */
export function loadValidatingPolicy(base: Omit<LoadedPolicy, "rules">): { policy: LoadedPolicy } | { problem: string } {
  const spec = base.spec;
  if (!Array.isArray(spec.validations) || spec.validations.length === 0) return { problem: `${base.kind} "${base.name}": spec.validations must be a non-empty list` };
  const severity = severityOf(spec.validationActions);
  const rules: PolicyRule[] = [];
  for (const variant of variants(base.name, spec)) {
    const move = (v: unknown) => (variant.template ? moveToTemplate(v, variant.template) : v);
    let compiled;
    try {
      compiled = compileExpressions(move(spec.variables), move(spec.matchConditions), move(spec.validations));
    } catch (err) {
      return { problem: `${base.kind} "${base.name}": ${(err as Error).message}` };
    }
    const constraints = variant.constraints;
    const unsupported = clusterOnlyReason(compiled);
    const needsData = clusterDataReason(compiled);
    rules.push({
      name: variant.name,
      raw: { name: variant.name, matchConstraints: constraints },
      kind: "validate",
      ...(unsupported ? { unsupported } : {}),
      kinds: ["*"],
      evaluator: {
        matches: (object, namespaceLabels, operation) => constraintsMatch(constraints, object, namespaceLabels, operation),
        evaluate(context) {
          const params = paramsFor(spec.paramKind, isObj(spec.paramRef) ? spec.paramRef : undefined, context);
          if ("error" in params) return { status: "error", message: params.error };
          if ("skip" in params) return { status: "skip", message: params.skip };
          // Kyverno evaluates the unstructured object as written: null fields stay null.
          const bindings = { ...bindingsOf(context, params.value), object: toCelInput(context.object, { keepNulls: true }) };
          if (needsData && !context.clusterData) return { status: "skip", message: needsData, unsupported: true };
          const out = withClusterData(context.clusterData, () => runExpressions(compiled, bindings, `policy ${base.name} passed.`));
          return { ...out, severity };
        },
      },
    });
  }
  return { policy: { ...base, rules } };
}
