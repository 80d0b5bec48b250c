/**
 * Reading Kyverno policies from YAML. Malformed documents become problems with file and line;
 * policy kinds the engine cannot evaluate (CEL `ValidatingPolicy` & co.) load as unsupported so
 * their results are reported as such, never dropped.
 */
import { isPlainObject, parseYamlStream } from "../yaml/parse.js";
import { computeRules } from "./engine/autogen.js";
import { classifyRule, ruleKinds } from "./engine/rule-kinds.js";
import { celRuleEvaluator } from "./cel/kyverno-rule.js";
import { isAdmissionDocument, loadAdmissionDocument } from "./cel/admission-policy.js";
import { loadValidatingPolicy } from "./cel/validating-policy.js";
import type { Json, LoadedPolicy, PolicyProblem, PolicyRule } from "./model.js";

const KYVERNO_KINDS = new Set(["ClusterPolicy", "Policy"]);
const KYVERNO_VERSIONS = new Set(["kyverno.io/v1", "kyverno.io/v2beta1", "kyverno.io/v2"]);
/** Policies that apply only in their own namespace (`metadata.namespace`). */
const NAMESPACED_KINDS = new Set(["Policy", "NamespacedValidatingPolicy"]);
/** ValidatingPolicy and its namespaced twin (policies.kyverno.io v1alpha1, v1beta1, v1): same spec. */
const VALIDATING_POLICY_KINDS = new Set(["ValidatingPolicy", "NamespacedValidatingPolicy"]);
/** Kinds we recognise as policies but do not evaluate: CEL-based or admission-registration ones. */
const UNSUPPORTED_KINDS: Record<string, string> = {
  ImageValidatingPolicy: "ImageValidatingPolicy needs registry access",
  MutatingPolicy: "MutatingPolicy (CEL) changes resources; not evaluated",
  GeneratingPolicy: "GeneratingPolicy (CEL) creates resources; not evaluated",
  DeletingPolicy: "DeletingPolicy deletes cluster resources; not evaluated",
  MutatingAdmissionPolicy: "MutatingAdmissionPolicy (CEL) is not evaluated offline",
  CleanupPolicy: "CleanupPolicy deletes cluster resources; not evaluated",
  ClusterCleanupPolicy: "ClusterCleanupPolicy deletes cluster resources; not evaluated",
};

export interface LoadResult {
  policies: LoadedPolicy[];
  problems: PolicyProblem[];
}

export function loadPolicies(text: string, file: string): LoadResult {
  const policies: LoadedPolicy[] = [];
  const problems: PolicyProblem[] = [];
  const parsed = parseYamlStream(text);
  for (const e of parsed.errors) problems.push({ file, ...(e.line ? { line: e.line } : {}), message: `invalid YAML: ${e.message}` });
  for (const doc of parsed.docs) {
    const result = loadDocument(doc.value, file, doc.line);
    if ("problem" in result) problems.push({ file, line: doc.line, message: result.problem });
    else policies.push(result.policy);
  }
  return { policies, problems };
}

function stringMap(v: unknown): Record<string, string> {
  if (!isPlainObject(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(v)) if (typeof val === "string") out[k] = val;
  return out;
}

function loadDocument(value: unknown, file: string, line: number): { policy: LoadedPolicy } | { problem: string } {
  if (!isPlainObject(value)) return { problem: "document is not a mapping" };
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== "string" || typeof kind !== "string") return { problem: "document has no apiVersion and kind" };
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  const name = metadata.name;
  if (typeof name !== "string" || name === "") return { problem: `${kind} has no metadata.name` };
  const base = {
    apiVersion,
    kind,
    name,
    namespace: NAMESPACED_KINDS.has(kind) && typeof metadata.namespace === "string" ? metadata.namespace : "",
    file,
    line,
    annotations: stringMap(metadata.annotations),
    spec: isPlainObject(value.spec) ? value.spec : {},
  };
  if (VALIDATING_POLICY_KINDS.has(kind) && apiVersion.startsWith("policies.kyverno.io/")) return loadValidatingPolicy(base);
  if (isAdmissionDocument(apiVersion, kind)) return loadAdmissionDocument(base);
  const unsupported = UNSUPPORTED_KINDS[kind];
  if (unsupported) return { policy: { ...base, unsupported: `${unsupported} (${apiVersion})`, rules: [] } };
  if (!KYVERNO_KINDS.has(kind) || !KYVERNO_VERSIONS.has(apiVersion)) {
    return { problem: `${apiVersion} ${kind} "${name}" is not a Kyverno ClusterPolicy or Policy` };
  }
  const rules = value.spec && isPlainObject(value.spec) ? value.spec.rules : undefined;
  if (!Array.isArray(rules) || rules.length === 0) return { problem: `${kind} "${name}": spec.rules must be a non-empty list` };
  for (const [i, rule] of rules.entries()) {
    if (!isPlainObject(rule)) return { problem: `${kind} "${name}": spec.rules[${i}] is not a mapping` };
    if (typeof rule.name !== "string" || rule.name === "") return { problem: `${kind} "${name}": spec.rules[${i}] has no name` };
    if (!isPlainObject(rule.match)) return { problem: `${kind} "${name}": rule "${rule.name}" has no match block` };
  }
  const expanded = computeRules(rules as Json[], base.annotations);
  const loaded: PolicyRule[] = [];
  for (const raw of expanded) {
    const rule = toRule(raw, base.annotations);
    if ("problem" in rule) return { problem: `${kind} "${name}": ${rule.problem}` };
    loaded.push(rule);
  }
  return { policy: { ...base, rules: loaded } };
}

function toRule(raw: Json, annotations: Readonly<Record<string, string>>): PolicyRule | { problem: string } {
  const { kind, unsupported } = classifyRule(raw, annotations);
  const rule: PolicyRule = { name: String(raw.name), raw, kind, ...(unsupported ? { unsupported } : {}), kinds: ruleKinds(raw) };
  if (unsupported || !isPlainObject(raw.validate) || !isPlainObject(raw.validate.cel)) return rule;
  const cel = celRuleEvaluator(raw);
  if ("problem" in cel) return cel;
  return { ...rule, evaluator: cel.evaluator, ...(cel.unsupported ? { unsupported: cel.unsupported } : {}) };
}
