/**
 * A Flux HelmRelease rendered as helm-controller would: its chart (from a HelmRepository over
 * HTTP or OCI, pulled by chart-pull.ts from an allowed host; or from a folder of this repository
 * through a GitRepository that is this repository), its values composed in Flux's order, its
 * release name (`[targetNamespace-]name` unless `releaseName`), `targetNamespace`, then its
 * `postRenderers` kustomize patches and images. helm and kustomize run offline in a work folder
 * of ours; the command lines come from argv.ts.
 */
import { cp, mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { stringify } from "yaml";
import type { InputProblem, InputSet, RenderLimits, RenderOutcome, Tree } from "../../core/ports.js";
import { helmTemplateArgv, kustomizeBuildArgv } from "../argv.js";
import { resolveHelm, resolveKustomize } from "../binaries.js";
import { failureOutcome, runTool } from "../exec.js";
import { resolveRepoPath, rootsOf } from "../repo-path.js";
import { yamlToResources } from "../to-resources.js";
import type { ToolOptions } from "../tool-options.js";
import { isPlainObject } from "../../yaml/parse.js";
import { pullChart } from "./chart-pull.js";
import { composeValues } from "./helm-values.js";
import { objectKey, type FluxObject, type FluxObjects } from "./objects.js";
import { describeRef, isThisRepository, sourceRefOf, sourceUnavailable } from "./sources.js";
import { scratchFolder } from "./scratch.js";

type ChartSource =
  | { kind: "remote"; repoUrl: string; chart: string; version?: string; files: string[] }
  | { kind: "local"; dir: string; files: string[] }
  | { kind: "unavailable"; problem: InputProblem; files: string[] };

/** Where the chart comes from, or why it cannot be had offline. */
export function chartSource(release: FluxObject, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[]): ChartSource {
  const spec = isPlainObject(release.body.spec) ? release.body.spec : {};
  if (spec.chartRef !== undefined) {
    const ref = sourceRefOf(spec.chartRef, release);
    return { kind: "unavailable", problem: sourceUnavailable(release, `its chartRef ${ref ? describeRef(ref) : ""} is not rendered offline yet`), files: [] };
  }
  const chartSpec = isPlainObject(spec.chart) && isPlainObject(spec.chart.spec) ? spec.chart.spec : undefined;
  const ref = chartSpec ? sourceRefOf(chartSpec.sourceRef, release) : undefined;
  if (!chartSpec || !ref || typeof chartSpec.chart !== "string") return { kind: "unavailable", problem: sourceUnavailable(release, "it names no chart (spec.chart.spec)"), files: [] };
  if (ref.kind === "HelmRepository") {
    const repo = objects.byKey.get(objectKey("HelmRepository", ref.namespace, ref.name));
    const url = repo && isPlainObject(repo.body.spec) ? repo.body.spec.url : undefined;
    if (!repo || typeof url !== "string") return { kind: "unavailable", problem: sourceUnavailable(release, `its ${describeRef(ref)} is not in the repository`), files: [] };
    const isOci = isPlainObject(repo.body.spec) && repo.body.spec.type === "oci";
    const repoUrl = isOci && !url.startsWith("oci://") ? `oci://${url.replace(/^[a-z]+:\/\//, "")}` : url;
    const version = typeof chartSpec.version === "string" && chartSpec.version !== "" && chartSpec.version !== "*" ? chartSpec.version : undefined;
    return { kind: "remote", repoUrl, chart: chartSpec.chart, ...(version ? { version } : {}), files: [repo.file] };
  }
  if (ref.kind === "GitRepository" && isThisRepository(ref, objects, repositoryUrls)) {
    const dir = resolveRepoPath(".", chartSpec.chart);
    if (dir === undefined || !tree.hasFile(`${dir === "." ? "" : `${dir}/`}Chart.yaml`)) {
      return { kind: "unavailable", problem: sourceUnavailable(release, `chart ${JSON.stringify(chartSpec.chart)} is not a chart folder of this repository`), files: [] };
    }
    const prefix = dir === "." ? "" : `${dir}/`;
    return { kind: "local", dir, files: tree.files().filter((f) => f.startsWith(prefix)) };
  }
  return { kind: "unavailable", problem: sourceUnavailable(release, `its chart source ${describeRef(ref)} is not this repository`), files: [] };
}

export function helmReleaseInputs(release: FluxObject, tree: Tree, objects: FluxObjects, repositoryUrls: readonly string[]): InputSet {
  const source = chartSource(release, tree, objects, repositoryUrls);
  const values = composeValues(release, objects);
  const files = new Set([release.file, ...source.files, ...values.files]);
  const blocking = source.kind === "unavailable" ? [source.problem] : [];
  // Only a chart folder of this repository is the release's own: the HelmRelease, its
  // repository and values objects are manifests that their folder (or a Kustomization) applies.
  const chartFiles = new Set(source.kind === "local" ? source.files : []);
  const shared = [...files].filter((f) => !chartFiles.has(f));
  return { files, shared, blocking, warnings: values.problems, secrets: values.secrets };
}

export async function renderHelmRelease(release: FluxObject, tree: Tree, objects: FluxObjects, limits: RenderLimits, opts: ToolOptions): Promise<RenderOutcome> {
  const repositoryUrls = opts.gitops?.repositoryUrls ?? [];
  const inputs = helmReleaseInputs(release, tree, objects, repositoryUrls);
  if (inputs.blocking.length > 0) return { status: "invalid", problems: inputs.blocking };
  const source = chartSource(release, tree, objects, repositoryUrls);
  await tree.materialize(inputs.files);
  const work = await scratchFolder(opts, "flux-helmrelease");
  let chartArg: string;
  if (source.kind === "remote") {
    const pulled = await pullChart(source, opts, limits);
    if (!pulled.ok) {
      if (pulled.toolError) return { status: "tool-error", message: pulled.why };
      return { status: "invalid", problems: [sourceUnavailable(release, pulled.why)] };
    }
    await symlink(pulled.archive, join(work, "chart.tgz"));
    chartArg = "chart.tgz";
  } else if (source.kind === "local") {
    await cp(join(tree.root, source.dir), join(work, "chart"), { recursive: true });
    chartArg = "chart";
  } else {
    return { status: "invalid", problems: [source.problem] };
  }
  const values = composeValues(release, objects);
  await writeFile(join(work, "values.yaml"), stringify(values.values));

  const spec = isPlainObject(release.body.spec) ? release.body.spec : {};
  const targetNamespace = typeof spec.targetNamespace === "string" && spec.targetNamespace !== "" ? spec.targetNamespace : undefined;
  const releaseName = typeof spec.releaseName === "string" && spec.releaseName !== "" ? spec.releaseName : targetNamespace ? `${targetNamespace}-${release.name}` : release.name;
  const id = `flux:${release.namespace}/${release.name}`;
  const argv = helmTemplateArgv({
    target: id,
    chartDir: chartArg,
    release: { name: releaseName, from: "config", file: release.file, line: release.line },
    namespace: targetNamespace ?? release.namespace,
    valueFiles: ["values.yaml"],
    skipSchemaValidation: false,
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
  return { status: "ok", resources: parsed.resources, warnings: [...inputs.warnings, ...argv.warnings, ...parsed.problems] };
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
