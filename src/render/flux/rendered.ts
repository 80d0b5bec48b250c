/**
 * Flux objects that exist only in a parent's rendered output: the flux2-kustomize-helm-example
 * shape, where `clusters/staging`'s Kustomization builds `apps/staging`, whose kustomization
 * patches the HelmRelease of `apps/base/podinfo` (values, chart version). What the controller
 * gets is the patched object, so that is what is rendered: each HelmRelease or Kustomization
 * found in a Flux Kustomization's render is a target `flux:<ns>/<name>@<parent>` (the parent's id
 * without its `flux:`), its object carried in `renderedFrom`.
 *
 * An object rendered exactly as a file of the repository holds it (the bootstrap Kustomization
 * applying `clusters/staging/apps.yaml` unchanged) is the file's target already: no second one.
 */
import type { Resource } from "../../core/model/resource.js";
import type { TargetSpec } from "../../core/model/target.js";
import type { Tree } from "../../core/ports.js";
import { dirOf } from "../repo-path.js";
import { isPlainObject } from "../../yaml/parse.js";
import { fluxObjects, isComplete, objectKey, type FluxObject, type FluxObjects } from "./objects.js";

const KINDS: Readonly<Record<string, string>> = {
  HelmRelease: "helm.toolkit.fluxcd.io",
  Kustomization: "kustomize.toolkit.fluxcd.io",
};

/** What the parent is: the files it reads and its own object's file (where an object of no file is reported). */
export interface RenderedParent {
  files: ReadonlySet<string>;
  file?: string;
}

export async function fluxInRendered(resources: readonly Resource[], parent: TargetSpec, tree: Tree, parentOf: () => Promise<RenderedParent>): Promise<TargetSpec[]> {
  // A Flux application applies what it renders (a Kustomization; a HelmRelease whose chart makes
  // Flux objects); a plain folder's Flux objects are the file targets already.
  if (parent.type !== "flux" || !resources.some((r) => KINDS[r.kind] !== undefined)) return [];
  const objects = await fluxObjects(tree);
  const p = await parentOf();
  const depth = (parent.renderedFrom?.depth ?? 0) + 1;
  const suffix = parent.id.startsWith("flux:") ? parent.id.slice("flux:".length) : parent.id;
  const out: TargetSpec[] = [];
  for (const r of resources) {
    const object = fromResource(r, objects, p, parent);
    if (!object || !isComplete(object) || sameAsFile(object, objects)) continue;
    out.push({
      id: `flux:${object.namespace}/${object.name}@${suffix}`,
      type: "flux",
      kind: object.kind,
      path: dirOf(object.file),
      renderedFrom: { target: parent.id, depth, object: object.body, file: object.file, line: object.line },
    });
  }
  return out;
}

/** The object a target found in rendered output renders (its body as the parent rendered it). */
export function renderedObject(target: TargetSpec): FluxObject | undefined {
  const from = target.renderedFrom;
  if (!from) return undefined;
  const metadata = isPlainObject(from.object.metadata) ? from.object.metadata : {};
  const kind = from.object.kind;
  if (typeof kind !== "string" || !(kind in KINDS) || typeof metadata.name !== "string") return undefined;
  return {
    kind: kind as FluxObject["kind"],
    apiVersion: typeof from.object.apiVersion === "string" ? from.object.apiVersion : "",
    namespace: typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : "default",
    name: metadata.name,
    body: from.object,
    file: from.file ?? target.path,
    line: from.line ?? 1,
  };
}

function fromResource(r: Resource, objects: FluxObjects, p: RenderedParent, parent: TargetSpec): FluxObject | undefined {
  const group = KINDS[r.kind];
  if (!group || !r.apiVersion.startsWith(`${group}/`) || !r.name) return undefined;
  const namespace = r.namespace || "default";
  const metadata = isPlainObject(r.body.metadata) ? r.body.metadata : {};
  const body = { ...r.body, metadata: { ...metadata, namespace } };
  const at = r.source?.file ? { file: r.source.file, line: r.source.line ?? 1 } : fileOf(r, namespace, objects, p);
  return { kind: r.kind as FluxObject["kind"], apiVersion: r.apiVersion, namespace, name: r.name, body, file: at?.file ?? p.file ?? parent.path, line: at?.line ?? 1 };
}

/**
 * The file the rendered object comes from, when kustomize does not say: the complete object
 * of that kind and name among the files the parent reads (of its namespace first), the base
 * an overlay patches. Its sources, ConfigMaps and values files are looked up near it.
 */
function fileOf(r: Resource, namespace: string, objects: FluxObjects, p: RenderedParent): { file: string; line: number } | undefined {
  const candidates = objects.all.filter((o) => o.kind === r.kind && o.name === r.name && p.files.has(o.file) && isComplete(o));
  return candidates.find((o) => o.namespace === namespace) ?? candidates[0];
}

/** Rendered with the same namespace and spec as a complete object of the repository: that object's target covers it. */
function sameAsFile(object: FluxObject, objects: FluxObjects): boolean {
  const spec = canonical(object.body.spec);
  return (objects.byKeyAll.get(objectKey(object.kind, object.namespace, object.name)) ?? []).some((o) => canonical(o.body.spec) === spec);
}

/** JSON with sorted keys: kustomize writes keys in its own order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (isPlainObject(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v));
}

/** The file target of the object a child renders another way: same kind and name, in the file it comes from. */
export async function renderedOrigin(child: TargetSpec, tree: Tree): Promise<{ id: string; file: string } | undefined> {
  const object = renderedObject(child);
  if (!object) return undefined;
  const objects = await fluxObjects(tree);
  for (const [id, o] of objects.targets) {
    if (o.file === object.file && o.kind === object.kind && o.name === object.name) return { id, file: o.file };
  }
  return undefined;
}
