/**
 * The `kyverno test` file formats: `cli.kyverno.io/v1alpha1` `Test` and the older un-versioned
 * layout (same fields; `resource`/`status` instead of `resources`/`result`), and values files
 * (`globalValues`, per-policy rule and resource `values`, `namespaceSelector`, `namespaces`).
 */
import { isPlainObject } from "../../yaml/parse.js";

export interface ExpectedResult {
  policy: string;
  rule: string;
  kind: string;
  namespace: string;
  resources: string[];
  result: string;
  /** The entry tests a CEL/admission policy or a mutate/generate outcome we do not evaluate. */
  unsupportedReason?: string;
  /** Rule names are not compared for these (ValidatingAdmissionPolicy & co.). */
  anyRule: boolean;
}

export interface TestSpec {
  name: string;
  policies: string[];
  resources: string[];
  variables?: string;
  /** A `UserInfo` file (roles, clusterRoles, userInfo) for the request; none when absent. */
  userInfo?: string;
  /** A `Context` file: cluster objects and image metadata for Kyverno's CEL libraries. */
  context?: string;
  inlineValues?: Record<string, unknown>;
  results: ExpectedResult[];
}

const POLICY_TYPE_FLAGS: Record<string, string> = {
  isValidatingAdmissionPolicy: "ValidatingAdmissionPolicy (CEL)",
  isValidatingPolicy: "ValidatingPolicy (CEL)",
  isImageValidatingPolicy: "ImageValidatingPolicy",
  isMutatingAdmissionPolicy: "MutatingAdmissionPolicy",
  isMutatingPolicy: "MutatingPolicy",
  isGeneratingPolicy: "GeneratingPolicy",
  isDeletingPolicy: "DeletingPolicy",
};
const OUTCOME_FIELDS: Record<string, string> = {
  patchedResources: "mutate (patched resource comparison)",
  patchedResource: "mutate (patched resource comparison)",
  generatedResource: "generate (generated resource comparison)",
  generatedResources: "generate (generated resource comparison)",
  cloneSourceResource: "generate (clone)",
};

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : typeof v === "string" ? [v] : [];
}

export function parseTestSpec(value: unknown): TestSpec {
  if (!isPlainObject(value)) throw new Error("the test file is not a mapping");
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === "string" ? metadata.name : typeof value.name === "string" ? value.name : "";
  const results: ExpectedResult[] = [];
  for (const [i, r] of (Array.isArray(value.results) ? value.results : []).entries()) {
    if (!isPlainObject(r)) throw new Error(`results[${i}] is not a mapping`);
    const flags = Object.keys(POLICY_TYPE_FLAGS).filter((k) => r[k] === true);
    const outcome = Object.keys(OUTCOME_FIELDS).find((k) => r[k] !== undefined);
    // ValidatingPolicy and ValidatingAdmissionPolicy are evaluated (src/policy/cel); the other CEL kinds are not yet.
    const unevaluated = flags.filter((f) => f !== "isValidatingPolicy" && f !== "isValidatingAdmissionPolicy");
    const reason = unevaluated.length > 0 ? `${POLICY_TYPE_FLAGS[unevaluated[0]!]} is not evaluated` : outcome ? `${OUTCOME_FIELDS[outcome]} is not evaluated` : undefined;
    results.push({
      policy: String(r.policy ?? ""),
      rule: String(r.rule ?? ""),
      kind: String(r.kind ?? ""),
      namespace: typeof r.namespace === "string" ? r.namespace : "",
      resources: r.resources !== undefined ? strings(r.resources) : strings(r.resource),
      result: String(r.result ?? r.status ?? ""),
      ...(reason ? { unsupportedReason: reason } : {}),
      // ValidatingPolicy results have no rule of their own: an entry without a rule names none.
      anyRule: flags.length > 0 || (r.rule === undefined && String(r.policy ?? "") !== ""),
    });
  }
  const userInfo = fieldOf(value, "userInfo");
  return {
    name,
    policies: strings(value.policies),
    resources: strings(value.resources),
    ...(typeof value.variables === "string" ? { variables: value.variables } : {}),
    ...(typeof userInfo === "string" ? { userInfo } : {}),
    ...(typeof value.context === "string" ? { context: value.context } : {}),
    ...(isPlainObject(value.values) ? { inlineValues: value.values } : {}),
    results,
  };
}

/**
 * A field by its name, or else by any spelling of it (`userinfo:`): the Kyverno CLI decodes test
 * files with Go's encoding/json, which matches field names case-insensitively.
 */
export function fieldOf(value: Record<string, unknown>, name: string): unknown {
  if (value[name] !== undefined) return value[name];
  const lower = name.toLowerCase();
  const key = Object.keys(value).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : value[key];
}

export interface TestValues {
  global: Record<string, unknown>;
  /** policy → rule → values */
  rules: Map<string, Map<string, Record<string, unknown>>>;
  /** policy → resource name → values */
  resources: Map<string, Map<string, Record<string, unknown>>>;
  namespaceLabels: Record<string, Record<string, string>>;
  /** The values file's `namespaces`: whole Namespace objects (annotations too), for `namespaceObject`. */
  namespaces: Record<string, unknown>[];
}

function record(v: unknown): Record<string, unknown> {
  return isPlainObject(v) ? v : {};
}

export function parseValues(value: unknown): TestValues {
  const v = record(value);
  const rules = new Map<string, Map<string, Record<string, unknown>>>();
  const resources = new Map<string, Map<string, Record<string, unknown>>>();
  for (const p of Array.isArray(v.policies) ? v.policies : []) {
    if (!isPlainObject(p) || typeof p.name !== "string") continue;
    const byRule = new Map<string, Record<string, unknown>>();
    for (const r of Array.isArray(p.rules) ? p.rules : []) if (isPlainObject(r) && typeof r.name === "string") byRule.set(r.name, record(r.values));
    const byResource = new Map<string, Record<string, unknown>>();
    for (const r of Array.isArray(p.resources) ? p.resources : []) if (isPlainObject(r) && typeof r.name === "string") byResource.set(r.name, record(r.values));
    rules.set(p.name, byRule);
    resources.set(p.name, byResource);
  }
  const namespaceLabels: Record<string, Record<string, string>> = {};
  for (const n of Array.isArray(v.namespaceSelector) ? v.namespaceSelector : []) {
    if (isPlainObject(n) && typeof n.name === "string") namespaceLabels[n.name] = Object.fromEntries(Object.entries(record(n.labels)).map(([k, l]) => [k, String(l)]));
  }
  for (const n of Array.isArray(v.namespaces) ? v.namespaces : []) {
    const meta = isPlainObject(n) ? record(n.metadata) : {};
    if (typeof meta.name === "string") namespaceLabels[meta.name] = { ...namespaceLabels[meta.name], ...Object.fromEntries(Object.entries(record(meta.labels)).map(([k, l]) => [k, String(l)])) };
  }
  const namespaces = (Array.isArray(v.namespaces) ? v.namespaces : []).filter(isPlainObject).map((n) => ({ apiVersion: "v1", kind: "Namespace", ...n }));
  return { global: record(v.globalValues), rules, resources, namespaceLabels, namespaces };
}
