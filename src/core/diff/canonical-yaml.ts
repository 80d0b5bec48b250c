/**
 * Deterministic YAML for diffs: the usual Kubernetes reading order first (apiVersion,
 * kind, metadata, spec...), everything else alphabetical, so key order changes between
 * tool versions never show up as differences.
 */
import { stringify } from "yaml";

const PRIORITY = ["apiVersion", "kind", "metadata", "name", "namespace", "labels", "annotations", "type", "spec", "data", "stringData"];

export function canonicalYaml(value: unknown): string {
  return stringify(sortKeys(value), { lineWidth: 0, aliasDuplicateObjects: false });
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (typeof value !== "object" || value === null) return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => compareKeys(a, b));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
}

function compareKeys(a: string, b: string): number {
  const pa = PRIORITY.indexOf(a);
  const pb = PRIORITY.indexOf(b);
  if (pa !== -1 || pb !== -1) return (pa === -1 ? PRIORITY.length : pa) - (pb === -1 ? PRIORITY.length : pb);
  return a < b ? -1 : a > b ? 1 : 0;
}
