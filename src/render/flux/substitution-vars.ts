/**
 * The variables of a Flux Kustomization's post-build substitution: `substituteFrom` ConfigMaps
 * and Secrets (looked up in the Kustomization's namespace, later entries winning), then
 * `substitute` on top, as kustomize-controller merges them. Secret values are returned apart so
 * they join the run's secret set and never show in a report.
 */
import type { InputProblem } from "../../core/ports.js";
import { isPlainObject } from "../../yaml/parse.js";
import { findObject, type FluxObject, type FluxObjects } from "./objects.js";

export interface SubstitutionVars {
  vars: Map<string, string>;
  /** Files the variables were read from (inputs of the target). */
  files: string[];
  /** The ConfigMaps and Secrets read (affected detection compares these objects, not their whole files). */
  objects: FluxObject[];
  secrets: string[];
  problems: InputProblem[];
}

export function substitutionVars(k: FluxObject, objects: FluxObjects): SubstitutionVars {
  const out: SubstitutionVars = { vars: new Map(), files: [], objects: [], secrets: [], problems: [] };
  const spec = isPlainObject(k.body.spec) ? k.body.spec : {};
  const postBuild = isPlainObject(spec.postBuild) ? spec.postBuild : {};
  const from = Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : [];
  for (const ref of from) {
    if (!isPlainObject(ref) || (ref.kind !== "ConfigMap" && ref.kind !== "Secret") || typeof ref.name !== "string") continue;
    const source = findObject(objects, ref.kind, k.namespace, ref.name, k);
    if (!source) {
      if (ref.optional === true) continue;
      out.problems.push({
        ruleId: "gitops/substitution-source-missing",
        severity: "warning",
        message: `${k.kind} ${k.namespace}/${k.name}: postBuild.substituteFrom ${ref.kind} ${k.namespace}/${ref.name} is not in the repository (it may be created in the cluster); its variables are left unset`,
        file: k.file,
        line: k.line,
        key: `${ref.kind}/${ref.name}`,
      });
      continue;
    }
    out.files.push(source.file);
    out.objects.push(source);
    for (const [key, value] of dataOf(source)) {
      out.vars.set(key, value);
      if (source.kind === "Secret" && value !== "") out.secrets.push(value);
    }
  }
  if (isPlainObject(postBuild.substitute)) {
    for (const [key, value] of Object.entries(postBuild.substitute)) if (typeof value === "string") out.vars.set(key, value);
  }
  return out;
}

/** A ConfigMap's `data`, a Secret's `stringData` and base64-decoded `data`. */
export function dataOf(source: FluxObject): Map<string, string> {
  const data = new Map<string, string>();
  const raw = isPlainObject(source.body.data) ? source.body.data : {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== "string") continue;
    data.set(key, source.kind === "Secret" ? Buffer.from(value, "base64").toString("utf8") : value);
  }
  if (source.kind === "Secret" && isPlainObject(source.body.stringData)) {
    for (const [key, value] of Object.entries(source.body.stringData)) if (typeof value === "string") data.set(key, value);
  }
  return data;
}
