/**
 * Argo CD `Application` objects (argoproj.io/v1alpha1) read from repository YAML: only the
 * fields Shipshape renders with, each checked for its type. A field of the wrong type is
 * reported, not guessed at.
 */
import type { InputProblem } from "../../core/ports.js";
import type { Resource } from "../../core/model/resource.js";

export const APPLICATION_GROUP = "argoproj.io";

export interface KustomizeOptions {
  namePrefix?: string;
  nameSuffix?: string;
  images?: string[];
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  namespace?: string;
  replicas?: { name: string; count: number | string }[];
  patches?: unknown[];
  components?: string[];
}

export interface HelmOptions {
  valueFiles?: string[];
  /** `values` (a YAML string) or `valuesObject` (which wins, as in Argo CD). */
  values?: unknown;
  parameters?: { name: string; value: string; forceString?: boolean }[];
  fileParameters?: { name: string; path: string }[];
  releaseName?: string;
  namespace?: string;
  skipCrds?: boolean;
  ignoreMissingValueFiles?: boolean;
  /** Lets a chart's download URL on another host than the repository's have that host's own credentials (chart-pull.ts). */
  passCredentials?: boolean;
}

export interface DirectoryOptions {
  recurse?: boolean;
  include?: string;
  exclude?: string;
}

export interface ApplicationSource {
  repoURL: string;
  path?: string;
  chart?: string;
  targetRevision?: string;
  /** Multi-source Applications: the name other sources' `$<ref>/…` value files use for this repository's root. */
  ref?: string;
  kustomize?: KustomizeOptions;
  helm?: HelmOptions;
  directory?: DirectoryOptions;
  plugin?: unknown;
}

export interface Application {
  name: string;
  /** The Application's own namespace (where Argo CD runs): part of the target name. */
  namespace: string;
  file: string;
  /** Position among the Application objects of the file, to find it again. */
  index: number;
  line?: number;
  project?: string;
  destination: { server?: string; name?: string; namespace?: string };
  source?: ApplicationSource;
  /** The ApplicationSet that generated this Application, when one did. */
  generatedBy?: string;
  /** The git files generator's files its parameters came from: its inputs too. */
  generatedFrom?: string[];
  /** `spec.sources` (which Argo CD reads instead of `source` when both are set). */
  sources?: ApplicationSource[];
}

/** The namespace Argo CD itself is installed in, by convention; Applications without one live there. */
export const DEFAULT_ARGOCD_NAMESPACE = "argocd";

export function isApplication(r: Pick<Resource, "apiVersion" | "kind">): boolean {
  return r.kind === "Application" && r.apiVersion.startsWith(`${APPLICATION_GROUP}/`);
}

export function applicationTargetId(app: Pick<Application, "namespace" | "name">): string {
  return `argocd:${app.namespace}/${app.name}`;
}

/** The Application in `resource` (an object of `file`), or the problem that keeps it from being read. */
export function readApplication(resource: Resource, file: string, index: number): { app?: Application; problems: InputProblem[] } {
  const problems: InputProblem[] = [];
  const where = { file, ...(resource.source?.line !== undefined ? { line: resource.source.line } : {}) };
  const bad = (field: string, expected: string) =>
    problems.push({
      ruleId: "gitops/application-invalid",
      severity: "error",
      message: `Argo CD Application ${resource.name}: \`${field}\` must be ${expected}; Argo CD refuses this Application`,
      key: `${resource.name}:${field}`,
      ...where,
    });
  const spec = record(resource.body.spec);
  if (!spec) {
    bad("spec", "a mapping");
    return { problems };
  }
  const destination = record(spec.destination) ?? {};
  const app: Application = {
    name: resource.name,
    namespace: resource.namespace || DEFAULT_ARGOCD_NAMESPACE,
    file,
    index,
    ...(where.line !== undefined ? { line: where.line } : {}),
    destination: {
      ...optString(destination, "server", "spec.destination.server", bad),
      ...optString(destination, "name", "spec.destination.name", bad),
      ...optString(destination, "namespace", "spec.destination.namespace", bad),
    },
  };
  if (typeof spec.project === "string") app.project = spec.project;
  if (spec.source !== undefined) {
    const source = readSource(spec.source, "spec.source", bad);
    if (source) app.source = source;
  }
  if (spec.sources !== undefined) {
    if (!Array.isArray(spec.sources)) bad("spec.sources", "a list");
    else app.sources = spec.sources.map((s, i) => readSource(s, `spec.sources[${i}]`, bad)).filter((s): s is ApplicationSource => s !== undefined);
  }
  return problems.length > 0 ? { problems } : { app, problems };
}

type Bad = (field: string, expected: string) => void;

function readSource(value: unknown, field: string, bad: Bad): ApplicationSource | undefined {
  const src = record(value);
  if (!src) {
    bad(field, "a mapping");
    return undefined;
  }
  if (typeof src.repoURL !== "string") {
    bad(`${field}.repoURL`, "a string");
    return undefined;
  }
  const out: ApplicationSource = {
    repoURL: src.repoURL,
    ...optString(src, "path", `${field}.path`, bad),
    ...optString(src, "chart", `${field}.chart`, bad),
    ...optString(src, "targetRevision", `${field}.targetRevision`, bad),
    ...optString(src, "ref", `${field}.ref`, bad),
  };
  if (src.kustomize !== undefined) out.kustomize = readKustomize(src.kustomize, `${field}.kustomize`, bad);
  if (src.helm !== undefined) out.helm = readHelm(src.helm, `${field}.helm`, bad);
  if (src.directory !== undefined) out.directory = readDirectory(src.directory, `${field}.directory`, bad);
  if (src.plugin !== undefined) out.plugin = src.plugin;
  return out;
}

function readKustomize(value: unknown, field: string, bad: Bad): KustomizeOptions {
  const k = record(value);
  if (!k) {
    bad(field, "a mapping");
    return {};
  }
  const out: KustomizeOptions = {
    ...optString(k, "namePrefix", `${field}.namePrefix`, bad),
    ...optString(k, "nameSuffix", `${field}.nameSuffix`, bad),
    ...optString(k, "namespace", `${field}.namespace`, bad),
  };
  const images = stringList(k.images, `${field}.images`, bad);
  if (images) out.images = images;
  const components = stringList(k.components, `${field}.components`, bad);
  if (components) out.components = components;
  const labels = stringMap(k.commonLabels, `${field}.commonLabels`, bad);
  if (labels) out.commonLabels = labels;
  const annotations = stringMap(k.commonAnnotations, `${field}.commonAnnotations`, bad);
  if (annotations) out.commonAnnotations = annotations;
  if (k.replicas !== undefined) {
    const list = Array.isArray(k.replicas) ? k.replicas.map(record) : [];
    const ok = Array.isArray(k.replicas) && list.every((r) => r && typeof r.name === "string" && (typeof r.count === "number" || typeof r.count === "string"));
    if (!ok) bad(`${field}.replicas`, "a list of {name, count}");
    else out.replicas = list.map((r) => ({ name: r!.name as string, count: r!.count as number | string }));
  }
  if (k.patches !== undefined) {
    if (!Array.isArray(k.patches)) bad(`${field}.patches`, "a list");
    else out.patches = k.patches;
  }
  return out;
}

function readHelm(value: unknown, field: string, bad: Bad): HelmOptions {
  const h = record(value);
  if (!h) {
    bad(field, "a mapping");
    return {};
  }
  const out: HelmOptions = {
    ...optString(h, "releaseName", `${field}.releaseName`, bad),
    ...optString(h, "namespace", `${field}.namespace`, bad),
  };
  const valueFiles = stringList(h.valueFiles, `${field}.valueFiles`, bad);
  if (valueFiles) out.valueFiles = valueFiles;
  if (h.valuesObject !== undefined) out.values = h.valuesObject;
  else if (h.values !== undefined) out.values = h.values;
  if (typeof h.skipCrds === "boolean") out.skipCrds = h.skipCrds;
  if (typeof h.ignoreMissingValueFiles === "boolean") out.ignoreMissingValueFiles = h.ignoreMissingValueFiles;
  if (typeof h.passCredentials === "boolean") out.passCredentials = h.passCredentials;
  if (h.parameters !== undefined) {
    const list = Array.isArray(h.parameters) ? h.parameters.map(record) : [];
    if (!Array.isArray(h.parameters) || !list.every((p) => p && typeof p.name === "string")) bad(`${field}.parameters`, "a list of {name, value}");
    else out.parameters = list.map((p) => ({ name: p!.name as string, value: scalarText(p!.value), ...(p!.forceString === true ? { forceString: true } : {}) }));
  }
  if (h.fileParameters !== undefined) {
    const list = Array.isArray(h.fileParameters) ? h.fileParameters.map(record) : [];
    if (!Array.isArray(h.fileParameters) || !list.every((p) => p && typeof p.name === "string" && typeof p.path === "string")) bad(`${field}.fileParameters`, "a list of {name, path}");
    else out.fileParameters = list.map((p) => ({ name: p!.name as string, path: p!.path as string }));
  }
  return out;
}

function readDirectory(value: unknown, field: string, bad: Bad): DirectoryOptions {
  const d = record(value);
  if (!d) {
    bad(field, "a mapping");
    return {};
  }
  return {
    ...(typeof d.recurse === "boolean" ? { recurse: d.recurse } : {}),
    ...optString(d, "include", `${field}.include`, bad),
    ...optString(d, "exclude", `${field}.exclude`, bad),
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function optString<K extends string>(obj: Record<string, unknown>, key: K, field: string, bad: Bad): Partial<Record<K, string>> {
  const v = obj[key];
  if (v === undefined || v === null || v === "") return {};
  if (typeof v !== "string") {
    bad(field, "a string");
    return {};
  }
  return { [key]: v } as Partial<Record<K, string>>;
}

function stringList(value: unknown, field: string, bad: Bad): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
    bad(field, "a list of strings");
    return undefined;
  }
  return value as string[];
}

function stringMap(value: unknown, field: string, bad: Bad): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  const r = record(value);
  if (!r) {
    bad(field, "a mapping of strings");
    return undefined;
  }
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, scalarText(v)]));
}

/** Argo CD's fields are strings; YAML may have made a number or a boolean of one. */
function scalarText(v: unknown): string {
  return v === undefined || v === null ? "" : typeof v === "string" ? v : String(v);
}
