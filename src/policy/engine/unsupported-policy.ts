/**
 * Which resources a policy of an unsupported kind (ValidatingPolicy & co.) would select, from
 * its `spec.matchConstraints.resourceRules`, so each such resource gets a "skip" result naming
 * the reason instead of nothing at all.
 */
import type { Json, LoadedPolicy } from "../model.js";
import { pluralOf } from "./api-call.js";
import { splitApiVersion } from "./kind-selector.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function listHas(list: unknown, value: string): boolean {
  return Array.isArray(list) && list.some((v) => v === "*" || v === value);
}

export function unsupportedPolicyMatches(policy: LoadedPolicy, object: Json): boolean {
  const constraints = isObj(policy.spec.matchConstraints) ? policy.spec.matchConstraints : undefined;
  if (!constraints || !Array.isArray(constraints.resourceRules)) return false;
  const { group, version } = splitApiVersion(String(object.apiVersion ?? ""));
  const plural = pluralOf(String(object.kind ?? ""));
  return constraints.resourceRules.some(
    (r) => isObj(r) && listHas(r.apiGroups, group) && (r.apiVersions === undefined || listHas(r.apiVersions, version)) && listHas(r.resources, plural),
  );
}
