/**
 * A Flux HelmRelease rendered as helm-controller would: its chart (from a HelmRepository over
 * HTTP or OCI, pulled by chart-pull.ts from an allowed host; or from a folder of this repository
 * through a GitRepository that is this repository), its values composed in Flux's order, its
 * release name (`[targetNamespace-]name` unless `releaseName`), `targetNamespace`, then its
 * `postRenderers` kustomize patches and images. helm and kustomize run offline in a work folder
 * of ours; the command lines come from argv.ts.
 */
import { cp, lstat, mkdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { InputProblem, InputSet, RenderLimits, RenderOutcome, Tree } from "../../core/ports.js";
import { helmTemplateArgv, kustomizeBuildArgv } from "../argv.js";
import { resolveHelm, resolveKustomize } from "../binaries.js";
import { failureOutcome, runTool } from "../exec.js";
import { resolveRepoPath, rootsOf } from "../repo-path.js";
import { yamlToResources } from "../to-resources.js";
import type { ToolOptions } from "../tool-options.js";
import { isPlainObject, parseYamlMapping } from "../../yaml/parse.js";
import { extractTarball } from "../../repo/tarball.js";
import { pullChart } from "./chart-pull.js";
import { fetchChartDependencies } from "./chart-deps.js";
import { objectFingerprints } from "./fingerprints.js";
import { composeValues, mergeValues } from "./helm-values.js";
import { findObject, type FluxObject, type FluxObjects } from "./objects.js";
import { describeRef, isThisRepository, sourceRefOf, sourceUnavailable, type SourceRef } from "./sources.js";
import { scratchFolder } from "./scratch.js";
import { sourceAuth } from "./source-auth.js";

/** Where the chart's values files come from and how they merge into its defaults (source-controller). */
interface ChartValues {
  /** `valuesFile` (deprecated) then `valuesFiles`: relative to the chart for a repository chart, to the source's root for a Git one. */
  valuesFiles: string[];
  ignoreMissing: boolean;
}

/** `files`: inputs; `used`: the Flux objects read from them (compared per object for affected detection). */
export type ChartSource =
  | ({ kind: "remote"; repoUrl: string; chart: string; version?: string; digest?: string; anonymous?: boolean; passCredentials?: boolean; files: string[]; used?: FluxObject[] } & ChartValues)
  | ({ kind: "local"; dir: string; files: string[]; used?: FluxObject[] } & ChartValues)
  | { kind: "unavailable"; problem: InputProblem; files: string[]; used?: FluxObject[] };

/** Where the chart comes from, or why it cannot be had offline. */
export function chartSource(release: FluxObject, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[]): ChartSource {
  const spec = isPlainObject(release.body.spec) ? release.body.spec : {};
  if (spec.chartRef !== undefined) return chartRefSource(release, spec.chartRef, tree, objects, repositoryUrls);
  const chartSpec = isPlainObject(spec.chart) && isPlainObject(spec.chart.spec) ? spec.chart.spec : undefined;
  if (!chartSpec) return { kind: "unavailable", problem: sourceUnavailable(release, "it names no chart (spec.chart.spec)"), files: [] };
  return chartSpecSource(release, chartSpec, sourceRefOf(chartSpec.sourceRef, release), tree, objects, repositoryUrls);
}

/**
 * `spec.chartRef`: an OCIRepository (the chart is the artifact at its URL; `ref.digest`, else
 * `ref.semver`, else `ref.tag`) or a HelmChart object of the repository (read like `spec.chart.spec`).
 */
function chartRefSource(release: FluxObject, value: unknown, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[]): ChartSource {
  const ref = sourceRefOf(value, release);
  if (!ref) return { kind: "unavailable", problem: sourceUnavailable(release, "its chartRef names no kind and name"), files: [] };
  const object = findObject(objects, ref.kind, ref.namespace, ref.name, release);
  if (!object || (ref.kind !== "OCIRepository" && ref.kind !== "HelmChart")) {
    return { kind: "unavailable", problem: sourceUnavailable(release, `its chartRef ${describeRef(ref)} is not in the repository`), files: [] };
  }
  const spec = isPlainObject(object.body.spec) ? object.body.spec : {};
  if (ref.kind === "HelmChart") {
    const inner = chartSpecSource(release, spec, sourceRefOf(spec.sourceRef, object), tree, objects, repositoryUrls);
    return { ...inner, files: [object.file, ...inner.files], used: [object, ...(inner.used ?? [])] };
  }
  const url = typeof spec.url === "string" ? spec.url.replace(/\/+$/, "") : "";
  const cut = url.lastIndexOf("/");
  if (!url.startsWith("oci://") || cut <= "oci://".length) return { kind: "unavailable", problem: sourceUnavailable(release, `its ${describeRef(ref)} has no oci:// URL`), files: [object.file] };
  const r = isPlainObject(spec.ref) ? spec.ref : {};
  const str = (v: unknown) => (typeof v === "string" && v !== "" ? v : undefined);
  const digest = str(r.digest);
  const version = str(r.semver) ?? str(r.tag);
  return {
    kind: "remote",
    repoUrl: url.slice(0, cut),
    chart: url.slice(cut + 1),
    ...(version && version !== "latest" ? { version } : {}),
    ...(digest ? { digest } : {}),
    ...sourceAuth(spec),
    files: [object.file],
    used: [object],
    valuesFiles: [],
    ignoreMissing: false,
  };
}

/** A chart spec (HelmRelease `spec.chart.spec` or HelmChart `spec`) and its source. */
function chartSpecSource(owner: FluxObject, chartSpec: Record<string, unknown>, ref: SourceRef | undefined, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[]): ChartSource {
  if (!ref || typeof chartSpec.chart !== "string") return { kind: "unavailable", problem: sourceUnavailable(owner, "it names no chart (chart and sourceRef)"), files: [] };
  const values: ChartValues = {
    valuesFiles: [chartSpec.valuesFile, ...(Array.isArray(chartSpec.valuesFiles) ? chartSpec.valuesFiles : [])].filter((f): f is string => typeof f === "string" && f !== ""),
    ignoreMissing: chartSpec.ignoreMissingValuesFiles === true,
  };
  if (ref.kind === "HelmRepository") {
    const repo = findObject(objects, "HelmRepository", ref.namespace, ref.name, owner);
    const url = repo && isPlainObject(repo.body.spec) ? repo.body.spec.url : undefined;
    if (!repo || typeof url !== "string") return { kind: "unavailable", problem: sourceUnavailable(owner, `its ${describeRef(ref)} is not in the repository`), files: [] };
    const isOci = isPlainObject(repo.body.spec) && repo.body.spec.type === "oci";
    const repoUrl = isOci && !url.startsWith("oci://") ? `oci://${url.replace(/^[a-z]+:\/\//, "")}` : url;
    const version = typeof chartSpec.version === "string" && chartSpec.version !== "" && chartSpec.version !== "*" ? chartSpec.version : undefined;
    const auth = sourceAuth(repo.body.spec);
    return { kind: "remote", repoUrl, chart: chartSpec.chart, ...(version ? { version } : {}), ...auth, files: [repo.file], used: [repo], ...values };
  }
  if (ref.kind === "GitRepository" && isThisRepository(ref, objects, repositoryUrls, owner)) {
    const dir = resolveRepoPath(".", chartSpec.chart);
    if (dir === undefined || !tree.hasFile(`${dir === "." ? "" : `${dir}/`}Chart.yaml`)) {
      return { kind: "unavailable", problem: sourceUnavailable(owner, `chart ${JSON.stringify(chartSpec.chart)} is not a chart folder of this repository`), files: [] };
    }
    const prefix = dir === "." ? "" : `${dir}/`;
    // Values files of a Git source are paths from the repository's root, as source-controller reads them.
    const valuesFiles = values.valuesFiles.map((f) => resolveRepoPath(".", f)).filter((f): f is string => f !== undefined && tree.hasFile(f));
    const git = findObject(objects, "GitRepository", ref.namespace, ref.name, owner);
    return { kind: "local", dir, files: [...tree.files().filter((f) => f.startsWith(prefix)), ...valuesFiles, ...(git ? [git.file] : [])], ...(git ? { used: [git] } : {}), ...values };
  }
  return { kind: "unavailable", problem: sourceUnavailable(owner, `its chart source ${describeRef(ref)} is not this repository`), files: [] };
}

export function helmReleaseInputs(release: FluxObject, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[]): InputSet {
  const source = chartSource(release, tree, objects, repositoryUrls);
  const values = composeValues(release, objects);
  const files = new Set([release.file, ...source.files, ...values.files]);
  const blocking = source.kind === "unavailable" ? [source.problem] : [];
  // Only a chart folder of this repository is the release's own: the HelmRelease, its
  // repository and values objects are manifests that their folder (or a Kustomization) applies.
  const chartFiles = new Set(source.kind === "local" ? source.files.filter((f) => source.dir === "." || f.startsWith(`${source.dir}/`)) : []);
  const shared = [...files].filter((f) => !chartFiles.has(f));
  const whole = new Set(source.kind === "local" ? source.files.filter((f) => !(source.used ?? []).some((o) => o.file === f)) : []);
  const fingerprints = objectFingerprints([release, ...(source.used ?? []), ...values.objects], whole);
  return { files, shared, fingerprints, blocking, warnings: values.problems, secrets: values.secrets };
}

export async function renderHelmRelease(release: FluxObject, tree: Tree, objects: FluxObjects, limits: RenderLimits, opts: ToolOptions): Promise<RenderOutcome> {
  const repositoryUrls = opts.gitops?.repositoryUrls ?? [];
  const inputs = helmReleaseInputs(release, tree, objects, repositoryUrls);
  if (inputs.blocking.length > 0) return { status: "invalid", problems: inputs.blocking };
  const source = chartSource(release, tree, objects, repositoryUrls);
  await tree.materialize(inputs.files);
  const work = await scratchFolder(opts, "flux-helmrelease");
  const chartDir = join(work, "chart");
  if (source.kind === "remote") {
    const pulled = await pullChart(source, opts, limits);
    if (!pulled.ok) {
      if (pulled.toolError) return { status: "tool-error", message: pulled.why };
      return { status: "invalid", problems: [sourceUnavailable(release, pulled.why)] };
    }
    // Our own extraction (paths, sizes and links judged entry by entry), so that values files
    // can be read from the chart and its defaults replaced as source-controller does.
    try {
      await extractTarball(await readFile(pulled.archive), chartDir, CHART_ARCHIVE_LIMITS);
    } catch (err) {
      return { status: "invalid", problems: [sourceUnavailable(release, `the chart archive cannot be read: ${(err as Error).message}`)] };
    }
  } else if (source.kind === "local") {
    await cp(join(tree.root, source.dir), chartDir, { recursive: true });
    // source-controller builds a Git source's chart with its dependencies downloaded.
    const deps = await fetchChartDependencies(chartDir, opts, limits);
    if (!deps.ok) return deps.toolError ? { status: "tool-error", message: deps.why } : { status: "invalid", problems: [sourceUnavailable(release, deps.why)] };
  } else {
    return { status: "invalid", problems: [source.problem] };
  }
  const defaults = await chartDefaultValues(release, source, tree, chartDir);
  if (!defaults.ok) return { status: "invalid", problems: defaults.problems };
  if (defaults.values) await writeFile(join(chartDir, "values.yaml"), JSON.stringify(defaults.values));
  const values = composeValues(release, objects);
  await writeFile(join(work, "values.yaml"), stringify(values.values));

  const spec = isPlainObject(release.body.spec) ? release.body.spec : {};
  const targetNamespace = typeof spec.targetNamespace === "string" && spec.targetNamespace !== "" ? spec.targetNamespace : undefined;
  const releaseName = typeof spec.releaseName === "string" && spec.releaseName !== "" ? spec.releaseName : targetNamespace ? `${targetNamespace}-${release.name}` : release.name;
  const id = `flux:${release.namespace}/${release.name}`;
  const crds = crdPolicies(spec);
  const argv = helmTemplateArgv({
    target: id,
    chartDir: "chart",
    release: { name: releaseName, from: "config", file: release.file, line: release.line },
    namespace: targetNamespace ?? release.namespace,
    valueFiles: ["values.yaml"],
    skipSchemaValidation: false,
    skipCrds: crds.install === "Skip",
  });
  if (!argv.ok) return { status: "invalid", problems: argv.problems };
  let helm: string;
  try {
    helm = (await resolveHelm(opts)).binary;
  } catch (err) {
    return { status: "tool-error", message: (err as Error).message };
  }
  const roots = [...rootsOf(tree, opts), work];
  const result = await runTool({ binary: helm, args: argv.args, cwd: work, scratchDir: opts.scratchDir, network: opts.network, ...limits });
  if (result.kind !== "ok") return failureOutcome(result, { tool: "helm", file: release.file, limits, roots });
  const post = await postRender(release, result.stdout, work, limits, opts, roots);
  if (post.status !== "ok") return post;
  const parsed = yamlToResources(post.text);
  const warnings = [...inputs.warnings, ...argv.warnings, ...parsed.problems];
  if (crds.upgrade === "Skip" && crds.install !== "Skip" && parsed.resources.some((r) => r.kind === "CustomResourceDefinition")) {
    warnings.push({
      ruleId: "gitops/crds-not-upgraded",
      severity: "info",
      message: `${release.kind} ${release.namespace}/${release.name}: its CustomResourceDefinitions are shown as an install creates them (spec.install.crds ${crds.install}); an upgrade of an existing release leaves them as they are (spec.upgrade.crds Skip, the default)`,
      file: release.file,
      line: release.line,
      key: "crds",
    });
  }
  return { status: "ok", resources: parsed.resources, warnings };
}

export const CHART_ARCHIVE_LIMITS = { maxCompressedBytes: 20 * 1024 ** 2, maxEntries: 10_000, maxBytes: 200 * 1024 ** 2, maxEntryBytes: 20 * 1024 ** 2 };
const CRD_POLICIES = new Set(["Skip", "Create", "CreateReplace"]);

/**
 * helm-controller's CRD policies: `spec.install.crds` (default Create; the deprecated
 * `install.skipCRDs: true` is Skip) and `spec.upgrade.crds` (default Skip). The render shows
 * what the release installs, so the install policy decides whether the chart's crds/ are in it.
 */
export function crdPolicies(spec: Record<string, unknown>): { install: string; upgrade: string } {
  const install = isPlainObject(spec.install) ? spec.install : {};
  const upgrade = isPlainObject(spec.upgrade) ? spec.upgrade : {};
  const pick = (v: unknown, fallback: string) => (typeof v === "string" && CRD_POLICIES.has(v) ? v : fallback);
  return { install: pick(install.crds, install.skipCRDs === true ? "Skip" : "Create"), upgrade: pick(upgrade.crds, "Skip") };
}

type Defaults = { ok: true; values?: Record<string, unknown> } | { ok: false; problems: InputProblem[] };

/**
 * `valuesFiles` merged in order, replacing the chart's default values as source-controller
 * does (values.yaml counts only when listed). A repository chart's files are read from the
 * chart; a Git source's from the repository, by path from its root.
 */
async function chartDefaultValues(release: FluxObject, source: Exclude<ChartSource, { kind: "unavailable" }>, tree: Tree, chartDir: string): Promise<Defaults> {
  if (source.valuesFiles.length === 0) return { ok: true };
  let merged: Record<string, unknown> = {};
  for (const name of source.valuesFiles) {
    const text = await readValuesFile(source, name, tree, chartDir);
    if (text === undefined) {
      if (source.ignoreMissing) continue;
      return { ok: false, problems: [{ ruleId: "gitops/invalid-path", severity: "error", message: `${release.kind} ${release.namespace}/${release.name}: values file ${JSON.stringify(name.slice(0, 120))} is not a file of the chart's source (set ignoreMissingValuesFiles to allow it)`, file: release.file, line: release.line, key: name }] };
    }
    const parsed = text.trim() === "" ? { value: {} } : parseYamlMapping(text);
    if (!parsed.value) return { ok: false, problems: [{ ruleId: "gitops/invalid-path", severity: "error", message: `${release.kind} ${release.namespace}/${release.name}: values file ${JSON.stringify(name.slice(0, 120))} is not a YAML mapping`, file: release.file, line: release.line, key: name }] };
    merged = mergeValues(merged, parsed.value);
  }
  return { ok: true, values: merged };
}

async function readValuesFile(source: Exclude<ChartSource, { kind: "unavailable" }>, name: string, tree: Tree, chartDir: string): Promise<string | undefined> {
  if (source.kind === "local") {
    const file = resolveRepoPath(".", name);
    return file === undefined ? undefined : tree.read(file).catch(() => undefined);
  }
  const rel = resolveRepoPath(".", name);
  if (rel === undefined || rel === ".") return undefined;
  // Inside the extracted chart only: never through a link, never above it.
  const path = join(chartDir, rel);
  const info = await lstat(path).catch(() => undefined);
  if (!info?.isFile()) return undefined;
  return readFile(path, "utf8").catch(() => undefined);
}

type PostRender = { status: "ok"; text: string } | Exclude<RenderOutcome, { status: "ok" }>;

/** `postRenderers[].kustomize` patches and images, applied in order with kustomize on helm's output. */
async function postRender(release: FluxObject, output: string, work: string, limits: RenderLimits, opts: ToolOptions, roots: string[]): Promise<PostRender> {
  const spec = isPlainObject(release.body.spec) ? release.body.spec : {};
  const renderers = (Array.isArray(spec.postRenderers) ? spec.postRenderers : []).filter((p) => isPlainObject(p) && isPlainObject(p.kustomize));
  let text = output;
  for (const [i, entry] of renderers.entries()) {
    const k = (entry as { kustomize: Record<string, unknown> }).kustomize;
    const dir = join(work, `post-${i}`);
    await mkdir(dir);
    await writeFile(join(dir, "helm-output.yaml"), text);
    const patches = (Array.isArray(k.patches) ? k.patches : [])
      .filter((x): x is Record<string, unknown> => isPlainObject(x) && typeof x.patch === "string")
      .map((x) => ({ patch: x.patch, ...(isPlainObject(x.target) ? { target: x.target } : {}) }));
    const images = (Array.isArray(k.images) ? k.images : []).filter(isPlainObject).map((o) => Object.fromEntries(["name", "newName", "newTag", "digest"].filter((key) => typeof o[key] === "string").map((key) => [key, o[key]])));
    await writeFile(join(dir, "kustomization.yaml"), stringify({ resources: ["helm-output.yaml"], ...(patches.length ? { patches } : {}), ...(images.length ? { images } : {}) }));
    let tool;
    try {
      tool = await resolveKustomize(opts);
    } catch (err) {
      return { status: "tool-error", message: (err as Error).message };
    }
    const argv = kustomizeBuildArgv(tool.flavour === "kustomize" ? "kustomize" : "kubectl", `flux:${release.namespace}/${release.name}`, ".");
    if (!argv.ok) return { status: "invalid", problems: argv.problems };
    const result = await runTool({ binary: tool.binary, args: argv.args, cwd: dir, scratchDir: opts.scratchDir, network: opts.network, ...limits });
    if (result.kind !== "ok") return failureOutcome(result, { tool: tool.info.name, file: release.file, limits, roots }) as PostRender;
    text = result.stdout;
  }
  return { status: "ok", text };
}
