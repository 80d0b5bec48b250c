/**
 * Whether a rule's `match` and `exclude` select a resource (pkg/engine/utils/match.go).
 * Offline differences, on purpose: who makes the request is unknown, so a filter that names
 * `subjects`, `roles` or `clusterRoles` never matches (in `match`) and never excludes (in
 * `exclude`); a `namespaceSelector` only matches when the namespace's labels are known (a
 * Namespace among the resources, or labels given by the caller).
 */
import type { Json } from "../model.js";
import { wildcardMatch } from "../values/wildcard.js";
import { kindMatches } from "./kind-selector.js";
import { selectorMatches } from "./selector.js";

export interface MatchTarget {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Labels of the resource's namespace, or undefined when not known. */
  namespaceLabels: Record<string, string> | undefined;
  operation: string;
}

function isObj(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function hasUserInfo(filter: Json): boolean {
  return ["subjects", "roles", "clusterRoles"].some((k) => Array.isArray(filter[k]) && (filter[k] as unknown[]).length > 0);
}

function filters(block: Json, key: "any" | "all"): Json[] {
  return Array.isArray(block[key]) ? (block[key] as unknown[]).filter(isObj) : [];
}

export function ruleMatches(rule: Json, target: MatchTarget): boolean {
  const match = isObj(rule.match) ? rule.match : {};
  if (!blockSelects(match, target)) return false;
  const exclude = isObj(rule.exclude) ? rule.exclude : undefined;
  return !(exclude && blockSelects(exclude, target));
}

function blockSelects(block: Json, target: MatchTarget): boolean {
  const any = filters(block, "any");
  if (any.length > 0) return any.some((f) => filterSelects(f, target));
  const all = filters(block, "all");
  if (all.length > 0) return all.every((f) => filterSelects(f, target));
  return filterSelects({ resources: block.resources, subjects: block.subjects, roles: block.roles, clusterRoles: block.clusterRoles }, target);
}

function filterSelects(filter: Json, target: MatchTarget): boolean {
  if (hasUserInfo(filter)) return false;
  const description = isObj(filter.resources) ? filter.resources : undefined;
  if (!description || Object.keys(description).length === 0) return false;
  return descriptionSelects(description, target);
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

function descriptionSelects(d: Json, t: MatchTarget): boolean {
  const operations = strings(d.operations);
  if (operations.length > 0 && !operations.includes(t.operation)) return false;
  const kinds = strings(d.kinds);
  if (kinds.length > 0 && !kindMatches(kinds, t.apiVersion, t.kind)) return false;
  if (typeof d.name === "string" && d.name !== "" && !wildcardMatch(d.name, t.name)) return false;
  const names = strings(d.names);
  if (names.length > 0 && !names.some((n) => wildcardMatch(n, t.name))) return false;
  const namespaces = strings(d.namespaces);
  if (namespaces.length > 0) {
    const ns = t.kind === "Namespace" ? t.name : t.namespace;
    if (!namespaces.some((n) => wildcardMatch(n, ns))) return false;
  }
  if (isObj(d.annotations) && !annotationsMatch(d.annotations, t.annotations)) return false;
  if (d.selector !== undefined && d.selector !== null && !selectorMatches(d.selector, t.labels)) return false;
  if (d.namespaceSelector !== undefined && d.namespaceSelector !== null) {
    if (t.kind === "Namespace") return false;
    if (!t.namespaceLabels) return false;
    if (!selectorMatches(d.namespaceSelector, t.namespaceLabels)) return false;
  }
  return true;
}

function annotationsMatch(expected: Json, actual: Record<string, string>): boolean {
  return Object.entries(expected).every(([k, v]) => Object.entries(actual).some(([ak, av]) => wildcardMatch(k, ak) && wildcardMatch(String(v), av)));
}
