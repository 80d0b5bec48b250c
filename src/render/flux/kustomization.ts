/**
 * A Flux Kustomization rendered as kustomize-controller would: `kustomize build` of its path
 * with targetNamespace, namePrefix/nameSuffix, patches, images and components added, then the
 * post-build substitution. The additions go into a wrapper kustomization that Shipshape writes in
 * the scratch folder (never into the repository's files); the wrapper lists the path as its one
 * resource, so the repository's kustomization is built exactly as written. Repository text only
 * ever becomes kustomization content (inline patches, image names), never a tool option: the
 * command line is `kustomize build -- ./` in the wrapper's folder (argv.ts).
 */
import { writeFile } from "node:fs/promises";
import { isAbsolute, join, relative, resolve, sep } from "node:path";
import { stringify } from "yaml";
import type { InputProblem, InputSet, RenderLimits, RenderOutcome, Tree } from "../../core/ports.js";
import { kustomizeBuildArgv } from "../argv.js";
import { resolveKustomize, type ResolvedTool } from "../binaries.js";
import { failureOutcome, runTool } from "../exec.js";
import { kustomizeInputs } from "../kustomize/inputs.js";
import { findKustomizationFile } from "../kustomize/kustomization-file.js";
import { applyWrapperOrigins } from "../kustomize/origin-sources.js";
import { supportsOriginAnnotations } from "../kustomize/origin-rewrite.js";
import { resolveRepoPath, rootsOf } from "../repo-path.js";
import { yamlToResources } from "../to-resources.js";
import type { ToolOptions } from "../tool-options.js";
import { isPlainObject } from "../../yaml/parse.js";
import { externalArtifact } from "./artifacts.js";
import { pullOciArtifact } from "./oci-artifact.js";
import { objectFingerprints } from "./fingerprints.js";
import { findObject, type FluxObject, type FluxObjects } from "./objects.js";
import { describeRef, isThisRepository, sourceRefOf, sourceUnavailable } from "./sources.js";
import { sopsPlaceholders } from "./sops.js";
import { substituteStream } from "./substitute.js";
import { substitutionVars } from "./substitution-vars.js";
import { scratchFolder } from "./scratch.js";

const MANIFEST_FILE = /\.ya?ml$/;

interface Plan {
  /** Folder the Kustomization builds, in `source`. */
  dir: string;
  components: string[];
  /** What the path is relative to: the snapshot, or an ExternalArtifact's view of it (artifacts.ts). */
  source: Tree;
  /** The repository file a path of `source` is. */
  toRepo(path: string): string | undefined;
  /** The ArtifactGenerator that makes the source, when it is an ExternalArtifact. */
  generator?: FluxObject;
}

/** `remote`: an OCIRepository whose artifact must be pulled before the plan can be made (oci-artifact.ts). */
type Planned = { ok: true; plan: Plan } | { ok: false; problems: InputProblem[]; generator?: FluxObject; remote?: FluxObject };

function plan(k: FluxObject, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[], scratchDir?: string, artifact?: Tree): Planned {
  const spec = isPlainObject(k.body.spec) ? k.body.spec : {};
  const ref = sourceRefOf(spec.sourceRef, k);
  if (!ref) return { ok: false, problems: [sourceUnavailable(k, "it has no spec.sourceRef")] };
  let source: Pick<Plan, "source" | "toRepo" | "generator">;
  if (ref.kind === "OCIRepository") {
    const remote = findObject(objects, "OCIRepository", ref.namespace, ref.name, k);
    if (!remote) return { ok: false, problems: [sourceUnavailable(k, `its source ${describeRef(ref)} is not in the repository`)] };
    if (!artifact) return { ok: false, problems: [], remote };
    // The artifact's files are no files of this repository: nothing maps back.
    source = { source: artifact, toRepo: () => undefined };
  } else if (ref.kind === "Bucket") {
    return { ok: false, problems: [sourceUnavailable(k, `its source ${describeRef(ref)} is a bucket (S3, GCS, Azure Blob), which Shipshape does not read`)] };
  } else if (ref.kind === "ExternalArtifact" && scratchDir !== undefined) {
    const artifact = externalArtifact(ref, k, tree, objects, repositoryUrls, scratchDir);
    if (!artifact.ok) return { ok: false, problems: [sourceUnavailable(k, artifact.why)], ...(artifact.generator ? { generator: artifact.generator } : {}) };
    source = { source: artifact.view.tree, toRepo: artifact.view.toRepo, generator: artifact.view.generator };
  } else if (isThisRepository(ref, objects, repositoryUrls, k)) {
    source = { source: tree, toRepo: (p) => p };
  } else if (ref.kind === "GitRepository") {
    return { ok: false, problems: [sourceUnavailable(k, `its source ${describeRef(ref)} is not this repository (add its URL to gitops.repositoryUrls if it is)`)] };
  } else {
    return { ok: false, problems: [sourceUnavailable(k, `its source ${describeRef(ref)} is an artifact Shipshape does not fetch`)] };
  }
  const where = source.generator || artifact ? `the artifact ${ref.name}` : "this repository";
  const path = typeof spec.path === "string" ? spec.path : "./";
  const dir = resolveRepoPath(".", path);
  if (dir === undefined || !source.source.hasDir(dir)) {
    return { ok: false, problems: [pathProblem(k, `spec.path ${JSON.stringify(path)} is not a folder of ${where}`)] };
  }
  const components: string[] = [];
  for (const c of Array.isArray(spec.components) ? spec.components : []) {
    const resolved = typeof c === "string" ? resolveRepoPath(dir, c) : undefined;
    if (resolved === undefined || !source.source.hasDir(resolved)) return { ok: false, problems: [pathProblem(k, `component ${JSON.stringify(c)} is not a folder of ${where}`)] };
    components.push(resolved);
  }
  return { ok: true, plan: { dir, components, ...source } };
}

interface Collected {
  inputs: InputSet;
  /** The files the build reads, as paths of the plan's source (what to materialise). */
  built: string[];
}

async function collect(k: FluxObject, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[], scratchDir?: string, artifact?: Tree): Promise<Collected> {
  const files = new Set<string>([k.file]);
  const planned = plan(k, tree, objects, repositoryUrls, scratchDir, artifact);
  if (!planned.ok && planned.remote && planned.problems.length === 0) {
    // Its content is pulled at render time: its inputs here are the objects that say what to pull and how to substitute.
    const vars = substitutionVars(k, objects);
    const used = [k, planned.remote, ...vars.objects];
    for (const o of used) files.add(o.file);
    return { inputs: { files, shared: [...files], fingerprints: objectFingerprints(used, new Set()), blocking: [], warnings: vars.problems, secrets: vars.secrets }, built: [] };
  }
  if (!planned.ok) {
    // Its source object stays an input: pointing it at this repository makes the Kustomization reviewable.
    const source = gitSource(k, objects) ?? planned.generator;
    if (source) files.add(source.file);
    return { inputs: { files, shared: [...files], fingerprints: objectFingerprints([k, source], new Set()), blocking: planned.problems, warnings: [] }, built: [] };
  }
  const { source: view, toRepo } = planned.plan;
  const vars = substitutionVars(k, objects);
  const blocking: InputProblem[] = [];
  const warnings: InputProblem[] = [...vars.problems];
  const builtView = new Set<string>();
  const mapProblem = (p: InputProblem): InputProblem => (p.file !== undefined && toRepo(p.file) !== undefined ? { ...p, file: toRepo(p.file)! } : p);
  for (const dir of [planned.plan.dir, ...planned.plan.components]) {
    const generated = findKustomizationFile(view, dir) === undefined ? generatedResources(view, dir) : undefined;
    // A kustomized folder (the path, or a sub-folder Flux's generated kustomization lists) reads
    // what its kustomization says — maybe components elsewhere in the repository, maybe not every
    // file below it (an app's own Flux Kustomization builds those): its own walk says which.
    const kustomized = generated ? generated.entries.filter((e) => findKustomizationFile(view, e) !== undefined) : [dir];
    for (const f of generated?.files ?? []) if (!kustomized.some((d) => f.startsWith(`${d}/`))) builtView.add(f);
    for (const d of kustomized) {
      const set = await kustomizeInputs(d, view);
      for (const f of set.files) builtView.add(f);
      blocking.push(...set.blocking.map(mapProblem));
      warnings.push(...set.warnings.map(mapProblem));
    }
  }
  const built = new Set([...builtView].map(toRepo).filter((f): f is string => f !== undefined));
  for (const f of [...built, ...vars.files]) files.add(f);
  // The Kustomization's own file and its substitution sources are objects applied by whatever
  // applies their folder (a parent Kustomization, or the folder's own target): they stay free
  // for discovery unless this Kustomization builds them itself.
  const source = gitSource(k, objects);
  const objectsUsed = [k, source, planned.plan.generator, ...vars.objects].filter((o): o is FluxObject => o !== undefined);
  for (const o of objectsUsed) files.add(o.file);
  const shared = [...new Set(objectsUsed.map((o) => o.file))].filter((f) => !built.has(f));
  const fingerprints = objectFingerprints(objectsUsed, built);
  return { inputs: { files, shared, fingerprints, blocking, warnings, secrets: vars.secrets }, built: [...builtView] };
}

export async function fluxKustomizationInputs(k: FluxObject, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[], scratchDir?: string): Promise<InputSet> {
  return (await collect(k, tree, objects, repositoryUrls, scratchDir)).inputs;
}

/** The GitRepository object a Kustomization's sourceRef names, when the repository has it. */
function gitSource(k: FluxObject, objects: FluxObjects): FluxObject | undefined {
  const spec = isPlainObject(k.body.spec) ? k.body.spec : {};
  const ref = sourceRefOf(spec.sourceRef, k);
  return ref ? findObject(objects, ref.kind, ref.namespace, ref.name, k) : undefined;
}

/**
 * The folders whose convention targets this Kustomization replaces (one review per deployed
 * thing): its path, and when Flux generates the kustomization, every folder below whose files
 * that generated kustomization takes in (plain manifests folders, kustomized sub-folders). For
 * an ExternalArtifact, the repository folders those files are copied from.
 */
export function renderedFolders(k: FluxObject, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[], scratchDir?: string): string[] {
  const planned = plan(k, tree, objects, repositoryUrls, scratchDir);
  if (!planned.ok) return [];
  const { dir, source, toRepo } = planned.plan;
  const repoDir = (f: string | undefined) => (f === undefined ? undefined : f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : ".");
  const kustomization = findKustomizationFile(source, dir);
  if (kustomization !== undefined) return [repoDir(toRepo(kustomization))].filter((d): d is string => d !== undefined);
  const out = new Set<string>(source === tree ? [dir] : []);
  for (const f of generatedResources(source, dir).files) {
    const d = repoDir(toRepo(f));
    if (d !== undefined) out.add(d);
  }
  return [...out];
}

export async function renderFluxKustomization(
  k: FluxObject,
  tree: Tree,
  objects: FluxObjects,
  limits: RenderLimits,
  opts: ToolOptions,
): Promise<RenderOutcome> {
  const repositoryUrls = opts.gitops?.repositoryUrls ?? [];
  const first = plan(k, tree, objects, repositoryUrls, opts.scratchDir);
  let artifact: Tree | undefined;
  let artifactWarnings: InputProblem[] = [];
  if (!first.ok && first.remote && first.problems.length === 0) {
    const pulled = await pullOciArtifact(first.remote, opts, limits);
    if (!pulled.ok) return { status: "invalid", problems: [sourceUnavailable(k, pulled.why)] };
    artifact = pulled.tree;
    artifactWarnings = pulled.warnings;
  }
  const { inputs, built } = await collect(k, tree, objects, repositoryUrls, opts.scratchDir, artifact);
  if (inputs.blocking.length > 0) return { status: "invalid", problems: inputs.blocking };
  const planned = plan(k, tree, objects, repositoryUrls, opts.scratchDir, artifact);
  if (!planned.ok) return { status: "invalid", problems: planned.problems };
  const source = planned.plan.source;
  await source.materialize(built);

  let tool: ResolvedTool;
  try {
    tool = await resolveKustomize(opts);
  } catch (err) {
    return { status: "tool-error", message: (err as Error).message };
  }
  const wrapper = await scratchFolder(opts, "flux-kustomization");
  const { resources, copies } = await wrapperResources(planned.plan, source, wrapper);
  const asksOrigins = supportsOriginAnnotations(tool.info.version);
  const wrapped = wrapperKustomization(k, planned.plan, resources, source, wrapper);
  // Where each object comes from, so findings point at the repository's lines.
  if (asksOrigins) wrapped.buildMetadata = ["originAnnotations"];
  await writeFile(join(wrapper, "kustomization.yaml"), stringify(wrapped));
  const argv = kustomizeBuildArgv(tool.flavour === "kustomize" ? "kustomize" : "kubectl", `flux:${k.namespace}/${k.name}`, ".");
  if (!argv.ok) return { status: "invalid", problems: argv.problems };
  const result = await runTool({ binary: tool.binary, args: argv.args, cwd: wrapper, scratchDir: opts.scratchDir, network: opts.network, ...limits });
  if (result.kind !== "ok") return failureOutcome(result, { tool: tool.info.name, file: k.file, limits, roots: [...rootsOf(tree, opts), source.root, wrapper] });

  const vars = substitutionVars(k, objects);
  const hasPostBuild = isPlainObject(k.body.spec) && isPlainObject(k.body.spec.postBuild);
  const spec = isPlainObject(k.body.spec) ? k.body.spec : {};
  // Decrypted by the controller before substitution; here placeholders stand for the values.
  const decrypts = isPlainObject(spec.decryption) && spec.decryption.provider === "sops";
  const output = decrypts ? sopsPlaceholders(result.stdout).text : result.stdout;
  const substituted = hasPostBuild ? substituteStream(output, vars.vars) : { text: output, unset: [] };
  const parsed = yamlToResources(substituted.text);
  if (asksOrigins) parsed.resources = await applyWrapperOrigins(parsed.resources, tree, originMapper(wrapper, source, copies, planned.plan.toRepo));
  const warnings = [...artifactWarnings, ...inputs.warnings, ...parsed.problems];
  if (substituted.unset.length > 0) {
    warnings.push({
      ruleId: "gitops/substitution-unset",
      severity: "info",
      message: `${k.kind} ${k.namespace}/${k.name}: variables without a value or default were substituted with "": ${substituted.unset.join(", ")}`,
      file: k.file,
      line: k.line,
      key: substituted.unset.join(","),
    });
  }
  return { status: "ok", resources: parsed.resources, warnings };
}

/** The wrapper: the path (or the kustomization Flux generates for it) plus the Kustomization's own fields. */
function wrapperKustomization(k: FluxObject, p: Plan, resources: string[], tree: Tree, wrapper: string): Record<string, unknown> {
  const spec = isPlainObject(k.body.spec) ? k.body.spec : {};
  const rel = (repoPath: string) => relative(wrapper, join(tree.root, repoPath)) || ".";
  const out: Record<string, unknown> = { apiVersion: "kustomize.config.k8s.io/v1beta1", kind: "Kustomization", resources };
  if (p.components.length > 0) out.components = p.components.map(rel);
  if (typeof spec.targetNamespace === "string" && spec.targetNamespace !== "") out.namespace = spec.targetNamespace;
  if (typeof spec.namePrefix === "string") out.namePrefix = spec.namePrefix;
  if (typeof spec.nameSuffix === "string") out.nameSuffix = spec.nameSuffix;
  const patches = (Array.isArray(spec.patches) ? spec.patches : [])
    .filter((x): x is Record<string, unknown> => isPlainObject(x) && typeof x.patch === "string")
    .map((x) => ({ patch: x.patch, ...(isPlainObject(x.target) ? { target: x.target } : {}) }));
  if (patches.length > 0) out.patches = patches;
  const images = (Array.isArray(spec.images) ? spec.images : []).filter(isPlainObject).map(pickStrings(["name", "newName", "newTag", "digest"]));
  if (images.length > 0) out.images = images;
  const meta = isPlainObject(spec.commonMetadata) ? spec.commonMetadata : undefined;
  if (meta && isPlainObject(meta.labels)) out.labels = [{ pairs: meta.labels, includeSelectors: false }];
  if (meta && isPlainObject(meta.annotations)) out.commonAnnotations = meta.annotations;
  return out;
}

/**
 * The wrapper's resources: the path's folder when it has a kustomization; otherwise what Flux
 * generates, with its loose files copied into the wrapper (kustomize reads a file only inside
 * the kustomization's own folder) and kustomized sub-folders referenced where they are.
 */
async function wrapperResources(p: Plan, tree: Tree, wrapper: string): Promise<{ resources: string[]; copies: Map<string, string> }> {
  const rel = (repoPath: string) => relative(wrapper, join(tree.root, repoPath)) || ".";
  const copies = new Map<string, string>();
  if (findKustomizationFile(tree, p.dir) !== undefined) return { resources: [rel(p.dir)], copies };
  const out: string[] = [];
  let n = 0;
  for (const entry of generatedResources(tree, p.dir).entries) {
    if (!MANIFEST_FILE.test(entry) || tree.hasDir(entry)) {
      out.push(rel(entry));
      continue;
    }
    const text = await tree.read(entry);
    if (!/^\s*(apiVersion|kind):/m.test(text)) continue; // Flux lists Kubernetes objects only.
    const name = `resource-${String(n++).padStart(4, "0")}.yaml`;
    await writeFile(join(wrapper, name), text);
    out.push(name);
    copies.set(name, entry);
  }
  return { resources: out, copies };
}

/**
 * A path kustomize reports relative to the wrapper, as a repository file: a loose file the
 * wrapper holds a copy of is that file; anything else is a file of the source's view.
 */
function originMapper(wrapper: string, source: Tree, copies: ReadonlyMap<string, string>, toRepo: (viewPath: string) => string | undefined) {
  return (path: string): string | undefined => {
    const copy = copies.get(path);
    if (copy !== undefined) return toRepo(copy);
    const view = relative(source.root, resolve(wrapper, path));
    if (view === "" || view.startsWith("..") || isAbsolute(view)) return undefined;
    return toRepo(view.split(sep).join("/"));
  };
}

/**
 * What kustomize-controller generates for a path without a kustomization: every YAML file below
 * it, except in folders that have a kustomization of their own, which are listed as folders.
 */
export function generatedResources(tree: Tree, dir: string): { entries: string[]; files: string[] } {
  const prefix = dir === "." ? "" : `${dir}/`;
  const below = tree.files().filter((f) => f.startsWith(prefix));
  const kustomized = new Set<string>();
  for (const f of below) {
    const d = f.slice(0, Math.max(0, f.lastIndexOf("/")));
    if (d !== dir && d.length > prefix.length - 1 && findKustomizationFile(tree, d) !== undefined) kustomized.add(topKustomized(tree, prefix, d));
  }
  const entries: string[] = [...kustomized].sort();
  const files: string[] = [];
  for (const f of below) {
    if ([...kustomized].some((d) => f.startsWith(`${d}/`))) {
      files.push(f);
      continue;
    }
    if (MANIFEST_FILE.test(f)) {
      entries.push(f);
      files.push(f);
    }
  }
  return { entries, files };
}

/** The highest folder between `prefix` and `d` that has a kustomization. */
function topKustomized(tree: Tree, prefix: string, d: string): string {
  const parts = d.slice(prefix.length).split("/");
  for (let i = 1; i <= parts.length; i++) {
    const candidate = prefix + parts.slice(0, i).join("/");
    if (findKustomizationFile(tree, candidate) !== undefined) return candidate;
  }
  return d;
}

function pickStrings(keys: readonly string[]) {
  return (o: Record<string, unknown>) => Object.fromEntries(keys.filter((key) => typeof o[key] === "string").map((key) => [key, o[key]]));
}

function pathProblem(k: FluxObject, why: string): InputProblem {
  return { ruleId: "gitops/invalid-path", severity: "error", message: `${k.kind} ${k.namespace}/${k.name}: ${why}`, file: k.file, line: k.line, key: why };
}
