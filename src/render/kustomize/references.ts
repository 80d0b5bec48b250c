/**
 * Every path a kustomization names, pulled out of its parsed YAML without touching the
 * tree. Kept pure so the field list can be read (and tested) in one place.
 */
import { isPlainObject } from "../../yaml/parse.js";
import { isInlineObjects, PLUGIN_LISTS } from "./plugin-configs.js";

/**
 * - file: must be a file (patches, generator sources, crds, ...).
 * - resource: a file, or a directory holding a kustomization (resources, bases,
 *   components, and transformer/generator/validator entries that are not inline).
 */
export type ReferenceKind = "file" | "resource";

export interface Reference {
  field: string;
  value: string;
  kind: ReferenceKind;
  /** Key path to the entry in the kustomization, for line numbers. */
  keyPath: (string | number)[];
}

/** Fields that make kustomize inflate Helm charts, which needs --enable-helm and the network. */
export const HELM_FIELDS = ["helmCharts", "helmGlobals", "helmChartInflationGenerator"] as const;

const RESOURCE_LISTS = ["resources", "bases", "components"] as const;
const FILE_LISTS = ["crds", "configurations"] as const;
const PATH_OBJECT_LISTS = ["patches", "patchesJson6902", "replacements"] as const;
const GENERATORS = ["configMapGenerator", "secretGenerator"] as const;

export function extractReferences(k: Record<string, unknown>): Reference[] {
  const refs: Reference[] = [];
  for (const field of RESOURCE_LISTS) {
    eachString(k[field], (value, i) => refs.push({ field, value, kind: "resource", keyPath: [field, i] }));
  }
  for (const field of FILE_LISTS) {
    eachString(k[field], (value, i) => refs.push({ field, value, kind: "file", keyPath: [field, i] }));
  }
  // kustomize reads an entry as inline objects when it can (plugin-configs.ts); the configs
  // themselves, and the paths they name, are read by plugin-entries.ts.
  for (const field of PLUGIN_LISTS) {
    eachString(k[field], (value, i) => {
      if (!isInlineObjects(value)) refs.push({ field, value, kind: "resource", keyPath: [field, i] });
    });
  }
  eachString(k.patchesStrategicMerge, (value, i) => {
    if (!isInlineObjects(value)) refs.push({ field: "patchesStrategicMerge", value, kind: "file", keyPath: ["patchesStrategicMerge", i] });
  });
  for (const field of PATH_OBJECT_LISTS) {
    eachEntry(k[field], (entry, i) => {
      if (typeof entry === "string" && !isInline(entry)) refs.push({ field, value: entry, kind: "file", keyPath: [field, i] });
      if (isPlainObject(entry) && typeof entry.path === "string") {
        refs.push({ field, value: entry.path, kind: "file", keyPath: [field, i, "path"] });
      }
    });
  }
  for (const field of GENERATORS) refs.push(...generatorReferences(field, k[field]));
  if (isPlainObject(k.openapi) && typeof k.openapi.path === "string") {
    refs.push({ field: "openapi", value: k.openapi.path, kind: "file", keyPath: ["openapi", "path"] });
  }
  return refs;
}

function generatorReferences(field: string, list: unknown): Reference[] {
  const refs: Reference[] = [];
  eachEntry(list, (gen, i) => {
    if (!isPlainObject(gen)) return;
    eachString(gen.files, (value, j) => {
      // "key=path" names the key in the generated object; the file is after the "=".
      const eq = value.indexOf("=");
      const path = eq === -1 ? value : value.slice(eq + 1);
      refs.push({ field: `${field}.files`, value: path, kind: "file", keyPath: [field, i, "files", j] });
    });
    eachString(gen.envs, (value, j) => refs.push({ field: `${field}.envs`, value, kind: "file", keyPath: [field, i, "envs", j] }));
    if (typeof gen.env === "string") refs.push({ field: `${field}.env`, value: gen.env, kind: "file", keyPath: [field, i, "env"] });
  });
  return refs;
}

/** Which Helm-inflation fields are set; any of them makes the target unrenderable here. */
export function helmFieldsUsed(k: Record<string, unknown>): string[] {
  return HELM_FIELDS.filter((f) => {
    const v = k[f];
    if (v === undefined || v === null) return false;
    if (Array.isArray(v)) return v.length > 0;
    return !(isPlainObject(v) && Object.keys(v).length === 0);
  });
}

/** Inline patches and plugin configs are YAML text, not paths. */
function isInline(value: string): boolean {
  return value.includes("\n") || value.trimStart().startsWith("{");
}

function eachEntry(list: unknown, fn: (entry: unknown, index: number) => void): void {
  if (!Array.isArray(list)) return;
  list.forEach((entry, i) => fn(entry, i));
}

function eachString(list: unknown, fn: (value: string, index: number) => void): void {
  eachEntry(list, (entry, i) => {
    if (typeof entry === "string" && entry.trim() !== "") fn(entry.trim(), i);
  });
}
