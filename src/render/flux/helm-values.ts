/**
 * A HelmRelease's values as helm-controller composes them: each `valuesFrom` entry in order
 * (a ConfigMap's or Secret's key, `values.yaml` by default, read as YAML and merged; or, with
 * `targetPath`, set as one value at that path), then `spec.values` merged on top. Maps merge
 * key by key; anything else replaces. Values read from Secrets are returned apart, as secrets.
 */
import type { InputProblem } from "../../core/ports.js";
import { isPlainObject, parseYamlMapping } from "../../yaml/parse.js";
import { findObject, type FluxObject, type FluxObjects } from "./objects.js";
import { dataOf } from "./substitution-vars.js";

export interface ComposedValues {
  values: Record<string, unknown>;
  files: string[];
  /** The ConfigMaps and Secrets read (affected detection compares these objects, not their whole files). */
  objects: FluxObject[];
  secrets: string[];
  problems: InputProblem[];
}

export function composeValues(release: FluxObject, objects: FluxObjects): ComposedValues {
  const out: ComposedValues = { values: {}, files: [], objects: [], secrets: [], problems: [] };
  const spec = isPlainObject(release.body.spec) ? release.body.spec : {};
  for (const ref of Array.isArray(spec.valuesFrom) ? spec.valuesFrom : []) {
    if (!isPlainObject(ref) || (ref.kind !== "ConfigMap" && ref.kind !== "Secret") || typeof ref.name !== "string") continue;
    const key = typeof ref.valuesKey === "string" && ref.valuesKey !== "" ? ref.valuesKey : "values.yaml";
    const source = findObject(objects, ref.kind, release.namespace, ref.name, release);
    const text = source ? dataOf(source).get(key) : undefined;
    if (source) {
      out.files.push(source.file);
      out.objects.push(source);
    }
    if (text === undefined) {
      if (ref.optional !== true) out.problems.push(missing(release, `${ref.kind} ${release.namespace}/${ref.name} key ${key}`));
      continue;
    }
    if (source?.kind === "Secret") out.secrets.push(...secretLeaves(text));
    if (typeof ref.targetPath === "string" && ref.targetPath !== "") {
      setPath(out.values, ref.targetPath, text);
      continue;
    }
    const parsed = parseYamlMapping(text);
    if (!parsed.value) {
      out.problems.push(missing(release, `${ref.kind} ${release.namespace}/${ref.name} key ${key} (not a YAML mapping)`));
      continue;
    }
    out.values = mergeValues(out.values, parsed.value);
  }
  if (isPlainObject(spec.values)) out.values = mergeValues(out.values, spec.values);
  return out;
}

export function mergeValues(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? mergeValues(current, value) : value;
  }
  return out;
}

/** `a.b.c` as helm's --set reads a path (dots split keys; `\.` keeps a dot). */
function setPath(values: Record<string, unknown>, path: string, value: string): void {
  const keys = path.split(/(?<!\\)\./).map((k) => k.replace(/\\\./g, "."));
  let node = values;
  for (const key of keys.slice(0, -1)) {
    if (!isPlainObject(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[keys[keys.length - 1]!] = value;
}

function secretLeaves(text: string): string[] {
  const parsed = parseYamlMapping(text);
  if (!parsed.value) return text.trim() === "" ? [] : [text.trim()];
  const leaves: string[] = [];
  const walk = (v: unknown) => {
    if (typeof v === "string" && v !== "") leaves.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (isPlainObject(v)) Object.values(v).forEach(walk);
  };
  walk(parsed.value);
  return leaves;
}

function missing(release: FluxObject, what: string): InputProblem {
  return {
    ruleId: "gitops/values-source-missing",
    severity: "warning",
    message: `${release.kind} ${release.namespace}/${release.name}: valuesFrom ${what} is not in the repository (it may be created in the cluster); rendered without it`,
    file: release.file,
    line: release.line,
    key: what,
  };
}
