/**
 * The built-in kinds of one Kubernetes version, ready to validate. The whole bundle is added
 * to ajv once under an id ("k8s-1.31"), and each kind compiles on first use into a function
 * that references the shared definitions: PodSpec compiles once for Deployments, StatefulSets
 * and Jobs alike.
 */
import type { Ajv, ValidateFunction } from "ajv";
import { finalizeSchema } from "./finalize-schema.js";
import { splitKindKey, type JsonSchema, type KubernetesBundle } from "./types.js";

const OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";

export interface KindEntry {
  readonly apiVersion: string;
  readonly kind: string;
  readonly definition: string;
  /** Compiled on first use. */
  validate?: ValidateFunction;
}

export interface BuiltinSchemas {
  readonly version: string;
  readonly bundle: KubernetesBundle;
  /** The served kind, if this version serves it. */
  lookup(apiVersion: string, kind: string): KindEntry | undefined;
  /** Kinds served under one apiVersion, for "did you mean". */
  kindsOf(apiVersion: string): readonly string[];
  validator(entry: KindEntry): ValidateFunction;
  /** `$ref` to this version's ObjectMeta, for custom resources' metadata. */
  readonly objectMetaRef: string;
}

export function builtinSchemas(ajv: Ajv, bundle: KubernetesBundle, strict: boolean): BuiltinSchemas {
  const id = `k8s-${bundle.version}`;
  const definitions: Record<string, JsonSchema> = {};
  for (const [name, def] of Object.entries(bundle.definitions)) definitions[name] = finalizeSchema(def, strict);
  ajv.addSchema({ $id: id, definitions }, id);

  const byApiVersion = new Map<string, Map<string, KindEntry>>();
  for (const [key, definition] of Object.entries(bundle.kinds)) {
    const { apiVersion, kind } = splitKindKey(key);
    let kinds = byApiVersion.get(apiVersion);
    if (!kinds) byApiVersion.set(apiVersion, (kinds = new Map()));
    kinds.set(kind, { apiVersion, kind, definition });
  }

  return {
    version: bundle.version,
    bundle,
    objectMetaRef: `${id}#/definitions/${OBJECT_META}`,
    lookup: (apiVersion, kind) => byApiVersion.get(apiVersion)?.get(kind),
    kindsOf: (apiVersion) => [...(byApiVersion.get(apiVersion)?.keys() ?? [])],
    validator(entry) {
      if (!entry.validate) entry.validate = ajv.compile({ $ref: `${id}#/definitions/${entry.definition}` });
      return entry.validate;
    },
  };
}
