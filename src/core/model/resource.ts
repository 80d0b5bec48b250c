/** A rendered object with its identity pulled out. `body` is the full object as rendered. */
export interface Resource {
  apiVersion: string;
  kind: string;
  /** Empty string for cluster-scoped kinds and for Compose entries. */
  namespace: string;
  name: string;
  body: Record<string, unknown>;
  /** Where the object came from in the repository, when known. */
  source?: SourceLocation;
  /**
   * Line of a field inside `source.file`, when the renderer kept YAML positions (plain
   * manifests, Compose). In-memory only: never serialised.
   */
  locate?: (path: readonly (string | number)[]) => number | undefined;
}

export interface SourceLocation {
  file: string;
  line?: number;
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
}

/** The API group of an apiVersion: "apps/v1" → "apps", "v1" → "" (core). */
export function apiGroup(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  return slash === -1 ? "" : apiVersion.slice(0, slash);
}

/**
 * Identity used to pair resources across base and head. The version is left out on
 * purpose: moving a Deployment from apps/v1beta2 to apps/v1 is a modification, not a
 * removal plus an addition.
 */
export function identityKey(r: ResourceRef): string {
  return `${apiGroup(r.apiVersion)}|${r.kind}|${r.namespace}|${r.name}`;
}

export function refOf(r: Resource): ResourceRef {
  return { apiVersion: r.apiVersion, kind: r.kind, namespace: r.namespace, name: r.name };
}

export function describeRef(r: ResourceRef): string {
  const ns = r.namespace ? `${r.namespace}/` : "";
  return `${r.kind} ${ns}${r.name}`;
}
