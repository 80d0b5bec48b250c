/**
 * The helm renderer: `helm template` on a chart folder in the tree. Nothing is fetched:
 * the chart is a local path (./-prefixed so helm never reads it as repo/chart), there is
 * no --dependency-update, --repo, --verify, --validate or --enable-dns, and helm's config
 * and caches live in the scratch folder, so no repository or registry is known to it.
 * The command line itself is built by argv.ts, which no repository text can add a flag to.
 */
import type { Resource } from "../../core/model/resource.js";
import type { TargetSpec } from "../../core/model/target.js";
import type { InputProblem, RenderLimits, RenderOutcome, Renderer, Tree } from "../../core/ports.js";
import { helmTemplateArgv, type ArgvBuild, type ReleaseNameSource } from "../argv.js";
import { memoInfo, resolveHelm, type ResolvedTool } from "../binaries.js";
import { failureOutcome, runTool } from "../exec.js";
import { rootsOf } from "../repo-path.js";
import type { ToolOptions } from "../tool-options.js";
import { joinPath } from "./chart-file.js";
import { scanClusterUsage, type ClusterScan } from "./cluster-usage.js";
import { clusterRenderFailed, compareRenders, unrenderableProblems, needsClusterRender, type Comparison } from "./cluster-variant.js";
import { discoverCharts } from "./discover.js";
import { helmInputs, type HelmInputs } from "./inputs.js";
import { withKnownSecrets } from "./known-secrets.js";
import { remoteSchemaRefs } from "./schema-refs.js";
import { helmOutputToResources } from "./source-map.js";

export function createHelmRenderer(opts: ToolOptions): Renderer {
  return {
    type: "helm",
    discover: async (tree) => discoverCharts(tree),
    // The chart folder, so plain-manifest discovery leaves YAML inside charts alone.
    owns: (target) => [target.path],
    inputs: (target, tree) => withKnownSecrets(helmInputs(target, tree), tree),
    // Templates may call randAlphaNum, uuidv4, now…: the review renders a changed head twice.
    nondeterministic: true,
    render: (target, tree, limits) => renderChart(target, tree, limits, opts),
    info: memoInfo(() => resolveHelm(opts)),
  };
}

export async function renderChart(target: TargetSpec, tree: Tree, limits: RenderLimits, opts: ToolOptions): Promise<RenderOutcome> {
  const inputs = await helmInputs(target, tree);
  if (inputs.blocking.length > 0) return { status: "invalid", problems: inputs.blocking };
  await tree.materialize(inputs.files);

  let tool: ResolvedTool;
  try {
    tool = await resolveHelm(opts);
  } catch (err) {
    return { status: "tool-error", message: (err as Error).message };
  }
  // Helm resolves remote $refs in values.schema.json over HTTP; validating such a schema
  // would mean the network, so it is skipped and said so.
  const remoteRefs = await remoteSchemaRefs(tree, target.path);
  const argv = templateArgs(target, inputs, remoteRefs.length > 0);
  if (!argv.ok) return { status: "invalid", problems: argv.problems };
  const warnings: InputProblem[] = [...inputs.warnings, ...argv.warnings, ...remoteRefs];
  const file = joinPath(target.path, "Chart.yaml");
  const result = await runTool({ binary: tool.binary, args: argv.args, cwd: tree.root, scratchDir: opts.scratchDir, network: opts.network, ...limits });
  if (result.kind !== "ok") return failureOutcome(result, { tool: "helm", file, limits, roots: rootsOf(tree, opts) });
  const parsed = await helmOutputToResources(result.stdout, target.path, tree);
  const scan = await scanClusterUsage(tree, target.path);
  const cluster = needsClusterRender(scan) ? await clusterRender(target, inputs, remoteRefs.length > 0, scan, parsed.resources, tree, limits, opts, tool) : { added: [], problems: [] };
  return {
    status: "ok",
    resources: [...parsed.resources, ...cluster.added],
    warnings: [...warnings, ...parsed.problems, ...unrenderableProblems(scan), ...cluster.problems],
  };
}

/**
 * The chart rendered again as a real cluster would see it (cluster-variant.ts): what an
 * upgrade, or a cluster serving the CRD APIs the chart names, adds or changes.
 */
async function clusterRender(
  target: TargetSpec,
  inputs: HelmInputs,
  skipSchemaValidation: boolean,
  scan: ClusterScan,
  install: Resource[],
  tree: Tree,
  limits: RenderLimits,
  opts: ToolOptions,
  tool: ResolvedTool,
): Promise<Comparison> {
  const file = joinPath(target.path, "Chart.yaml");
  const argv = templateArgs(target, inputs, skipSchemaValidation, { isUpgrade: true, apiVersions: scan.crdApis });
  if (!argv.ok) return { added: [], problems: [] };
  const result = await runTool({ binary: tool.binary, args: argv.args, cwd: tree.root, scratchDir: opts.scratchDir, network: opts.network, ...limits });
  if (result.kind !== "ok") {
    const failed = failureOutcome(result, { tool: "helm", file, limits, roots: rootsOf(tree, opts) });
    const why = failed.status === "invalid" ? failed.problems.map((p) => p.message).join("; ") : failed.status === "tool-error" ? failed.message : "";
    return { added: [], problems: [clusterRenderFailed(scan, file, why)] };
  }
  const parsed = await helmOutputToResources(result.stdout, target.path, tree);
  return compareRenders(install, parsed.resources, scan, file);
}

/** The `helm template` command line for a target (see argv.ts). */
export function templateArgs(target: TargetSpec, inputs: HelmInputs, skipSchemaValidation = false, cluster: { isUpgrade?: boolean; apiVersions?: readonly string[] } = {}): ArgvBuild {
  return helmTemplateArgv({
    ...cluster,
    target: target.id,
    chartDir: target.path,
    release: releaseName(target, inputs),
    namespace: target.namespace ?? "default",
    valueFiles: inputs.valueFiles,
    ...(target.kubernetesVersion ? { kubeVersion: target.kubernetesVersion } : {}),
    skipSchemaValidation,
  });
}

/** The target's releaseName, else the chart's name, else the chart folder's name. */
function releaseName(target: TargetSpec, inputs: HelmInputs): ReleaseNameSource {
  if (target.releaseName) return { name: target.releaseName, from: "config" };
  if (inputs.chartName) {
    const file = joinPath(target.path, "Chart.yaml");
    return { name: inputs.chartName, from: "chart", file, ...(inputs.chartNameLine !== undefined ? { line: inputs.chartNameLine } : {}) };
  }
  return { name: target.path === "." ? "release" : target.path.slice(target.path.lastIndexOf("/") + 1), from: "path" };
}
