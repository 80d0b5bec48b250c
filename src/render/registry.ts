/** Renderers register by target type; the pipeline looks them up by name, never by switch. */
import type { RendererRegistry } from "../core/pipeline/discover.js";
import type { Renderer } from "../core/ports.js";
import type { TargetType } from "../core/model/target.js";
import { createArgoCdRenderer, type GitOpsOptions } from "./argocd/renderer.js";
import { createComposeRenderer } from "./compose/renderer.js";
import { createFluxRenderer } from "./flux/renderer.js";
import { createHelmRenderer } from "./helm/renderer.js";
import { createKustomizeRenderer } from "./kustomize/renderer.js";
import { createManifestsRenderer } from "./manifests/renderer.js";
import type { ToolOptions } from "./tool-options.js";

export function createRenderers(tools: ToolOptions, gitops: GitOpsOptions = { repositoryUrls: [] }): RendererRegistry {
  const list: Renderer[] = [
    createArgoCdRenderer(tools, gitops),
    createKustomizeRenderer(tools),
    createHelmRenderer(tools),
    createComposeRenderer(),
    createManifestsRenderer(),
    createFluxRenderer(tools),
  ];
  return new Map<TargetType, Renderer>(list.map((r) => [r.type, r]));
}
