/**
 * What an Application target reads: its own definition, found again in this side's tree, and
 * the files of the source folder as the tool Argo CD would pick reads them (kustomize, helm or
 * a plain directory), plus values files and file parameters. These are the target's inputs,
 * so a change to any of them marks the application affected.
 */
import { posix } from "node:path";
import picomatch from "picomatch";
import type { TargetSpec } from "../../core/model/target.js";
import type { InputProblem, InputSet, Tree } from "../../core/ports.js";
import { filesUnder, helmInputs } from "../helm/inputs.js";
import { withKnownSecrets as withHelmSecrets } from "../helm/known-secrets.js";
import { findKustomizationFile } from "../kustomize/kustomization-file.js";
import { kustomizeInputs } from "../kustomize/inputs.js";
import { withKnownSecrets as withKustomizeSecrets } from "../kustomize/known-secrets.js";
import { isCandidate } from "../manifests/manifest-files.js";
import { resolveRepoPath } from "../repo-path.js";
import type { Resource } from "../../core/model/resource.js";
import { readApplication, type Application, type ApplicationSource } from "./application.js";
import { expandApplicationSet, isApplicationSet } from "./appset/applicationset.js";
import { allSources, applicationsOfFile, renderedSources, sourceFolder } from "./discover.js";

export type SourceKind = "kustomize" | "helm" | "directory";

export interface ResolvedApplication {
  app: Application;
  source: ApplicationSource;
  /** Repo-relative folder the source renders. */
  folder: string;
  kind: SourceKind;
  /** A helm chart from a chart repository or OCI registry (`chart`), pulled at render time from an allowed host. */
  remote?: RemoteChart;
}

export interface RemoteChart {
  /** `https://…` of a chart repository, or `oci://host/path` of a registry. */
  repoUrl: string;
  chart: string;
  /** An exact version or a semver range; none is the latest. */
  version?: string;
  /** The value files in order: `repo` ones are paths of this repository (`$<ref>/…`), the others paths inside the chart. */
  valueFiles: { repo: boolean; path: string }[];
}

/**
 * `deployed` on a failure: folders of this repository the Application deploys in a way Shipshape
 * cannot render (a config management plugin) — still the Application's, so no folder target
 * reviews them as something they are not.
 */
export type Resolution = { ok: true; app: Application; resolved: ResolvedApplication[]; read?: string[] } | { ok: false; problems: InputProblem[]; files: string[]; deployed?: string[] };

/** The target's Application in this tree, and what each of its sources renders, or why it cannot be reviewed. */
export async function resolveApplication(target: TargetSpec, tree: Tree, isLocal: (url: string) => boolean): Promise<Resolution> {
  if (target.renderedFrom) return resolveRendered(target, target.renderedFrom, tree, isLocal);
  const def = target.definedIn;
  if (!def) return { ok: false, files: [], problems: [problem("gitops/application-invalid", `target ${target.id} names no Application`)] };
  const found = (await applicationsOfFile(tree, def.file, isLocal))[def.index];
  if (!found) return { ok: false, files: [def.file], problems: [problem("gitops/application-invalid", `${def.file}: the Application of target ${target.id} could not be read again`, def.file)] };
  const read = found.read ?? [];
  if (!found.app) return { ok: false, files: [def.file, ...read], problems: found.problems };
  const resolution = resolveSources(found.app, tree, isLocal);
  return resolution.ok ? { ...resolution, read } : { ...resolution, files: [...resolution.files, ...read] };
}

/** The object a target found in another target's render carries, as the resource that render held. */
export function renderedResource(from: NonNullable<TargetSpec["renderedFrom"]>): Resource {
  const metadata = (from.object.metadata ?? {}) as Record<string, unknown>;
  return {
    apiVersion: String(from.object.apiVersion ?? ""),
    kind: String(from.object.kind ?? ""),
    name: String(metadata.name ?? ""),
    namespace: typeof metadata.namespace === "string" ? metadata.namespace : "",
    body: from.object,
    ...(from.file ? { source: { file: from.file, ...(from.line !== undefined ? { line: from.line } : {}) } } : {}),
  };
}

/** An Application (or an ApplicationSet that generates none) found in another target's rendered output. */
async function resolveRendered(target: TargetSpec, from: NonNullable<TargetSpec["renderedFrom"]>, tree: Tree, isLocal: (url: string) => boolean): Promise<Resolution> {
  const resource = renderedResource(from);
  const file = from.file ?? target.path;
  const files = from.file ? [from.file] : [];
  if (isApplicationSet(resource)) {
    const generated = await expandApplicationSet(resource, file, 0, tree, isLocal);
    const problems = generated.problems.length > 0 ? generated.problems : [problem("gitops/application-invalid", `target ${target.id}: the ApplicationSet generates no Application`, from.file, from.line)];
    return { ok: false, files: [...new Set([...files, ...generated.read.filter((f) => f !== file)])], problems };
  }
  const read = readApplication(resource, file, 0);
  if (!read.app) return { ok: false, files, problems: read.problems };
  const resolution = resolveSources(read.app, tree, isLocal);
  return resolution.ok || !from.file ? resolution : { ...resolution, files };
}

/** What each rendered source of `app` renders; a multi-source Application is reviewed only when every source is this repository. */
export function resolveSources(app: Application, tree: Tree, isLocal: (url: string) => boolean): Resolution {
  const where = { file: app.file, ...(app.line !== undefined ? { line: app.line } : {}) };
  const notHere = (message: string, key: string, ruleId = "gitops/source-unavailable"): Extract<Resolution, { ok: false }> => ({
    ok: false,
    files: [app.file],
    problems: [{ ruleId, severity: ruleId === "gitops/source-path-missing" ? "error" : "warning", message, key, ...where }],
  });
  const all = allSources(app);
  const rendered = renderedSources(app);
  if (rendered.length === 0) return { ok: false, files: [app.file], problems: [problem("gitops/application-invalid", `Argo CD Application ${app.name} has no source`, app.file, app.line)] };
  // A `chart` source is pulled from its chart repository or registry when the render runs (if its host is allowed).
  const foreign = all.find((s) => s.chart === undefined && !isLocal(s.repoURL));
  if (foreign) {
    const s = foreign;
    const what = `repository ${s.repoURL}`;
    const which = all.length > 1 ? `source ${all.indexOf(s) + 1} of ${all.length} (${s.ref !== undefined ? `ref ${s.ref}` : s.path !== undefined ? `path ${s.path}` : "chart"}) is ` : "renders ";
    return notHere(
      `Argo CD Application ${app.name}: ${which}${what}, which is not this repository: it is not reviewed. ` +
        "If it is this repository, list its URL in `gitops.repositoryUrls` in the config",
      `${app.namespace}/${app.name}:${s.repoURL}`,
    );
  }
  const refs = new Set(all.map((s) => s.ref).filter((r): r is string => r !== undefined));
  const out: ResolvedApplication[] = [];
  for (const source of rendered) {
    if (source.chart !== undefined) {
      const chart = remoteChart(app, source, refs);
      if (!chart.ok) return { ok: false, files: [app.file], problems: chart.problems };
      out.push({ app, source, folder: ".", kind: "helm", remote: chart.remote });
      continue;
    }
    const folder = sourceFolder(source, isLocal)!;
    if (!tree.hasDir(folder)) {
      return notHere(`Argo CD Application ${app.name}: source path "${folder}" is not a folder of this repository; Argo CD would fail to render it`, `${app.name}:${folder}`, "gitops/source-path-missing");
    }
    if (source.plugin !== undefined) {
      const failed = notHere(`Argo CD Application ${app.name} uses a config management plugin, which Shipshape cannot run: it is not reviewed`, `${app.name}:plugin`, "gitops/unsupported");
      // A change under the folder is a change to what the plugin deploys: the Application is affected (and says it is not reviewed).
      const prefix = folder === "." ? "" : `${folder}/`;
      return { ...failed, files: [...failed.files, ...tree.files().filter((f) => f.startsWith(prefix))], deployed: [folder] };
    }
    const withRefs = resolveRefValueFiles(app, source, folder, refs);
    if (!withRefs.ok) return { ok: false, files: [app.file], problems: withRefs.problems };
    out.push({ app, source: withRefs.source, folder, kind: sourceKind(tree, folder, withRefs.source) });
  }
  return { ok: true, app, resolved: out };
}

/**
 * `$<ref>/<path>` value files name a file from the root of the `ref` source's repository —
 * this one, since every source is — so they become paths relative to the chart folder, as
 * the other value files are.
 */
function resolveRefValueFiles(app: Application, source: ApplicationSource, folder: string, refs: ReadonlySet<string>): { ok: true; source: ApplicationSource } | { ok: false; problems: InputProblem[] } {
  const files = source.helm?.valueFiles;
  if (!files || !files.some((f) => f.startsWith("$"))) return { ok: true, source };
  const problems: InputProblem[] = [];
  const valueFiles = files.map((f) => {
    if (!f.startsWith("$")) return f;
    const path = refValueFile(app, f, refs, problems);
    return path === undefined ? f : posix.relative(folder === "." ? "" : folder, path) || ".";
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, source: { ...source, helm: { ...source.helm, valueFiles } } };
}

/** `$<ref>/<path>`: the repo path it names, or undefined with a problem. */
function refValueFile(app: Application, f: string, refs: ReadonlySet<string>, problems: InputProblem[]): string | undefined {
  const slash = f.indexOf("/");
  const ref = slash === -1 ? f.slice(1) : f.slice(1, slash);
  const path = slash === -1 ? undefined : resolveRepoPath(".", f.slice(slash + 1));
  if (!refs.has(ref) || path === undefined) {
    const why = !refs.has(ref) ? `no source of the Application has \`ref: ${ref}\`` : "it does not name a file inside the repository";
    problems.push(problem("gitops/application-invalid", `Argo CD Application ${app.name}: value file ${JSON.stringify(f)}: ${why}`, app.file, app.line));
    return undefined;
  }
  return path;
}

/**
 * A `chart` source: Argo CD's repoURL is a chart repository (`https://…`), an `oci://` URL, or a
 * registry path without a scheme (OCI). `targetRevision` is a version or a semver range.
 */
function remoteChart(app: Application, source: ApplicationSource, refs: ReadonlySet<string>): { ok: true; remote: RemoteChart } | { ok: false; problems: InputProblem[] } {
  const url = source.repoURL.trim();
  const repoUrl = /^[a-z][a-z0-9+.-]*:\/\//i.test(url) ? url : `oci://${url}`;
  const revision = source.targetRevision?.trim();
  const version = revision && revision !== "*" && revision !== "HEAD" ? revision : undefined;
  const problems: InputProblem[] = [];
  const valueFiles: RemoteChart["valueFiles"] = [];
  for (const f of source.helm?.valueFiles ?? []) {
    if (f.startsWith("$")) {
      const path = refValueFile(app, f, refs, problems);
      if (path !== undefined) valueFiles.push({ repo: true, path });
      continue;
    }
    const path = resolveRepoPath(".", f);
    if (path === undefined) problems.push(problem("gitops/application-invalid", `Argo CD Application ${app.name}: value file ${JSON.stringify(f)} does not name a file inside the chart`, app.file, app.line));
    else valueFiles.push({ repo: false, path });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, remote: { repoUrl, chart: source.chart!, ...(version ? { version } : {}), valueFiles } };
}

/** As Argo CD decides: the options the source sets, else what the folder holds. */
export function sourceKind(tree: Tree, folder: string, source: ApplicationSource): SourceKind {
  if (source.helm && !source.kustomize && !source.directory) return "helm";
  if (source.kustomize && !source.helm && !source.directory) return "kustomize";
  if (source.directory && !source.helm && !source.kustomize) return "directory";
  if (findKustomizationFile(tree, folder)) return "kustomize";
  if (tree.hasFile(folder === "." ? "Chart.yaml" : `${folder}/Chart.yaml`)) return "helm";
  return "directory";
}

/** Repo-relative values files (relative to the chart folder, as Argo CD reads them). */
export function valueFilesOf(resolved: ResolvedApplication): string[] {
  return resolved.source.helm?.valueFiles ?? [];
}

/** The helm target the chart renders as: its values files resolve against the chart folder. */
export function helmTarget(target: TargetSpec, resolved: ResolvedApplication, tree: Tree): TargetSpec {
  const helm = resolved.source.helm ?? {};
  const valueFiles = (helm.valueFiles ?? []).filter((v) => {
    if (!helm.ignoreMissingValueFiles) return true;
    const path = resolveRepoPath(resolved.folder, v);
    return path !== undefined && tree.hasFile(path);
  });
  return {
    id: target.id,
    type: "helm",
    path: resolved.folder,
    releaseName: helm.releaseName ?? resolved.app.name,
    namespace: helm.namespace ?? resolved.app.destination.namespace ?? "default",
    valueFiles,
    ...(target.kubernetesVersion ? { kubernetesVersion: target.kubernetesVersion } : {}),
  };
}

/** The plain files a directory source applies: .yaml, .yml and .json, filtered by include and exclude. */
export function directoryFiles(tree: Tree, resolved: ResolvedApplication): string[] {
  const dir = resolved.source.directory ?? {};
  const prefix = resolved.folder === "." ? "" : `${resolved.folder}/`;
  const include = dir.include ? picomatch(dir.include, { dot: true }) : () => true;
  const exclude = dir.exclude ? picomatch(dir.exclude, { dot: true }) : () => false;
  return filesUnder(tree, resolved.folder).filter((f) => {
    const rel = f.slice(prefix.length);
    if (!dir.recurse && rel.includes("/")) return false;
    if (!/\.(ya?ml|json)$/i.test(rel) || !isCandidate(tree, f)) return false;
    return include(rel) && !exclude(rel);
  });
}

export async function applicationInputs(target: TargetSpec, tree: Tree, isLocal: (url: string) => boolean): Promise<InputSet> {
  const resolution = await resolveApplication(target, tree, isLocal);
  // The Application's own file (or the template that renders it) is every sibling's: shared.
  const shared = target.definedIn ? [target.definedIn.file] : target.renderedFrom?.file ? [target.renderedFrom.file] : [];
  if (!resolution.ok) return { files: new Set(resolution.files), shared: [...new Set([...shared, ...resolution.files])], blocking: resolution.problems, warnings: [] };
  // A git files generator's files are every generated Application's inputs, like the ApplicationSet's file.
  shared.push(...(resolution.read ?? []));
  const own = new Set([resolution.app.file, ...(resolution.read ?? [])].filter((f) => tree.hasFile(f)));
  const blocking: InputProblem[] = [];
  const warnings: InputProblem[] = [];
  for (const resolved of resolution.resolved) {
    const inner = await sourceInputs(target, resolved, tree);
    for (const f of inner.files) own.add(f);
    blocking.push(...inner.blocking);
    warnings.push(...inner.warnings);
  }
  return { files: own, shared, blocking, warnings };
}

/** The folders an Application's sources render, in order (what it supersedes). */
export function renderedFolders(resolution: Resolution): string[] {
  return resolution.ok ? [...new Set(resolution.resolved.filter((r) => !r.remote).map((r) => r.folder))] : (resolution.deployed ?? []);
}

async function sourceInputs(target: TargetSpec, resolved: ResolvedApplication, tree: Tree): Promise<InputSet> {
  if (resolved.remote) return remoteChartInputs(resolved, resolved.remote, tree);
  if (resolved.kind === "kustomize") {
    const inner = await withKustomizeSecrets(kustomizeInputs(resolved.folder, tree), tree);
    for (const c of resolved.source.kustomize?.components ?? []) {
      const dir = resolveRepoPath(resolved.folder, c);
      if (dir === undefined) continue;
      const more = await kustomizeInputs(dir, tree);
      for (const f of more.files) inner.files.add(f);
      inner.blocking.push(...more.blocking);
    }
    return inner;
  }
  if (resolved.kind === "helm") {
    const inner = await withHelmSecrets(helmInputs(helmTarget(target, resolved, tree), tree, { downloadDependencies: true }), tree);
    for (const p of resolved.source.helm?.fileParameters ?? []) {
      const path = resolveRepoPath(resolved.folder, p.path);
      if (path === undefined || !tree.hasFile(path)) {
        inner.blocking.push(problem("gitops/application-invalid", `Argo CD Application ${resolved.app.name}: file parameter ${p.name} names "${p.path}", which is not a file of this repository`, resolved.app.file, resolved.app.line));
      } else inner.files.add(path);
    }
    return inner;
  }
  return { files: new Set(directoryFiles(tree, resolved)), blocking: [], warnings: [] };
}

/** A pulled chart's inputs in this repository: its `$<ref>/…` value files and file parameters (the chart itself is the registry's). */
async function remoteChartInputs(resolved: ResolvedApplication, remote: RemoteChart, tree: Tree): Promise<InputSet> {
  const blocking: InputProblem[] = [];
  const valueFiles: string[] = [];
  for (const v of remote.valueFiles) {
    if (!v.repo) continue;
    if (tree.hasFile(v.path)) valueFiles.push(v.path);
    else if (!resolved.source.helm?.ignoreMissingValueFiles) blocking.push({ ruleId: "render/missing-file", severity: "error", message: `Argo CD Application ${resolved.app.name}: value file ${v.path} does not exist`, file: resolved.app.file, ...(resolved.app.line !== undefined ? { line: resolved.app.line } : {}) });
  }
  const files = new Set(valueFiles);
  for (const p of resolved.source.helm?.fileParameters ?? []) {
    const path = resolveRepoPath(".", p.path);
    if (path === undefined || !tree.hasFile(path)) {
      blocking.push(problem("gitops/application-invalid", `Argo CD Application ${resolved.app.name}: file parameter ${p.name} names "${p.path}", which is not a file of this repository`, resolved.app.file, resolved.app.line));
    } else files.add(path);
  }
  return withHelmSecrets(Promise.resolve({ files, valueFiles, blocking, warnings: [] }), tree);
}

function problem(ruleId: string, message: string, file?: string, line?: number): InputProblem {
  return { ruleId, severity: "error", message, ...(file ? { file } : {}), ...(line !== undefined ? { line } : {}) };
}
