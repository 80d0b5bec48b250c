/**
 * `matchConstraints` of ValidatingPolicy (and ValidatingAdmissionPolicy): `resourceRules`
 * (apiGroups, apiVersions, resources, operations, resourceNames), `excludeResourceRules`,
 * `namespaceSelector` (labels of the resource's Namespace when known) and `objectSelector`.
 * The operation is CREATE unless the caller knows better (UPDATE for a resource the change
 * modifies, DELETE for one it removes). Rules without operations select CREATE and UPDATE;
 * DELETE is selected only by a rule that names it (or `*`), as a removal has no object.
 */
import { pluralOf } from "../engine/api-call.js";
import { splitApiVersion } from "../engine/kind-selector.js";
import { selectorMatches } from "../engine/selector.js";
import type { AdmissionOperation, Json } from "../model.js";

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function listHas(list: unknown, value: string): boolean {
  return Array.isArray(list) && list.some((v) => v === "*" || v === value);
}

function operationSelected(operations: unknown, operation: AdmissionOperation): boolean {
  if (Array.isArray(operations) && operations.length > 0) return listHas(operations, operation);
  return operation !== "DELETE";
}

function ruleSelects(rule: Json, group: string, version: string, plural: string, name: string, operation: AdmissionOperation): boolean {
  if (!listHas(rule.apiGroups, group) || !listHas(rule.apiVersions, version)) return false;
  if (!Array.isArray(rule.resources) || !rule.resources.some((r) => r === "*" || r === plural || r === `${plural}/*` || r === "*/*")) return false;
  if (!operationSelected(rule.operations, operation)) return false;
  if (Array.isArray(rule.resourceNames) && rule.resourceNames.length > 0 && !rule.resourceNames.includes(name)) return false;
  return true;
}

function stringRecord(v: unknown): Record<string, string> {
  return isObj(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : {};
}

export function constraintsMatch(constraints: Json, object: Json, namespaceLabels: Readonly<Record<string, string>> | undefined, operation: AdmissionOperation = "CREATE"): boolean {
  const { group, version } = splitApiVersion(String(object.apiVersion ?? ""));
  const kind = String(object.kind ?? "");
  const plural = pluralOf(kind);
  const metadata = isObj(object.metadata) ? object.metadata : {};
  const name = typeof metadata.name === "string" ? metadata.name : "";
  const rules = Array.isArray(constraints.resourceRules) ? constraints.resourceRules.filter(isObj) : [];
  if (!rules.some((r) => ruleSelects(r, group, version, plural, name, operation))) return false;
  const excluded = Array.isArray(constraints.excludeResourceRules) ? constraints.excludeResourceRules.filter(isObj) : [];
  if (excluded.some((r) => ruleSelects(r, group, version, plural, name, operation))) return false;
  if (isObj(constraints.objectSelector) && !selectorMatches(constraints.objectSelector, stringRecord(metadata.labels))) return false;
  const nsSelector = constraints.namespaceSelector;
  if (isObj(nsSelector) && Object.keys(nsSelector).length > 0 && typeof metadata.namespace === "string" && metadata.namespace !== "" && kind !== "Namespace") {
    if (!namespaceLabels || !selectorMatches(nsSelector, { ...namespaceLabels })) return false;
  }
  return true;
}
