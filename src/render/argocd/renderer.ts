/**
 * Argo CD Applications as targets: each renders its source folder the way Argo CD's repo
 * server would, with the same tools and the same safety as the other renderers — kustomize
 * through a kustomization Shipshape writes in the scratch folder (kustomize-wrapper.ts), helm
 * through argv.ts with inline values and parameters as Shipshape-written values files, plain
 * directories parsed as kubectl parses them. A `chart` source (chart repository or OCI registry)
 * is pulled as Flux's are (flux/chart-pull.ts: only from the base config's gitops.allowedHosts,
 * digests checked, cached) and rendered from the unpacked archive; helm stays offline. Another
 * git repository is reported as not reviewed.
 */
import { createHash } from "node:crypto";
import { copyFile, lstat, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { parse as parseYaml } from "yaml";
import type { TargetSpec } from "../../core/model/target.js";
import type { Resource } from "../../core/model/resource.js";
import type { InputProblem, RenderLimits, RenderOutcome, Renderer, Tree } from "../../core/ports.js";
import { helmTemplateArgv, kustomizeBuildArgv } from "../argv.js";
import { memoInfo, resolveHelm, resolveKustomize } from "../binaries.js";
import { failureOutcome, runTool } from "../exec.js";
import { helmInputs } from "../helm/inputs.js";
import { helmOutputToResources } from "../helm/source-map.js";
import { dirOf, resolveRepoPath, rootsOf } from "../repo-path.js";
import { yamlToResources } from "../to-resources.js";
import type { ToolOptions } from "../tool-options.js";
import { applicationsInRendered, discoverApplications } from "./discover.js";
import { applicationSetInputs, isApplicationSetTarget, renderApplicationSet } from "./appset/target.js";
import { setValues } from "./helm-values.js";
import { wrapperKustomization } from "./kustomize-wrapper.js";
import { editKustomization } from "./kustomize-edit.js";
import { findKustomizationFile } from "../kustomize/kustomization-file.js";
import { applyWrapperOrigins } from "../kustomize/origin-sources.js";
import { supportsOriginAnnotations } from "../kustomize/origin-rewrite.js";
import { parseYamlMapping } from "../../yaml/parse.js";
import { thisRepository } from "./repo-url.js";
import { pullChart } from "../flux/chart-pull.js";
import { chartRootWithDependencies } from "../flux/chart-deps.js";
import { CHART_ARCHIVE_LIMITS } from "../flux/helmrelease.js";
import { scratchFolder } from "../flux/scratch.js";
import { extractTarball } from "../../repo/tarball.js";
import { applicationInputs, directoryFiles, helmTarget, renderedFolders, resolveApplication, type RemoteChart, type ResolvedApplication } from "./source.js";

export interface GitOpsOptions {
  /** URLs of this repository (`gitops.repositoryUrls`): Applications whose repoURL is one of them are rendered from the snapshot. */
  repositoryUrls: readonly string[];
}

export function createArgoCdRenderer(tools: ToolOptions, gitops: GitOpsOptions): Renderer {
  const isLocal = thisRepository(gitops.repositoryUrls);
  // The folders each target's sources render, per tree, found while its inputs are read.
  const folders = new WeakMap<Tree, Map<string, string[]>>();
  const inputs = async (target: TargetSpec, tree: Tree) => {
    if (isApplicationSetTarget(target)) return applicationSetInputs(target, tree, isLocal);
    const resolution = await resolveApplication(target, tree, isLocal);
    const seen = folders.get(tree) ?? new Map<string, string[]>();
    folders.set(tree, seen);
    seen.set(target.id, renderedFolders(resolution));
    return applicationInputs(target, tree, isLocal);
  };
  const foldersOf = (target: TargetSpec, tree: Tree) => folders.get(tree)?.get(target.id) ?? [target.path];
  return {
    type: "argocd",
    discoverFirst: true,
    discover: (tree) => discoverApplications(tree, isLocal),
    fromRendered: (resources, parent, tree) => applicationsInRendered(resources, parent, tree, isLocal),
    renderedMarkers: ["argoproj.io"],
    inputs,
    // The source folders are the Application's: their YAML is no plain-manifests target of its own.
    owns: (target, tree, set) => (rendersElsewhere(set) || isApplicationSetTarget(target) ? [] : ownedFolders(target, foldersOf(target, tree), set)),
    // One review per deployed thing: the folders' own kustomize, helm or manifests targets go —
    // also a folder a plugin renders (not reviewed, but not a kustomize build that fails either).
    supersedes: (target, tree, set) => (isApplicationSetTarget(target) ? [] : rendersElsewhere(set) ? (pluginOnly(set) ? foldersOf(target, tree) : []) : foldersOf(target, tree)),
    nondeterministic: true,
    render: (target, tree, limits) => (isApplicationSetTarget(target) ? renderApplicationSet(target, tree, isLocal) : renderApplication(target, tree, limits, tools, isLocal)),
    info: memoInfo(() => resolveKustomize(tools)),
  };
}

const NOT_RENDERED = new Set(["gitops/source-unavailable", "gitops/unsupported", "gitops/application-invalid", "gitops/generator-unsupported", "gitops/source-path-missing"]);

/** The source is not in this repository (or not readable): the target's path is only where its Application is. */
function rendersElsewhere(inputs: { blocking: readonly InputProblem[] }): boolean {
  return inputs.blocking.some((p) => NOT_RENDERED.has(p.ruleId));
}

/** Not rendered only because a config management plugin renders it: the folder is still deployed by the Application. */
function pluginOnly(inputs: { blocking: readonly InputProblem[] }): boolean {
  return inputs.blocking.length > 0 && inputs.blocking.every((p) => p.ruleId === "gitops/unsupported");
}

function ownedFolders(target: TargetSpec, sourceFolders: readonly string[], inputs: { files: Set<string> }): string[] {
  const out = new Set<string>(sourceFolders.map((f) => `${f}/*`));
  const own = target.definedIn?.file;
  for (const f of inputs.files) if (f !== own) out.add(`${dirOf(f)}/*`);
  return [...out];
}

export async function renderApplication(target: TargetSpec, tree: Tree, limits: RenderLimits, tools: ToolOptions, isLocal: (url: string) => boolean): Promise<RenderOutcome> {
  const inputs = await applicationInputs(target, tree, isLocal);
  if (inputs.blocking.length > 0) return { status: "invalid", problems: inputs.blocking };
  const resolution = await resolveApplication(target, tree, isLocal);
  if (!resolution.ok) return { status: "invalid", problems: resolution.problems };
  await tree.materialize(inputs.files);
  // Argo CD renders each source on its own and applies them together.
  const resources: Resource[] = [];
  const warnings: InputProblem[] = [];
  for (const resolved of resolution.resolved) {
    const outcome = await renderSource(target, resolved, tree, limits, tools, inputs.files);
    if (outcome.status !== "ok") return outcome;
    resources.push(...outcome.resources);
    warnings.push(...outcome.warnings);
  }
  return { status: "ok", resources: lastOfEach(resources), warnings };
}

function renderSource(target: TargetSpec, resolved: ResolvedApplication, tree: Tree, limits: RenderLimits, tools: ToolOptions, files: ReadonlySet<string>): Promise<RenderOutcome> {
  if (resolved.kind === "kustomize") return renderKustomize(target, resolved, tree, limits, tools, files);
  if (resolved.remote) return renderRemoteHelm(target, resolved, resolved.remote, tree, limits, tools);
  if (resolved.kind === "helm") return renderHelm(target, resolved, tree, limits, tools);
  return renderDirectory(resolved, tree);
}

/** Two sources rendering the same object (group, kind, namespace, name): the later source's wins, as in Argo CD. */
function lastOfEach(resources: readonly Resource[]): Resource[] {
  const key = (r: Resource) => `${r.apiVersion.includes("/") ? r.apiVersion.split("/")[0] : ""}|${r.kind}|${r.namespace ?? ""}|${r.name}`;
  const last = new Map<string, number>();
  resources.forEach((r, i) => last.set(key(r), i));
  return resources.filter((r, i) => last.get(key(r)) === i);
}

async function renderKustomize(target: TargetSpec, resolved: ResolvedApplication, tree: Tree, limits: RenderLimits, tools: ToolOptions, files: ReadonlySet<string>): Promise<RenderOutcome> {
  let tool;
  try {
    tool = await resolveKustomize(tools);
  } catch (err) {
    return { status: "tool-error", message: (err as Error).message };
  }
  const options = resolved.source.kustomize ?? {};
  const problems: InputProblem[] = [];
  const patches: unknown[] = [];
  for (const entry of options.patches ?? []) {
    const patch = await inlinePatch(entry, resolved, tree, problems);
    if (patch !== undefined) patches.push(patch);
  }
  if (problems.length > 0) return { status: "invalid", problems };
  const kustomization = findKustomizationFile(tree, resolved.folder);
  if (kustomization) return buildEdited(target, resolved, kustomization, patches, files, tree, limits, tools, tool);
  // No kustomization in the folder (kustomize options on a plain folder): a wrapper has it as its resource.
  const wrapperDir = join(tools.scratchDir, "argocd", digest([tree.root, target.id, JSON.stringify(resolved.source)]));
  const toRepo = (p: string) => relative(wrapperDir, join(tree.root, p)) || ".";
  const components = (options.components ?? []).map((c) => resolveRepoPath(resolved.folder, c)).filter((c): c is string => c !== undefined).map(toRepo);
  const wrapper: Record<string, unknown> = wrapperKustomization(toRepo(resolved.folder), components, options, patches);
  const origins = askOrigins(wrapper, tool);
  await mkdir(wrapperDir, { recursive: true });
  // JSON is YAML: the file needs no serializer and no repository text is ever a line of syntax.
  await writeFile(join(wrapperDir, "kustomization.yaml"), JSON.stringify(wrapper, null, 2));
  return build(target, resolved, wrapperDir, tree, limits, tools, tool, origins ? tree.root : undefined);
}

/**
 * Asks kustomize where each object comes from (as the kustomize renderer does), so findings
 * point at repository lines; only kustomize v5+, and only where the field has a shape we extend.
 */
function askOrigins(kustomization: Record<string, unknown>, tool: KustomizeTool): boolean {
  if (!supportsOriginAnnotations(tool.info.version)) return false;
  const current = kustomization.buildMetadata;
  if (current === undefined) kustomization.buildMetadata = ["originAnnotations"];
  else if (Array.isArray(current) && current.every((x) => typeof x === "string")) {
    if (!current.includes("originAnnotations")) kustomization.buildMetadata = [...current, "originAnnotations"];
  } else return false;
  return true;
}

type KustomizeTool = Awaited<ReturnType<typeof resolveKustomize>>;

/**
 * As Argo CD does: the folder's kustomization edited with the options (kustomize-edit.ts) and
 * built. The edit happens in a scratch copy of the files the build reads, laid out as in the
 * repository so every relative path in them still holds.
 */
async function buildEdited(target: TargetSpec, resolved: ResolvedApplication, kustomization: string, patches: unknown[], files: ReadonlySet<string>, tree: Tree, limits: RenderLimits, tools: ToolOptions, tool: KustomizeTool): Promise<RenderOutcome> {
  const text = await tree.read(kustomization).catch(() => undefined);
  const parsed = text === undefined ? {} : parseYamlMapping(text);
  if (text === undefined || parsed.error || !parsed.value) {
    return { status: "invalid", problems: [{ ruleId: "gitops/application-invalid", severity: "error", message: `${kustomization} is not a kustomization kustomize edit can read${parsed.error ? `: ${parsed.error.message}` : ""}`, file: kustomization }] };
  }
  const edited: Record<string, unknown> = editKustomization(parsed.value, resolved.source.kustomize ?? {}, patches);
  const origins = askOrigins(edited, tool);
  await mkdir(join(tools.scratchDir, "argocd"), { recursive: true });
  const mirror = await mkdtemp(join(tools.scratchDir, "argocd", "edit-"));
  try {
    for (const file of files) {
      const from = join(tree.root, file);
      const info = await lstat(from).catch(() => undefined);
      if (!info?.isFile()) continue;
      await mkdir(dirname(join(mirror, file)), { recursive: true });
      await copyFile(from, join(mirror, file));
    }
    // JSON is YAML: the file needs no serializer and no repository text is ever a line of syntax.
    await writeFile(join(mirror, kustomization), JSON.stringify(edited, null, 2));
    // The copy keeps the repository's layout: a path under it is the repository's path.
    return await build(target, resolved, join(mirror, resolved.folder), tree, limits, tools, tool, origins ? mirror : undefined);
  } finally {
    await rm(mirror, { recursive: true, force: true });
  }
}

/** `originsRoot`: where origins were asked for, the folder whose relative paths are the repository's. */
async function build(target: TargetSpec, resolved: ResolvedApplication, dir: string, tree: Tree, limits: RenderLimits, tools: ToolOptions, tool: KustomizeTool, originsRoot?: string): Promise<RenderOutcome> {
  const argv = kustomizeBuildArgv(tool.flavour === "kustomize" ? "kustomize" : "kubectl", target.id, ".");
  if (!argv.ok) return { status: "invalid", problems: argv.problems };
  const result = await runTool({ binary: tool.binary, args: argv.args, cwd: dir, scratchDir: tools.scratchDir, network: tools.network, ...limits });
  if (result.kind !== "ok") return failureOutcome(result, { tool: tool.info.name, file: resolved.app.file, limits, roots: rootsOf(tree, tools) });
  const parsed = yamlToResources(result.stdout);
  if (originsRoot === undefined) return { status: "ok", resources: parsed.resources, warnings: parsed.problems };
  const toRepo = (path: string): string | undefined => {
    const repo = relative(originsRoot, resolve(dir, path));
    return repo === "" || repo.startsWith("..") || isAbsolute(repo) ? undefined : repo.split(sep).join("/");
  };
  return { status: "ok", resources: await applyWrapperOrigins(parsed.resources, tree, toRepo), warnings: parsed.problems };
}

/** An Argo CD kustomize patch: inline as written, or its `path` file (relative to the source folder) read into it. */
async function inlinePatch(entry: unknown, resolved: ResolvedApplication, tree: Tree, problems: InputProblem[]): Promise<unknown> {
  if (entry === null || typeof entry !== "object" || Array.isArray(entry)) return entry;
  const { path, ...rest } = entry as Record<string, unknown>;
  if (path === undefined) return rest;
  const file = typeof path === "string" ? resolveRepoPath(resolved.folder, path) : undefined;
  const text = file === undefined ? undefined : await tree.read(file).catch(() => undefined);
  if (text === undefined) {
    problems.push({ ruleId: "gitops/application-invalid", severity: "error", message: `Argo CD Application ${resolved.app.name}: kustomize patch file ${JSON.stringify(path)} is not a readable file of this repository`, file: resolved.app.file, ...(resolved.app.line !== undefined ? { line: resolved.app.line } : {}) });
    return undefined;
  }
  return { ...rest, patch: text };
}

async function renderHelm(target: TargetSpec, resolved: ResolvedApplication, tree: Tree, limits: RenderLimits, tools: ToolOptions): Promise<RenderOutcome> {
  let tool;
  try {
    tool = await resolveHelm(tools);
  } catch (err) {
    return { status: "tool-error", message: (err as Error).message };
  }
  const helm = resolved.source.helm ?? {};
  const spec = helmTarget(target, resolved, tree);
  const inputs = await helmInputs(spec, tree, { downloadDependencies: true });
  if (inputs.blocking.length > 0) return { status: "invalid", problems: inputs.blocking };
  // The repo server runs `helm dependency build`: what is not vendored is pulled, into a copy.
  const staged = await chartRootWithDependencies(tree.root, resolved.folder, inputs.valueFiles, tools, limits);
  if (!staged.ok) return staged.toolError ? { status: "tool-error", message: staged.why } : { status: "invalid", problems: [dependencyUnavailable(resolved, staged.why)] };
  const where = { file: resolved.app.file, ...(resolved.app.line !== undefined ? { line: resolved.app.line } : {}) };
  const { generated, problems } = await generatedValues(resolved, tree);
  if (problems.length > 0) return { status: "invalid", problems };
  const dir = join(tools.scratchDir, "argocd", digest([tree.root, target.id, JSON.stringify(generated)]));
  await mkdir(dir, { recursive: true });
  const scratchValueFiles: string[] = [];
  for (const [i, values] of generated.entries()) {
    const file = join(dir, `values-${i}.json`);
    await writeFile(file, JSON.stringify(values));
    scratchValueFiles.push(file);
  }
  const argv = helmTemplateArgv({
    target: target.id,
    chartDir: resolved.folder,
    release: { name: spec.releaseName!, from: "config", ...where },
    namespace: spec.namespace!,
    valueFiles: inputs.valueFiles,
    scratchValueFiles,
    skipCrds: helm.skipCrds === true,
    ...(target.kubernetesVersion ? { kubeVersion: target.kubernetesVersion } : {}),
    skipSchemaValidation: false,
  });
  if (!argv.ok) return { status: "invalid", problems: argv.problems };
  const result = await runTool({ binary: tool.binary, args: argv.args, cwd: staged.root, scratchDir: tools.scratchDir, network: tools.network, ...limits });
  if (result.kind !== "ok") return failureOutcome(result, { tool: "helm", file: resolved.app.file, limits, roots: [...rootsOf(tree, tools), staged.root] });
  const parsed = await helmOutputToResources(result.stdout, resolved.folder, tree);
  return { status: "ok", resources: parsed.resources, warnings: [...argv.warnings, ...parsed.problems] };
}

/** The Application's inline values and parameters, as values objects helm applies after the value files (Argo CD's precedence). */
async function generatedValues(resolved: ResolvedApplication, tree: Tree): Promise<{ generated: Record<string, unknown>[]; problems: InputProblem[] }> {
  const helm = resolved.source.helm ?? {};
  const where = { file: resolved.app.file, ...(resolved.app.line !== undefined ? { line: resolved.app.line } : {}) };
  const problems: InputProblem[] = [];
  const generated: Record<string, unknown>[] = [];
  // Argo CD's precedence: valueFiles < values/valuesObject < parameters (and file parameters).
  if (helm.values !== undefined) {
    const values = inlineValues(helm.values, resolved.app.name, where, problems);
    if (values) generated.push(values);
  }
  const entries = (helm.parameters ?? []).map((p) => ({ ...p }));
  for (const p of helm.fileParameters ?? []) {
    const file = resolveRepoPath(resolved.folder, p.path);
    const text = file === undefined ? undefined : await tree.read(file).catch(() => undefined);
    if (text !== undefined) entries.push({ name: p.name, value: text, forceString: true });
  }
  if (entries.length > 0) {
    const set = setValues(entries, where);
    problems.push(...set.problems);
    generated.push(set.values);
  }
  return { generated, problems };
}

function dependencyUnavailable(resolved: ResolvedApplication, why: string): InputProblem {
  const app = resolved.app;
  return {
    ruleId: "gitops/source-unavailable",
    severity: "warning",
    message: `Argo CD Application ${app.name}: chart ${resolved.folder}: ${why}; it is not reviewed (to review it, the dependency's host must be in \`gitops.allowedHosts\` of the base branch's config, and answer)`,
    key: `${app.namespace}/${app.name}:${resolved.folder}:dependencies`,
    file: app.file,
    ...(app.line !== undefined ? { line: app.line } : {}),
  };
}

/**
 * A chart from a chart repository or registry: pulled (allowed hosts only), unpacked by our own
 * extraction into a scratch folder, and rendered there with the Application's helm options. Its
 * value files are copied beside it in order: `$<ref>/…` ones from this repository, the others
 * from inside the chart.
 */
async function renderRemoteHelm(target: TargetSpec, resolved: ResolvedApplication, remote: RemoteChart, tree: Tree, limits: RenderLimits, tools: ToolOptions): Promise<RenderOutcome> {
  const app = resolved.app;
  const where = { file: app.file, ...(app.line !== undefined ? { line: app.line } : {}) };
  const unavailable = (why: string): RenderOutcome => ({
    status: "invalid",
    problems: [{ ruleId: "gitops/source-unavailable", severity: "warning", message: `Argo CD Application ${app.name}: chart ${JSON.stringify(remote.chart)} from ${remote.repoUrl}: ${why}; it is not reviewed (to review it, its host must be in \`gitops.allowedHosts\` of the base branch's config, and answer)`, key: `${app.namespace}/${app.name}:${remote.repoUrl}`, ...where }],
  });
  const { generated, problems } = await generatedValues(resolved, tree);
  if (problems.length > 0) return { status: "invalid", problems };
  // Argo CD has no per-Application secret: the operator's credentials for the host apply (repo-creds).
  const passCredentials = resolved.source.helm?.passCredentials === true;
  const pulled = await pullChart({ repoUrl: remote.repoUrl, chart: remote.chart, ...(remote.version !== undefined ? { version: remote.version } : {}), ...(passCredentials ? { passCredentials } : {}) }, tools, limits);
  if (!pulled.ok) return pulled.toolError ? { status: "tool-error", message: pulled.why } : unavailable(pulled.why);
  const work = await scratchFolder(tools, "argocd-chart");
  const chartDir = join(work, "chart");
  try {
    await extractTarball(await readFile(pulled.archive), chartDir, CHART_ARCHIVE_LIMITS);
  } catch (err) {
    return unavailable(`the chart archive cannot be read: ${(err as Error).message}`);
  }
  const valueFiles: string[] = [];
  for (const v of remote.valueFiles) {
    const text = v.repo ? await tree.read(v.path).catch(() => undefined) : await readChartFile(chartDir, v.path);
    if (text === undefined) {
      if (resolved.source.helm?.ignoreMissingValueFiles) continue;
      return { status: "invalid", problems: [{ ruleId: "render/missing-file", severity: "error", message: `Argo CD Application ${app.name}: value file ${v.repo ? v.path : `${v.path} of chart ${remote.chart}`} does not exist`, ...where }] };
    }
    const name = `values-file-${valueFiles.length}.yaml`;
    await writeFile(join(work, name), text);
    valueFiles.push(name);
  }
  const scratchValueFiles: string[] = [];
  for (const [i, values] of generated.entries()) {
    const file = join(work, `values-${i}.json`);
    await writeFile(file, JSON.stringify(values));
    scratchValueFiles.push(file);
  }
  const spec = helmTarget(target, resolved, tree);
  const argv = helmTemplateArgv({
    target: target.id,
    chartDir: "chart",
    release: { name: spec.releaseName!, from: "config", ...where },
    namespace: spec.namespace!,
    valueFiles,
    scratchValueFiles,
    skipCrds: resolved.source.helm?.skipCrds === true,
    ...(target.kubernetesVersion ? { kubeVersion: target.kubernetesVersion } : {}),
    skipSchemaValidation: false,
  });
  if (!argv.ok) return { status: "invalid", problems: argv.problems };
  let helm;
  try {
    helm = await resolveHelm(tools);
  } catch (err) {
    return { status: "tool-error", message: (err as Error).message };
  }
  const result = await runTool({ binary: helm.binary, args: argv.args, cwd: work, scratchDir: tools.scratchDir, network: tools.network, ...limits });
  if (result.kind !== "ok") return failureOutcome(result, { tool: "helm", file: app.file, limits, roots: [...rootsOf(tree, tools), work] });
  const parsed = yamlToResources(result.stdout);
  return { status: "ok", resources: parsed.resources, warnings: [...argv.warnings, ...parsed.problems] };
}

/** A regular file inside the unpacked chart (the path is already checked to stay inside it). */
async function readChartFile(chartDir: string, path: string): Promise<string | undefined> {
  const file = join(chartDir, path);
  const info = await lstat(file).catch(() => undefined);
  return info?.isFile() ? readFile(file, "utf8") : undefined;
}

function inlineValues(values: unknown, app: string, where: { file: string; line?: number }, problems: InputProblem[]): Record<string, unknown> | undefined {
  let parsed: unknown = values;
  if (typeof values === "string") {
    try {
      parsed = parseYaml(values) ?? {};
    } catch (err) {
      problems.push({ ruleId: "gitops/application-invalid", severity: "error", message: `Argo CD Application ${app}: helm \`values\` is not valid YAML: ${(err as Error).message.split("\n")[0]}`, ...where });
      return undefined;
    }
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    problems.push({ ruleId: "gitops/application-invalid", severity: "error", message: `Argo CD Application ${app}: helm values must be a mapping`, ...where });
    return undefined;
  }
  return parsed as Record<string, unknown>;
}

async function renderDirectory(resolved: ResolvedApplication, tree: Tree): Promise<RenderOutcome> {
  const resources: Resource[] = [];
  const warnings: InputProblem[] = [];
  const errors: InputProblem[] = [];
  for (const file of directoryFiles(tree, resolved)) {
    const text = await tree.read(file).catch(() => undefined);
    if (text === undefined) continue;
    const parsed = yamlToResources(text, file);
    resources.push(...parsed.resources);
    for (const p of parsed.problems) (p.severity === "error" ? errors : warnings).push(p);
  }
  if (errors.length > 0) return { status: "invalid", problems: errors };
  return { status: "ok", resources, warnings };
}

function digest(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 16);
}
