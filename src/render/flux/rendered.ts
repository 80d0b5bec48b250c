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
import { findObject } from "./objects.js";
import type { TargetSpec } from "../../core/model/target.js";
import type { Tree } from "../../core/ports.js";
import { dirOf } from "../repo-path.js";
import { isPlainObject } from "../../yaml/parse.js";
import { releaseNamespace } from "./release-namespace.js";
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
    if (!object || !isComplete(object)) continue;
    const sources = sourcesInRender(object, resources);
    // As its file holds it, and reading nothing the render makes differently: the file's target.
    if (sameAsFile(object, objects) && !sources.some((s) => !sameAsRepository(s, objects, object))) continue;
    out.push({
      id: `flux:${object.namespace}/${object.name}@${suffix}`,
      type: "flux",
      kind: object.kind,
      path: dirOf(object.file),
      ...releaseNamespace(object),
      renderedFrom: { target: parent.id, depth, object: object.body, file: object.file, line: object.line },
    });
    if (sources.length > 0) out.at(-1)!.renderedFrom!.sources = sources.map((s) => sourceWithFile(s, objects));
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

/** Where the kinds a Flux object may read are defined: the core group for ConfigMaps and Secrets. */
const SOURCE_GROUPS: Readonly<Record<string, string>> = {
  ConfigMap: "",
  Secret: "",
  GitRepository: "source.toolkit.fluxcd.io",
  HelmRepository: "source.toolkit.fluxcd.io",
  OCIRepository: "source.toolkit.fluxcd.io",
  HelmChart: "source.toolkit.fluxcd.io",
};

/**
 * The objects of the parent's render that the object reads: a HelmRelease's `valuesFrom`,
 * `chartRef` and chart `sourceRef`, a Kustomization's `postBuild.substituteFrom` and `sourceRef`,
 * by the name as the render writes it in the object (Flux looks the name up as written;
 * kustomize rewrites it to a generator's hashed name only when a nameReference configuration
 * covers the field), in the namespace the reference means. What the parent applies alongside the
 * object (a generated ConfigMap, a source the kustomization puts in its namespace) is what the
 * controller finds in the cluster.
 */
function sourcesInRender(object: FluxObject, resources: readonly Resource[]): Resource[] {
  const spec = isPlainObject(object.body.spec) ? object.body.spec : {};
  const refs: unknown[] = [];
  if (object.kind === "HelmRelease") {
    refs.push(...(Array.isArray(spec.valuesFrom) ? spec.valuesFrom : []), spec.chartRef);
    if (isPlainObject(spec.chart) && isPlainObject(spec.chart.spec)) refs.push(spec.chart.spec.sourceRef);
  } else {
    refs.push(...(isPlainObject(spec.postBuild) && Array.isArray(spec.postBuild.substituteFrom) ? spec.postBuild.substituteFrom : []), spec.sourceRef);
  }
  const out: Resource[] = [];
  for (const ref of refs) {
    if (!isPlainObject(ref) || typeof ref.kind !== "string" || !(ref.kind in SOURCE_GROUPS) || typeof ref.name !== "string") continue;
    // valuesFrom and substituteFrom read the object's own namespace; a sourceRef may name another.
    const namespace = typeof ref.namespace === "string" && ref.namespace !== "" ? ref.namespace : object.namespace;
    const group = SOURCE_GROUPS[ref.kind]!;
    const found = resources.find((r) => r.kind === ref.kind && groupOf(r.apiVersion) === group && r.name === ref.name && (r.namespace || "default") === namespace);
    if (found && !out.includes(found)) out.push(found);
  }
  return out;
}

function groupOf(apiVersion: string): string {
  return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
}

/** The repository's file holds the same content for this source (a plain ConfigMap or source the parent applies as written). */
function sameAsRepository(r: Resource, objects: FluxObjects, near: FluxObject): boolean {
  const file = findObject(objects, r.kind, r.namespace || "default", r.name, near);
  const content = (body: Record<string, unknown>) => canonical([body.data, body.stringData, body.spec]);
  return file !== undefined && content(file.body) === content(r.body);
}

/** The file a rendered source comes from: kustomize's origin, else a repository object of that kind and name with the same content (in whatever namespace its file leaves it). */
function sourceWithFile(r: Resource, objects: FluxObjects): { object: Record<string, unknown>; file?: string } {
  const content = (body: Record<string, unknown>) => canonical([body.data, body.stringData, body.spec]);
  const file = r.source?.file ?? objects.all.find((o) => o.kind === r.kind && o.name === r.name && content(o.body) === content(r.body))?.file;
  return { object: r.body, ...(file ? { file } : {}) };
}

/** The parent render's sources of a target found in it, as objects (at the file its object comes from). */
export function renderedSources(target: TargetSpec): FluxObject[] {
  const from = target.renderedFrom;
  if (!from?.sources) return [];
  const out: FluxObject[] = [];
  for (const { object: body, file } of from.sources) {
    const metadata = isPlainObject(body.metadata) ? body.metadata : {};
    if (typeof body.kind !== "string" || !(body.kind in SOURCE_GROUPS) || typeof metadata.name !== "string") continue;
    const namespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : "default";
    const apiVersion = typeof body.apiVersion === "string" ? body.apiVersion : "v1";
    out.push({ kind: body.kind as FluxObject["kind"], apiVersion, namespace, name: metadata.name, body, file: file ?? from.file ?? target.path, line: file ? 1 : (from.line ?? 1) });
  }
  return out;
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
