/**
 * Kustomization keys as kustomize reads them. kustomize converts the file to JSON and decodes
 * it with Go's encoding/json, which matches struct fields case-insensitively (with Unicode
 * simple folding: `ſ` is an `s`, the Kelvin sign a `k`). So `Resources:`, `configmapgenerator:`
 * or `reſources:` are the fields Shipshape checks for remote and outside-the-repository paths,
 * and reading only the canonical spelling would let them past every check. Keys are brought
 * to their canonical spelling here, once, before anything reads the kustomization; two keys
 * that are one field to kustomize (the later would silently win) are refused.
 *
 * Only struct fields fold: `openapi` is a map in kustomize, so its keys stay as written
 * (`openapi: {Path: …}` is not the path, for kustomize or for Shipshape).
 */
import { isPlainObject } from "../../yaml/parse.js";

/** The JSON names of kustomize's `Kustomization` struct (api/types/kustomization.go), TypeMeta included. */
const KUSTOMIZATION_FIELDS = [
  "apiVersion",
  "kind",
  "metadata",
  "openapi",
  "namePrefix",
  "nameSuffix",
  "namespace",
  "commonLabels",
  "labels",
  "commonAnnotations",
  "patchesStrategicMerge",
  "patchesJson6902",
  "patches",
  "images",
  "imageTags",
  "replacements",
  "replicas",
  "vars",
  "sortOptions",
  "resources",
  "components",
  "crds",
  "bases",
  "configMapGenerator",
  "secretGenerator",
  "helmGlobals",
  "helmCharts",
  "helmChartInflationGenerator",
  "generatorOptions",
  "configurations",
  "generators",
  "transformers",
  "validators",
  "inventory",
  "buildMetadata",
] as const;

/** GeneratorArgs with its inlined KvPairSources; SecretArgs adds `type`. */
const GENERATOR_FIELDS = ["namespace", "name", "behavior", "literals", "files", "envs", "env", "options"] as const;
const PATCH_FIELDS = ["path", "patch", "target", "options"] as const;
const REPLACEMENT_FIELDS = ["path", "source", "targets"] as const;

/** Lists of structs whose entries name files, keyed by the (canonical) top-level field. */
const ENTRY_FIELDS: Readonly<Record<string, readonly string[]>> = {
  configMapGenerator: GENERATOR_FIELDS,
  secretGenerator: [...GENERATOR_FIELDS, "type"],
  patches: PATCH_FIELDS,
  patchesJson6902: PATCH_FIELDS,
  replacements: REPLACEMENT_FIELDS,
};

/** Two keys of one mapping that kustomize reads as the same field. */
export interface KeyClash {
  /** Canonical key path of the mapping holding them ("" for the top level). */
  where: string;
  keys: string[];
}

export interface CanonicalKustomization {
  value: Record<string, unknown>;
  clashes: KeyClash[];
}

/** Go's case-insensitive field match, for ASCII field names. */
export function foldKey(key: string): string {
  return key.toLowerCase().replace(/\u017f/g, "s");
}

export function canonicalKustomization(value: Record<string, unknown>): CanonicalKustomization {
  const clashes: KeyClash[] = [];
  const top = canonicalKeys(value, KUSTOMIZATION_FIELDS, "", clashes);
  for (const [field, names] of Object.entries(ENTRY_FIELDS)) {
    const list = top[field];
    if (!Array.isArray(list)) continue;
    top[field] = list.map((entry, i) => (isPlainObject(entry) ? canonicalKeys(entry, names, `${field}[${i}]`, clashes) : entry));
  }
  return { value: top, clashes };
}

function canonicalKeys(obj: Record<string, unknown>, fields: readonly string[], where: string, clashes: KeyClash[]): Record<string, unknown> {
  const byFold = new Map(fields.map((f) => [foldKey(f), f] as const));
  const out: Record<string, unknown> = {};
  const spelled = new Map<string, string[]>();
  for (const [key, v] of Object.entries(obj)) {
    const canonical = byFold.get(foldKey(key)) ?? key;
    const seen = spelled.get(canonical);
    if (seen) seen.push(key);
    else spelled.set(canonical, [key]);
    out[canonical] = v;
  }
  for (const keys of spelled.values()) if (keys.length > 1) clashes.push({ where, keys });
  return out;
}
