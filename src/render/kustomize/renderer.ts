/**
 * The kustomize renderer: `kustomize build -- ./<dir>` or `kubectl kustomize -- ./<dir>`
 * (argv.ts), run in the tree with the default load restrictor and none of --enable-helm,
 * --enable-alpha-plugins or --enable-exec, because the kustomization comes from an
 * untrusted pull request — a folder named `--load-restrictor=LoadRestrictionsNone` is a
 * folder, never a flag.
 */
import type { TargetSpec } from "../../core/model/target.js";
import type { RenderLimits, RenderOutcome, Renderer, Tree } from "../../core/ports.js";
import { kustomizeBuildArgv } from "../argv.js";
import { memoInfo, resolveKustomize, type ResolvedTool } from "../binaries.js";
import { failureOutcome, runTool } from "../exec.js";
import { yamlToResources } from "../to-resources.js";
import type { ToolOptions } from "../tool-options.js";
import { kustomizeClaims } from "./claims.js";
import { discoverKustomizations } from "./discover.js";
import { explainUnreadKustomize, kustomizeParts } from "./coverage.js";
import { kustomizeInputs } from "./inputs.js";
import { findKustomizationFile } from "./kustomization-file.js";
import { withKnownSecrets } from "./known-secrets.js";
import { rewriteForOrigins } from "./origin-rewrite.js";
import { applyOrigins } from "./origin-sources.js";
import { dirOf, rootsOf } from "../repo-path.js";

const KUSTOMIZATION_FILE = /(^|\/)(kustomization\.ya?ml|Kustomization)$/;
const isKustomizationFile = (f: string) => KUSTOMIZATION_FILE.test(f);

export function createKustomizeRenderer(opts: ToolOptions): Renderer {
  return {
    type: "kustomize",
    discover: (tree) => discoverKustomizations(tree),
    inputs: (target, tree) => withKnownSecrets(kustomizeInputs(target.path, tree), tree),
    // The folders of every kustomization it builds on: loose YAML there (unused patches,
    // examples) belongs to the kustomization, not to a plain-manifests target.
    owns: (_target, _tree, inputs) => [...inputs.files].filter(isKustomizationFile).map((f) => `${dirOf(f)}/*`),
    claims: (tree) => kustomizeClaims(tree),
    render: (target, tree, limits) => renderKustomization(target, tree, limits, opts),
    info: memoInfo(() => resolveKustomize(opts)),
    parts: kustomizeParts,
    explainUnread: explainUnreadKustomize,
  };
}

export async function renderKustomization(target: TargetSpec, tree: Tree, limits: RenderLimits, opts: ToolOptions): Promise<RenderOutcome> {
  // Checked here too, not only by the caller: the no-network guarantee must not depend on
  // the pipeline having looked at inputs first.
  const inputs = await kustomizeInputs(target.path, tree);
  if (inputs.blocking.length > 0) return { status: "invalid", problems: inputs.blocking };
  // Exactly the inputs go to disk: a file kustomize reads that the input set missed fails
  // loudly here instead of making the affected check silently wrong.
  await tree.materialize(inputs.files);

  let tool: ResolvedTool;
  try {
    tool = await resolveKustomize(opts);
  } catch (err) {
    return { status: "tool-error", message: (err as Error).message };
  }
  const argv = kustomizeBuildArgv(tool.flavour === "kustomize" ? "kustomize" : "kubectl", target.id, target.path);
  if (!argv.ok) return { status: "invalid", problems: argv.problems };
  const origins = await rewriteForOrigins(tree, findKustomizationFile(tree, target.path), tool);
  const result = await runTool({
    binary: tool.binary,
    args: argv.args,
    cwd: tree.root,
    scratchDir: opts.scratchDir,
    network: opts.network,
    ...limits,
  });
  if (result.kind !== "ok") {
    const file = findKustomizationFile(tree, target.path) ?? target.path;
    return failureOutcome(result, { tool: tool.info.name, file, limits, roots: rootsOf(tree, opts) });
  }
  const parsed = yamlToResources(result.stdout);
  const resources = origins ? await applyOrigins(parsed.resources, target.path, tree, origins.strip) : parsed.resources;
  return { status: "ok", resources, warnings: parsed.problems };
}
