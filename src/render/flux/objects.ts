/**
 * The Flux objects of one snapshot, found in every YAML file of the repository: Kustomizations
 * and HelmReleases (each a target `flux:<namespace>/<name>`), their sources, and the ConfigMaps
 * and Secrets that substitutions and values may come from. Read once per tree; the renderer's
 * discovery, inputs and render all look objects up here, so a target carries nothing but its id.
 */
import type { Tree } from "../../core/ports.js";
import { isPlainObject, parseYamlStream } from "../../yaml/parse.js";

export type FluxKind = "Kustomization" | "HelmRelease" | "GitRepository" | "HelmRepository" | "OCIRepository" | "HelmChart" | "ArtifactGenerator" | "ConfigMap" | "Secret";

export interface FluxObject {
  kind: FluxKind;
  apiVersion: string;
  namespace: string;
  name: string;
  body: Record<string, unknown>;
  file: string;
  line: number;
}

export interface FluxObjects {
  all: FluxObject[];
  /** kind|namespace|name → object (the first found; see `findObject` for the nearest of several). */
  byKey: Map<string, FluxObject>;
  /** kind|namespace|name → every complete object of that name, in file order (one per cluster folder, often). */
  byKeyAll: Map<string, FluxObject[]>;
  /** Target id → the Kustomization or HelmRelease it renders. */
  targets: Map<string, FluxObject>;
}

/** API groups of the kinds we read; a `Kustomization` of kustomize.config.k8s.io is a kustomization file, not Flux. */
const GROUPS: Readonly<Record<FluxKind, string>> = {
  Kustomization: "kustomize.toolkit.fluxcd.io",
  HelmRelease: "helm.toolkit.fluxcd.io",
  GitRepository: "source.toolkit.fluxcd.io",
  HelmRepository: "source.toolkit.fluxcd.io",
  OCIRepository: "source.toolkit.fluxcd.io",
  HelmChart: "source.toolkit.fluxcd.io",
  // source-watcher's generator of ExternalArtifacts (Flux 2.7): a Kustomization's source may be one of its artifacts.
  ArtifactGenerator: "source.extensions.fluxcd.io",
  ConfigMap: "",
  Secret: "",
};

/** Flux objects live in YAML files; charts' templates are Go templates, not objects. */
const YAML_FILE = /\.ya?ml$/;
/** Fast pre-check before parsing: a file naming none of these kinds holds no object we read. */
const MENTIONS = /\bkind:\s*["']?(Kustomization|HelmRelease|GitRepository|HelmRepository|OCIRepository|HelmChart|ArtifactGenerator|ConfigMap|Secret)\b/;

const SUBSTITUTION_SOURCE = /\bkind:[ \t]*["']?(?:ConfigMap|Secret)\b/;
/** Every Flux kind's API group is one of these: a file without them holds no Flux object. */
const FLUX_GROUP = /toolkit\.fluxcd\.io|source\.extensions\.fluxcd\.io/;

const cache = new WeakMap<Tree, Promise<FluxObjects>>();

export function fluxObjects(tree: Tree): Promise<FluxObjects> {
  let found = cache.get(tree);
  if (!found) {
    found = scan(tree);
    cache.set(tree, found);
  }
  return found;
}

export function objectKey(kind: string, namespace: string, name: string): string {
  return `${kind}|${namespace}|${name}`;
}

async function scan(tree: Tree): Promise<FluxObjects> {
  const all: FluxObject[] = [];
  const files = tree.files().filter((f) => YAML_FILE.test(f) && !isInChartTemplates(f));
  const candidates: { file: string; text: string }[] = [];
  let anyFlux = false;
  for (const file of files) {
    let text: string;
    try {
      text = await tree.read(file);
    } catch {
      continue; // Unreadable files are reported by the targets that read them.
    }
    if (!MENTIONS.test(text)) continue;
    const flux = FLUX_GROUP.test(text);
    anyFlux ||= flux;
    // A kustomize Kustomization (kustomize.config.k8s.io) is no Flux object: only Flux files and
    // the ConfigMaps and Secrets substitutions and values may come from are parsed.
    if (flux || SUBSTITUTION_SOURCE.test(text)) candidates.push({ file, text });
  }
  // Every kustomization says `kind: Kustomization` and ConfigMaps are everywhere: without a
  // Flux object in the tree there is nothing to parse (a repository without Flux pays a read).
  if (!anyFlux) return { all, byKey: new Map(), byKeyAll: new Map(), targets: new Map() };
  for (const { file, text } of candidates) {
    const parsed = parseYamlStream(text);
    for (const doc of parsed.docs) {
      const object = toObject(doc.value, file, doc.line);
      if (object) all.push(object);
    }
  }
  const byKey = new Map<string, FluxObject>();
  const byKeyAll = new Map<string, FluxObject[]>();
  // An overlay's patch of an object (a HelmRelease with only new values) is no object of its own.
  for (const o of all) {
    if (!isComplete(o)) continue;
    const key = objectKey(o.kind, o.namespace, o.name);
    if (!byKey.has(key)) byKey.set(key, o);
    byKeyAll.set(key, [...(byKeyAll.get(key) ?? []), o]);
  }
  const targets = new Map<string, FluxObject>();
  const add = (o: FluxObject, id: string) => {
    let unique = id;
    for (let n = 2; targets.has(unique); n++) unique = `${id}#${n}`;
    targets.set(unique, o);
  };
  for (const kind of ["Kustomization", "HelmRelease"] as const) {
    for (const list of byKeyAll.values()) {
      if (list[0]!.kind !== kind) continue;
      for (const o of list) {
        // One object per cluster: a multi-cluster repository (clusters/staging, clusters/production)
        // defines the same Kustomization in each; each is a target, named after its folder too.
        const id = list.length > 1 ? `${fluxTargetId(o)}@${dirOf(o.file)}` : fluxTargetId(o);
        // A HelmRelease named like a Kustomization of its namespace gets `#helmrelease`.
        add(o, kind === "HelmRelease" && targets.has(id) && targets.get(id)!.kind === "Kustomization" ? `${id}#helmrelease` : id);
      }
    }
  }
  return { all, byKey, byKeyAll, targets };
}

/**
 * The object a reference names. When the repository defines several of that name (one per
 * cluster folder), the one nearest to the object that refers to it: the longest common folder
 * prefix, as each cluster's Kustomizations read their own cluster's ConfigMaps and sources.
 */
export function findObject(objects: FluxObjects, kind: string, namespace: string, name: string, near?: Pick<FluxObject, "file">): FluxObject | undefined {
  const list = objects.byKeyAll.get(objectKey(kind, namespace, name));
  if (!list || list.length === 0) return undefined;
  if (list.length === 1 || !near) return list[0];
  let best = list[0]!;
  let bestScore = -1;
  for (const o of list) {
    const score = commonDirDepth(o.file, near.file);
    if (score > bestScore) {
      best = o;
      bestScore = score;
    }
  }
  return best;
}

/**
 * The objects with some replaced by others found elsewhere (the ConfigMaps and Secrets of a
 * parent's render, for a target found in it): a lookup of their kind, namespace and name finds
 * only them.
 */
export function withObjects(objects: FluxObjects, extra: readonly FluxObject[]): FluxObjects {
  if (extra.length === 0) return objects;
  const byKey = new Map(objects.byKey);
  const byKeyAll = new Map(objects.byKeyAll);
  for (const o of extra) {
    const key = objectKey(o.kind, o.namespace, o.name);
    byKey.set(key, o);
    byKeyAll.set(key, [o]);
  }
  return { ...objects, all: [...objects.all, ...extra], byKey, byKeyAll };
}

function commonDirDepth(a: string, b: string): number {
  const da = a.split("/").slice(0, -1);
  const db = b.split("/").slice(0, -1);
  let n = 0;
  while (n < da.length && n < db.length && da[n] === db[n]) n++;
  return n;
}

function dirOf(file: string): string {
  return file.includes("/") ? file.slice(0, file.lastIndexOf("/")) : ".";
}

function toObject(value: unknown, file: string, line: number): FluxObject | undefined {
  if (!isPlainObject(value)) return undefined;
  const { apiVersion, kind, metadata } = value;
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !isPlainObject(metadata)) return undefined;
  if (!(kind in GROUPS)) return undefined;
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  if (group !== GROUPS[kind as FluxKind]) return undefined;
  if (typeof metadata.name !== "string" || metadata.name === "") return undefined;
  // No namespace: the API server's "default", as `kubectl apply` (and Flux's apply) would give it.
  const namespace = typeof metadata.namespace === "string" && metadata.namespace !== "" ? metadata.namespace : "default";
  return { kind: kind as FluxKind, apiVersion, namespace, name: metadata.name, body: value, file, line };
}

/** What the API server would refuse without: a Kustomization's sourceRef, a HelmRelease's chart or chartRef. */
export function isComplete(o: FluxObject): boolean {
  const spec = isPlainObject(o.body.spec) ? o.body.spec : undefined;
  if (o.kind === "Kustomization") return spec !== undefined && isPlainObject(spec.sourceRef);
  // An overlay's patch sets a few fields (`chart.spec.version`, values): no chart name, no source.
  if (o.kind === "HelmRelease") return spec !== undefined && (isPlainObject(spec.chartRef) || (isPlainObject(spec.chart) && isPlainObject(spec.chart.spec) && typeof spec.chart.spec.chart === "string" && isPlainObject(spec.chart.spec.sourceRef)));
  return true;
}

function isInChartTemplates(file: string): boolean {
  return /(^|\/)templates\//.test(file);
}

/** `flux:<namespace>/<name>`; a HelmRelease named like a Kustomization of its namespace gets `#helmrelease`. */
export function fluxTargetId(object: Pick<FluxObject, "namespace" | "name">): string {
  return `flux:${object.namespace}/${object.name}`;
}
