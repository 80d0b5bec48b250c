/**
 * What an Application target reads: its own definition, found again in this side's tree, and
 * the files of the source folder as the tool Argo CD would pick reads them (kustomize, helm or
 * a plain directory), plus values files and file parameters. These are the target's inputs,
 * so a change to any of them marks the application affected.
 */
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
import type { Application, ApplicationSource } from "./application.js";
import { applicationsIn, renderedSource, sourceFolder } from "./discover.js";

export type SourceKind = "kustomize" | "helm" | "directory";

export interface ResolvedApplication {
  app: Application;
  source: ApplicationSource;
  /** Repo-relative folder the source renders. */
  folder: string;
  kind: SourceKind;
}

export type Resolution = { ok: true; resolved: ResolvedApplication } | { ok: false; problems: InputProblem[]; files: string[] };

/** The target's Application in this tree, and what it renders, or why it cannot be reviewed. */
export async function resolveApplication(target: TargetSpec, tree: Tree, isLocal: (url: string) => boolean): Promise<Resolution> {
  const def = target.definedIn;
  if (!def) return { ok: false, files: [], problems: [problem("gitops/application-invalid", `target ${target.id} names no Application`)] };
  const text = await tree.read(def.file).catch(() => undefined);
  const found = text === undefined ? undefined : applicationsIn(text, def.file)[def.index];
  if (!found) return { ok: false, files: [def.file], problems: [problem("gitops/application-invalid", `${def.file}: the Application of target ${target.id} could not be read again`, def.file)] };
  if (!found.app) return { ok: false, files: [def.file], problems: found.problems };
  const app = found.app;
  const where = { file: app.file, ...(app.line !== undefined ? { line: app.line } : {}) };
  const source = renderedSource(app, isLocal);
  if (!source) return { ok: false, files: [app.file], problems: [problem("gitops/application-invalid", `Argo CD Application ${app.name} has no source`, app.file, app.line)] };
  const folder = sourceFolder(source, isLocal);
  if (folder === undefined) {
    const what = source.chart !== undefined ? `chart ${JSON.stringify(source.chart)} from ${source.repoURL}` : `repository ${source.repoURL}`;
    return {
      ok: false,
      files: [app.file],
      problems: [
        {
          ruleId: "gitops/source-unavailable",
          severity: "warning",
          message:
            `Argo CD Application ${app.name} renders ${what}, which is not this repository: it is not reviewed. ` +
            "If it is this repository, list its URL in `gitops.repositoryUrls` in the config",
          key: `${app.namespace}/${app.name}:${source.repoURL}`,
          ...where,
        },
      ],
    };
  }
  if (!tree.hasDir(folder)) {
    return {
      ok: false,
      files: [app.file],
      problems: [{ ruleId: "gitops/source-path-missing", severity: "error", message: `Argo CD Application ${app.name}: source path "${folder}" is not a folder of this repository; Argo CD would fail to render it`, key: `${app.name}:${folder}`, ...where }],
    };
  }
  if (source.plugin !== undefined) {
    return { ok: false, files: [app.file], problems: [{ ruleId: "gitops/unsupported", severity: "warning", message: `Argo CD Application ${app.name} uses a config management plugin, which Shipshape cannot run: it is not reviewed`, key: `${app.name}:plugin`, ...where }] };
  }
  return { ok: true, resolved: { app, source, folder, kind: sourceKind(tree, folder, source) } };
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
  const shared = target.definedIn ? [target.definedIn.file] : [];
  if (!resolution.ok) return { files: new Set(resolution.files), shared, blocking: resolution.problems, warnings: [] };
  const { resolved } = resolution;
  const own = new Set([resolved.app.file]);
  let inner: InputSet;
  if (resolved.kind === "kustomize") {
    inner = await withKustomizeSecrets(kustomizeInputs(resolved.folder, tree), tree);
    for (const c of resolved.source.kustomize?.components ?? []) {
      const dir = resolveRepoPath(resolved.folder, c);
      if (dir === undefined) continue;
      const more = await kustomizeInputs(dir, tree);
      for (const f of more.files) inner.files.add(f);
      inner.blocking.push(...more.blocking);
    }
  } else if (resolved.kind === "helm") {
    inner = await withHelmSecrets(helmInputs(helmTarget(target, resolved, tree), tree), tree);
    for (const p of resolved.source.helm?.fileParameters ?? []) {
      const path = resolveRepoPath(resolved.folder, p.path);
      if (path === undefined || !tree.hasFile(path)) {
        inner.blocking.push(problem("gitops/application-invalid", `Argo CD Application ${resolved.app.name}: file parameter ${p.name} names "${p.path}", which is not a file of this repository`, resolved.app.file, resolved.app.line));
      } else inner.files.add(path);
    }
  } else {
    inner = { files: new Set(directoryFiles(tree, resolved)), blocking: [], warnings: [] };
  }
  for (const f of inner.files) own.add(f);
  return { ...inner, files: own, shared };
}

function problem(ruleId: string, message: string, file?: string, line?: number): InputProblem {
  return { ruleId, severity: "error", message, ...(file ? { file } : {}), ...(line !== undefined ? { line } : {}) };
}
