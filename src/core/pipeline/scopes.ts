/**
 * Kind scopes for namespace defaulting, from what this run knows: the CustomResourceDefinitions
 * rendered on either side (`spec.scope`) and the schema bundle's API paths for built-in kinds
 * (through the validator). Looked up once per distinct kind, before any namespace is given.
 */
import { apiGroup, type Resource } from "../model/resource.js";
import type { KindScope, ScopeLookup } from "../namespaces.js";
import type { Validator } from "../ports.js";

export interface ScopeInput {
  resources: readonly Resource[];
  kubernetesVersion?: string;
}

export async function scopeLookup(inputs: readonly ScopeInput[], crds: readonly Resource[], validator: Validator | undefined): Promise<ScopeLookup> {
  const byCrd = crdScopes(crds);
  const builtin = new Map<string, KindScope | undefined>();
  const pending: Promise<void>[] = [];
  for (const { resources, kubernetesVersion } of inputs) {
    if (!kubernetesVersion || !validator?.kindScope) continue;
    for (const r of resources) {
      const key = `${kubernetesVersion}|${r.apiVersion}|${r.kind}`;
      if (builtin.has(key) || byCrd.has(crdKey(r.apiVersion, r.kind)) || apiGroup(r.apiVersion) === "compose") continue;
      builtin.set(key, undefined);
      pending.push(validator.kindScope(kubernetesVersion, r.apiVersion, r.kind).then((s) => void builtin.set(key, s)));
    }
  }
  await Promise.all(pending);
  // No kind changes scope between versions, so any version that serves it answers.
  const byKind = new Map<string, KindScope>();
  for (const [key, scope] of builtin) if (scope) byKind.set(key.slice(key.indexOf("|") + 1), scope);
  return (apiVersion, kind) => byCrd.get(crdKey(apiVersion, kind)) ?? byKind.get(`${apiVersion}|${kind}`);
}

function crdKey(apiVersion: string, kind: string): string {
  return `${apiGroup(apiVersion)}|${kind}`;
}

/** "Cluster" or "Namespaced" per group and kind, from the CRDs' own spec. */
function crdScopes(crds: readonly Resource[]): Map<string, KindScope> {
  const out = new Map<string, KindScope>();
  for (const crd of crds) {
    const spec = crd.body.spec as { group?: unknown; scope?: unknown; names?: { kind?: unknown } } | undefined;
    if (typeof spec?.group !== "string" || typeof spec.names?.kind !== "string") continue;
    const scope = spec.scope === "Cluster" ? "cluster" : spec.scope === "Namespaced" ? "namespaced" : undefined;
    if (scope) out.set(`${spec.group}|${spec.names.kind}`, scope);
  }
  return out;
}
