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
  /** kind|namespace|name → object (the first found; duplicates are the render's problem). */
  byKey: Map<string, FluxObject>;
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
  if (!anyFlux) return { all, byKey: new Map(), targets: new Map() };
  for (const { file, text } of candidates) {
    const parsed = parseYamlStream(text);
    for (const doc of parsed.docs) {
      const object = toObject(doc.value, file, doc.line);
      if (object) all.push(object);
    }
  }
  const byKey = new Map<string, FluxObject>();
  // An overlay's patch of an object (a HelmRelease with only new values) is no object of its own.
  for (const o of all) if (isComplete(o) && !byKey.has(objectKey(o.kind, o.namespace, o.name))) byKey.set(objectKey(o.kind, o.namespace, o.name), o);
  const targets = new Map<string, FluxObject>();
  const applications = [...byKey.values()].filter((o) => o.kind === "Kustomization" || o.kind === "HelmRelease");
  for (const o of applications.filter((a) => a.kind === "Kustomization")) targets.set(fluxTargetId(o), o);
  for (const o of applications.filter((a) => a.kind === "HelmRelease")) {
    const id = fluxTargetId(o);
    targets.set(targets.has(id) ? `${id}#helmrelease` : id, o);
  }
  return { all, byKey, targets };
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
function isComplete(o: FluxObject): boolean {
  const spec = isPlainObject(o.body.spec) ? o.body.spec : undefined;
  if (o.kind === "Kustomization") return spec !== undefined && isPlainObject(spec.sourceRef);
  if (o.kind === "HelmRelease") return spec !== undefined && (isPlainObject(spec.chartRef) || (isPlainObject(spec.chart) && isPlainObject(spec.chart.spec)));
  return true;
}

function isInChartTemplates(file: string): boolean {
  return /(^|\/)templates\//.test(file);
}

/** `flux:<namespace>/<name>`; a HelmRelease named like a Kustomization of its namespace gets `#helmrelease`. */
export function fluxTargetId(object: Pick<FluxObject, "namespace" | "name">): string {
  return `flux:${object.namespace}/${object.name}`;
}
