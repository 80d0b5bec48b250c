/**
 * The Flux renderer: every Flux Kustomization and HelmRelease in the repository is a
 * target `flux:<namespace>/<name>`, rendered as its controller would render it. Targets carry
 * only their id: discovery, inputs and render look the object up in the tree (objects.ts).
 */
import type { TargetSpec } from "../../core/model/target.js";
import type { RenderLimits, RenderOutcome, Renderer, Tree } from "../../core/ports.js";
import { memoInfo, resolveKustomize } from "../binaries.js";
import type { ToolOptions } from "../tool-options.js";
import { dirOf } from "../repo-path.js";
import { fluxKustomizationInputs, renderFluxKustomization } from "./kustomization.js";
import { helmReleaseInputs, renderHelmRelease } from "./helmrelease.js";
import { fluxObjects, type FluxObject } from "./objects.js";

export function createFluxRenderer(opts: ToolOptions): Renderer {
  const repositoryUrls = opts.gitops?.repositoryUrls ?? [];
  return {
    type: "flux",
    // After plain manifests (registered before it): the files of a Flux application are still
    // objects of their own (a HelmRelease's chart version is a change to review), so a Flux
    // target's inputs must not take them away from plain-manifest discovery.
    discoverLast: true,
    discover: async (tree) => {
      const objects = await fluxObjects(tree);
      return [...objects.targets.entries()]
        .map(([id, o]) => ({ id, type: "flux" as const, path: dirOf(o.file) }));
    },
    inputs: async (target, tree) => {
      const found = await lookup(target, tree);
      if (!found.object) return { files: new Set(), blocking: [found.problem], warnings: [] };
      if (found.object.kind === "HelmRelease") return helmReleaseInputs(found.object, tree, found.objects, repositoryUrls);
      return fluxKustomizationInputs(found.object, tree, found.objects, repositoryUrls);
    },
    render: async (target: TargetSpec, tree: Tree, limits: RenderLimits): Promise<RenderOutcome> => {
      const found = await lookup(target, tree);
      if (!found.object) return { status: "invalid", problems: [found.problem] };
      if (found.object.kind === "HelmRelease") return renderHelmRelease(found.object, tree, found.objects, limits, opts);
      return renderFluxKustomization(found.object, tree, found.objects, limits, opts);
    },
    info: memoInfo(() => resolveKustomize(opts)),
  };
}

async function lookup(target: TargetSpec, tree: Tree) {
  const objects = await fluxObjects(tree);
  const object: FluxObject | undefined = objects.targets.get(target.id);
  const problem = { ruleId: "gitops/application-missing", severity: "error" as const, message: `no Flux object ${target.id} on this side` };
  return { objects, object, problem };
}

