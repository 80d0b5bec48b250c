/**
 * The helm renderer: `helm template` on a chart folder in the tree. Nothing is fetched:
 * the chart is a local path (./-prefixed so helm never reads it as repo/chart), there is
 * no --dependency-update, --repo, --verify, --validate or --enable-dns, and helm's config
 * and caches live in the scratch folder, so no repository or registry is known to it.
 */
import type { TargetSpec } from "../../core/model/target.js";
import type { InputProblem, RenderLimits, RenderOutcome, Renderer, Tree } from "../../core/ports.js";
import { memoInfo, resolveHelm, type ResolvedTool } from "../binaries.js";
import { failureOutcome, runTool } from "../exec.js";
import { rootsOf } from "../repo-path.js";
import type { ToolOptions } from "../tool-options.js";
import { joinPath } from "./chart-file.js";
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
  const warnings: InputProblem[] = [...inputs.warnings];
  const args = [...tool.argsPrefix, ...templateArgs(target, inputs)];
  // Helm resolves remote $refs in values.schema.json over HTTP; validating such a schema
  // would mean the network, so it is skipped and said so.
  const remoteRefs = await remoteSchemaRefs(tree, target.path);
  if (remoteRefs.length > 0) {
    args.push("--skip-schema-validation");
    warnings.push(...remoteRefs);
  }
  const result = await runTool({ binary: tool.binary, args, cwd: tree.root, scratchDir: opts.scratchDir, ...limits });
  if (result.kind !== "ok") {
    const file = joinPath(target.path, "Chart.yaml");
    return failureOutcome(result, { tool: "helm", file, limits, roots: rootsOf(tree, opts) });
  }
  const parsed = await helmOutputToResources(result.stdout, target.path, tree);
  return { status: "ok", resources: parsed.resources, warnings: [...warnings, ...parsed.problems] };
}

export function templateArgs(target: TargetSpec, inputs: HelmInputs): string[] {
  const release = target.releaseName ?? inputs.chartName ?? lastSegment(target.path);
  const chart = target.path === "." ? "./" : `./${target.path}`;
  const args = ["template", release, chart, "--namespace", target.namespace ?? "default", "--include-crds"];
  for (const values of inputs.valueFiles) args.push("--values", `./${values}`);
  if (target.kubernetesVersion) args.push("--kube-version", target.kubernetesVersion);
  return args;
}

function lastSegment(path: string): string {
  return path === "." ? "release" : path.slice(path.lastIndexOf("/") + 1);
}
