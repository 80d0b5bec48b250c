/** A JSON Schema node as the bundles and the CRD converter write it. */
export type JsonSchema = { [keyword: string]: unknown };

/** One committed bundle: schemas/kubernetes/1.NN.json.gz (see scripts/build-schemas.mjs). */
export interface KubernetesBundle {
  version: string;
  /** "apps/v1/Deployment" → definition name. */
  kinds: Record<string, string>;
  /** Scope per kind, where the API paths tell. */
  namespaced: Record<string, boolean>;
  definitions: Record<string, JsonSchema>;
}

/** schemas/kubernetes/index.json: the first and last bundled version serving each kind. */
export interface ApiHistory {
  versions: string[];
  apis: Record<string, [first: string, last: string]>;
}

/** "apps/v1/Deployment", "v1/ConfigMap": how bundles key a kind. */
export function kindKey(apiVersion: string, kind: string): string {
  return `${apiVersion}/${kind}`;
}

/** Splits a kind key back into apiVersion and kind. */
export function splitKindKey(key: string): { apiVersion: string; kind: string } {
  const slash = key.lastIndexOf("/");
  return { apiVersion: key.slice(0, slash), kind: key.slice(slash + 1) };
}
