/**
 * `paramKind` + `paramRef`: the parameter object is looked up among the resources of the
 * evaluation (the repository's rendered objects, or a test's resources) by kind, name and
 * namespace; a missing one follows `parameterNotFoundAction` (Deny, the default, is an error).
 */
import type { Json, RuleContext } from "../model.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

export function paramsFor(paramKind: unknown, paramRef: unknown, context: RuleContext): { value: Json | null } | { error: string } | { skip: string } {
  if (!isObj(paramKind) || !isObj(paramRef)) return { value: null };
  const kind = String(paramKind.kind ?? "");
  const apiVersion = String(paramKind.apiVersion ?? "");
  const name = typeof paramRef.name === "string" ? paramRef.name : undefined;
  const objectNs = isObj(context.object.metadata) && typeof context.object.metadata.namespace === "string" ? context.object.metadata.namespace : "";
  const namespace = typeof paramRef.namespace === "string" ? paramRef.namespace : objectNs;
  const found = context.allResources.find((r) => {
    const o = r.object;
    const m = isObj(o.metadata) ? o.metadata : {};
    if (o.kind !== kind || (apiVersion !== "" && o.apiVersion !== apiVersion)) return false;
    if (name !== undefined && m.name !== name) return false;
    return !namespace || !m.namespace || m.namespace === namespace;
  });
  if (found) return { value: found.object };
  if (paramRef.parameterNotFoundAction === "Allow") return { skip: `no ${kind} parameter found; parameterNotFoundAction is Allow` };
  return { error: `no ${kind}${name ? ` "${name}"` : ""} parameter found among the resources` };
}
