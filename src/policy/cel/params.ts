/**
 * `paramKind` + `paramRef`: the parameter objects are looked up among the resources of the
 * evaluation (the repository's rendered objects, or a test's resources; for admission policies
 * found on the base side, the base's objects) by kind, then `name` or `selector`, in
 * `namespace` (else the request's namespace). None found follows `parameterNotFoundAction`
 * (Deny, the default, is an error; Allow skips).
 */
import { selectorMatches } from "../engine/selector.js";
import type { Json, RuleContext } from "../model.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function labelsOf(metadata: Json): Record<string, string> {
  return isObj(metadata.labels) ? Object.fromEntries(Object.entries(metadata.labels).map(([k, v]) => [k, String(v)])) : {};
}

/** Every parameter object the reference selects (a `name` selects at most one). */
export function paramsListFor(paramKind: unknown, paramRef: unknown, context: RuleContext): { values: (Json | null)[] } | { error: string } | { skip: string } {
  if (!isObj(paramKind) || !isObj(paramRef)) return { values: [null] };
  const kind = String(paramKind.kind ?? "");
  const apiVersion = String(paramKind.apiVersion ?? "");
  const name = typeof paramRef.name === "string" && paramRef.name !== "" ? paramRef.name : undefined;
  const selector = isObj(paramRef.selector) ? paramRef.selector : undefined;
  const subject = context.object ?? context.request?.oldObject ?? {};
  const objectNs = isObj(subject.metadata) && typeof subject.metadata.namespace === "string" ? subject.metadata.namespace : "";
  const namespace = typeof paramRef.namespace === "string" && paramRef.namespace !== "" ? paramRef.namespace : objectNs;
  const found: Json[] = [];
  for (const r of context.paramResources ?? context.allResources) {
    const o = r.object;
    const m = isObj(o.metadata) ? o.metadata : {};
    if (o.kind !== kind || (apiVersion !== "" && o.apiVersion !== apiVersion)) continue;
    if (name !== undefined && m.name !== name) continue;
    if (name === undefined && selector && !selectorMatches(selector, labelsOf(m))) continue;
    if (namespace && m.namespace && m.namespace !== namespace) continue;
    found.push(o);
    if (name !== undefined) break;
  }
  if (found.length > 0) return { values: found };
  if (paramRef.parameterNotFoundAction === "Allow") return { skip: `no ${kind} parameter found; parameterNotFoundAction is Allow` };
  return { error: `no ${kind}${name ? ` "${name}"` : ""} parameter found among the resources` };
}

/** The first parameter object (policies that take one). */
export function paramsFor(paramKind: unknown, paramRef: unknown, context: RuleContext): { value: Json | null } | { error: string } | { skip: string } {
  const out = paramsListFor(paramKind, paramRef, context);
  return "values" in out ? { value: out.values[0] ?? null } : out;
}
