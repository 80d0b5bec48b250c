/**
 * The Flux renderer: every Flux Kustomization and HelmRelease in the repository is a
 * target `flux:<namespace>/<name>`, rendered as its controller would render it. Targets carry
 * only their id: discovery, inputs and render look the object up in the tree (objects.ts).
 * The folders an application renders are reviewed once, as the application (`supersedes`).
 * Flux objects a Kustomization renders differently from their file (an overlay patch) are
 * targets of their own (rendered.ts).
 */
import type { TargetSpec } from "../../core/model/target.js";
import type { InputSet, RenderLimits, RenderOutcome, Renderer, Tree } from "../../core/ports.js";
import { memoInfo, resolveKustomize } from "../binaries.js";
import type { ToolOptions } from "../tool-options.js";
import { withObjects } from "./objects.js";
import { renderedSources } from "./rendered.js";
import { dirOf } from "../repo-path.js";
import { fluxKustomizationInputs, renderedFolders, renderFluxKustomization } from "./kustomization.js";
import { chartSource, helmReleaseInputs, renderHelmRelease } from "./helmrelease.js";
import { fluxObjects, type FluxObject } from "./objects.js";
import { releaseNamespace } from "./release-namespace.js";
import { fluxInRendered, renderedObject, renderedOrigin } from "./rendered.js";

export function createFluxRenderer(opts: ToolOptions): Renderer {
  const repositoryUrls = opts.gitops?.repositoryUrls ?? [];
  /** Folders each target renders, found with its inputs (supersedes/owns are synchronous). */
  const rendered = new WeakMap<InputSet, string[]>();
  const self: Renderer = {
    type: "flux",
    // Before the folder renderers: the folders a Flux application renders are not also targets
    // of their own. The application objects' files stay free for them (`shared` inputs), so a
    // HelmRelease's chart version is still a change reviewed in the folder that applies it.
    discoverFirst: true,
    discover: async (tree) => {
      const objects = await fluxObjects(tree);
      return [...objects.targets.entries()]
        .map(([id, o]) => ({ id, type: "flux" as const, kind: o.kind, path: dirOf(o.file), ...releaseNamespace(o) }));
    },
    // HelmReleases and Kustomizations a Kustomization's render makes (an overlay's patch applied): targets of their own.
    fromRendered: (resources, parent, tree) =>
      fluxInRendered(resources, parent, tree, async () => {
        const found = await lookup(parent, tree);
        const set = found.object ? await self.inputs(parent, tree) : undefined;
        return { files: set?.files ?? new Set(), ...(found.object ? { file: found.object.file } : {}) };
      }),
    renderedMarkers: ["toolkit.fluxcd.io"],
    renderedOrigin,
    inputs: async (target, tree) => {
      const found = await lookup(target, tree);
      if (!found.object) return { files: new Set(), blocking: [found.problem], warnings: [] };
      if (found.object.kind === "HelmRelease") {
        const set = helmReleaseInputs(found.object, tree, found.objects, repositoryUrls);
        const chart = chartSource(found.object, tree, found.objects, repositoryUrls);
        rendered.set(set, chart.kind === "local" ? [chart.dir] : []);
        return set;
      }
      const set = await fluxKustomizationInputs(found.object, tree, found.objects, repositoryUrls, opts.scratchDir);
      rendered.set(set, renderedFolders(found.object, tree, found.objects, repositoryUrls, opts.scratchDir));
      return set;
    },
    // One review per deployed thing: the folders' own kustomize, helm or manifests targets go.
    supersedes: (_target, _tree, inputs) => (inputs.blocking.length > 0 ? [] : (rendered.get(inputs) ?? [])),
    // What the application builds is no plain manifest of its own (a kustomization's stray patches,
    // a chart); a failed application owns nothing, so its folders keep today's targets.
    owns: (_target, _tree, inputs) => {
      if (inputs.blocking.length > 0) return [];
      const shared = new Set(inputs.shared ?? []);
      return [...new Set([...inputs.files].filter((f) => !shared.has(f)).map((f) => `${dirOf(f)}/*`))];
    },
    // HelmReleases render charts (`randAlphaNum`, `uuidv4`…): what differs between two renders of the head is left out.
    nondeterministic: true,
    render: async (target: TargetSpec, tree: Tree, limits: RenderLimits): Promise<RenderOutcome> => {
      const found = await lookup(target, tree);
      if (!found.object) return { status: "invalid", problems: [found.problem] };
      if (found.object.kind === "HelmRelease") return renderHelmRelease(found.object, tree, found.objects, limits, opts);
      return renderFluxKustomization(found.object, tree, found.objects, limits, opts);
    },
    info: memoInfo(() => resolveKustomize(opts)),
  };
  return self;
}

async function lookup(target: TargetSpec, tree: Tree) {
  const objects = await fluxObjects(tree);
  // Found in a parent's render: the object as the parent rendered it (patched), not as a file holds it.
  const object: FluxObject | undefined = target.renderedFrom ? renderedObject(target) : objects.targets.get(target.id);
  const problem = { ruleId: "gitops/application-missing", severity: "error" as const, message: `no Flux object ${target.id} on this side` };
  // Its ConfigMaps and Secrets as that render makes them (a configMapGenerator of the overlay).
  return { objects: withObjects(objects, renderedSources(target)), object, problem };
}

