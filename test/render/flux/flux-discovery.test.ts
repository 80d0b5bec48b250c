/**
 * One review per deployed thing: the folders a Flux Kustomization builds (and a HelmRelease's
 * chart folder) are not also kustomize, helm or manifests targets; folders no application uses,
 * and folders of an application whose source is elsewhere, keep today's targets; the files that
 * hold the Flux objects are still manifests of the folder that applies them.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { discoverSide } from "../../../src/core/pipeline/discover.js";
import { createRenderers } from "../../../src/render/registry.js";
import { dirTree } from "../../helpers/dir-tree.js";
import { memoryTree } from "../../helpers/memory-tree.js";
import { testToolOptions } from "../../helpers/tool-options.js";

const FIXTURE = resolve(import.meta.dirname, "../../../fixtures/gitops/flux");
const renderers = createRenderers(testToolOptions());

async function targetsOf(tree: ReturnType<typeof memoryTree>) {
  const side = await discoverSide(tree, renderers, { discovery: true, explicitTargets: [], ignore: [] });
  return [...side.targets.values()].map((t) => `${t.type} ${t.id}`).sort();
}

const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: "1"\n`;
const kustomization = (resources: string[]) => `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n${resources.map((r) => `  - ${r}\n`).join("")}`;
const fluxKustomization = (name: string, path: string, source = "flux-system") =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  path: ${path}\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: ${source}\n`;

describe("Flux applications replace the folder targets they render", () => {
  it("leaves only the Flux targets in the flux2-kustomize-helm-example layout", async () => {
    expect(await targetsOf(dirTree(`${FIXTURE}/base`))).toEqual(["flux flux:flux-system/apps", "flux flux:flux-system/flux-system", "flux flux:podinfo/podinfo"]);
  });

  it("supersedes a kustomized path, every folder of a generated one, and a HelmRelease's chart folder", async () => {
    const tree = memoryTree("t", {
      "clusters/prod/apps.yaml": fluxKustomization("apps", "./apps/prod"),
      "clusters/prod/infra.yaml": fluxKustomization("infra", "./infra"),
      "apps/prod/kustomization.yaml": kustomization(["../base"]),
      "apps/base/kustomization.yaml": kustomization(["cm.yaml"]),
      "apps/base/cm.yaml": configMap("app"),
      // A path without a kustomization: Flux generates one over every manifest below it.
      "infra/namespaces.yaml": configMap("ns"),
      "infra/monitoring/cm.yaml": configMap("mon"),
      "infra/ingress/kustomization.yaml": kustomization(["cm.yaml"]),
      "infra/ingress/cm.yaml": configMap("ingress"),
      "charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n",
      "charts/web/templates/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n",
      "clusters/prod/web.yaml":
        "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\n  namespace: web\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: ./charts/web\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n",
      // Nothing deploys these: today's targets.
      "tools/kustomization.yaml": kustomization(["cm.yaml"]),
      "tools/cm.yaml": configMap("tools"),
      "legacy/cm.yaml": configMap("legacy"),
    });
    expect(await targetsOf(tree)).toEqual([
      // The Flux objects' own folder is not rendered by any Kustomization here: still reviewed as manifests.
      "flux flux:flux-system/apps",
      "flux flux:flux-system/infra",
      "flux flux:web/web",
      "kustomize tools",
      "manifests clusters/prod",
      "manifests legacy",
    ]);
  });

  it("keeps the folder targets of a Kustomization whose source is another repository", async () => {
    const tree = memoryTree("t", {
      "clusters/prod/other.yaml": fluxKustomization("other", "./deploy", "platform"),
      "deploy/kustomization.yaml": kustomization(["cm.yaml"]),
      "deploy/cm.yaml": configMap("deploy"),
    });
    expect(await targetsOf(tree)).toEqual(["flux flux:flux-system/other", "kustomize deploy", "manifests clusters/prod"]);
  });
});
