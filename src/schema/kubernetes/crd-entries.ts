/**
 * The schemas a CustomResourceDefinition declares: one per served version, keyed like the
 * bundles ("cert-manager.io/v1/Certificate"). Reads apiextensions.k8s.io v1 and the old
 * v1beta1 layout (a CRD-wide `validation` and `preserveUnknownFields` defaulting to true).
 */
import { isPlainObject } from "../../yaml/parse.js";
import { kindKey } from "./types.js";

export interface CustomSchema {
  key: string;
  apiVersion: string;
  kind: string;
  /** The raw schema (openAPIV3Schema or a catalog file), not yet converted. */
  schema: unknown;
  /** Everything below the CRD is pruned-free (v1beta1 `preserveUnknownFields`). */
  preserveAll: boolean;
  /** Where it came from, for messages: a file or "a rendered CRD". */
  origin: string;
  /** Why the schema cannot be used (e.g. a catalog file that is not JSON). */
  problem?: string;
}

export function isCrd(value: unknown): value is Record<string, unknown> {
  return (
    isPlainObject(value) &&
    value.kind === "CustomResourceDefinition" &&
    typeof value.apiVersion === "string" &&
    value.apiVersion.startsWith("apiextensions.k8s.io/")
  );
}

export function schemasOfCrd(crd: Record<string, unknown>, origin: string): CustomSchema[] {
  const spec = isPlainObject(crd.spec) ? crd.spec : undefined;
  const names = spec && isPlainObject(spec.names) ? spec.names : undefined;
  const group = spec?.group;
  const kind = names?.kind;
  if (typeof group !== "string" || typeof kind !== "string") return [];
  const v1beta1 = crd.apiVersion === "apiextensions.k8s.io/v1beta1";
  const preserveAll = spec?.preserveUnknownFields === true || (v1beta1 && spec?.preserveUnknownFields === undefined);
  const shared = v1beta1 && isPlainObject(spec?.validation) ? spec.validation.openAPIV3Schema : undefined;
  const out: CustomSchema[] = [];
  for (const version of versionsOf(spec)) {
    if (version.served === false || typeof version.name !== "string") continue;
    const own = isPlainObject(version.schema) ? version.schema.openAPIV3Schema : undefined;
    const apiVersion = `${group}/${version.name}`;
    out.push({ key: kindKey(apiVersion, kind), apiVersion, kind, schema: own ?? shared, preserveAll, origin });
  }
  return out;
}

function versionsOf(spec: Record<string, unknown> | undefined): Record<string, unknown>[] {
  if (!spec) return [];
  if (Array.isArray(spec.versions)) return spec.versions.filter(isPlainObject);
  return typeof spec.version === "string" ? [{ name: spec.version, served: true }] : [];
}
