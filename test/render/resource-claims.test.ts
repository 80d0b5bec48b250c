/**
 * The pieces behind "what a resource is" (issue 12), each on a small tree: which folders kustomize
 * claims whatever the targets are, which apiVersions belong to tools no cluster serves, and which
 * files make a folder a plain-manifests target.
 */
import { describe, expect, it } from "vitest";
import { discoverSide } from "../../src/core/pipeline/discover.js";
import { kustomizeClaims } from "../../src/render/kustomize/claims.js";
import { toolConfigOf } from "../../src/render/manifests/tool-configs.js";
import { createRenderers } from "../../src/render/registry.js";
import { memoryTree } from "../helpers/memory-tree.js";

const CM = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;
const PATCH = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n";

describe("the folders kustomize claims", () => {
  it("claims every kustomization folder, and patch folders at or below the kustomization that uses them", async () => {
    const tree = memoryTree("head", {
      "app/kustomization.yaml": "resources:\n- cm.yaml\npatches:\n- path: patches/web.yaml\n- path: ../shared/patch.yaml\nconfigMapGenerator:\n- name: c\n  files:\n  - conf/app.yaml\n",
      "app/cm.yaml": CM("a"),
      "app/patches/web.yaml": PATCH,
      "app/conf/app.yaml": CM("looks-like-one"),
      "shared/patch.yaml": PATCH,
      "shared/cm.yaml": CM("shared"),
      "comp/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n",
      "scaffold/kustomization.yaml": "resources: []\n",
      "scaffold/patches/unused.yaml": PATCH,
      "broken/kustomization.yaml": "resources: [\n",
    });
    expect(await kustomizeClaims(tree)).toEqual(["app/*", "app/conf/*", "app/patches/*", "broken/*", "comp/*", "scaffold/*", "scaffold/patches/*"]);
  });

  it("keeps a folder above the kustomization a manifests target, even with a patch in it", async () => {
    const tree = memoryTree("head", {
      "app/kustomization.yaml": "resources:\n- cm.yaml\npatches:\n- path: ../shared/patch.yaml\n",
      "app/cm.yaml": CM("a"),
      "shared/patch.yaml": PATCH,
      "shared/cm.yaml": CM("shared"),
      "comp/kustomization.yaml": "kind: Component\npatches:\n- path: stub.yaml\n",
      "comp/stub.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\n$patch: delete\n",
    });
    const side = await discoverSide(tree, createRenderers({} as never), { discovery: true, explicitTargets: [], ignore: [] });
    expect([...side.targets.values()].map((t) => `${t.type} ${t.id}`).sort()).toEqual(["kustomize app", "manifests shared"]);
  });
});

describe("config files of tools no cluster serves", () => {
  it.each([
    ["skaffold/v4beta6", "Config", "skaffold"],
    ["skaffold/v2beta29", "Config", "skaffold"],
    ["builtin", "PatchTransformer", "kustomize (builtin plugin config)"],
    ["kustomize.config.k8s.io/v1beta1", "Kustomization", "kustomize"],
    ["v1", "Config", "kubectl (kubeconfig)"],
    ["kubeadm.k8s.io/v1beta3", "ClusterConfiguration", "kubeadm"],
    ["kind.x-k8s.io/v1alpha4", "Cluster", "kind"],
    ["k3d.io/v1alpha5", "Simple", "k3d"],
  ])("%s %s is %s's", (apiVersion, kind, tool) => {
    expect(toolConfigOf(apiVersion, kind)).toBe(tool);
  });

  it.each([
    ["v1", "ConfigMap"],
    ["apps/v1", "Deployment"],
    ["cluster.x-k8s.io/v1beta1", "Cluster"],
    ["kind.x-k8s.io/v1alpha4", "Widget"],
    ["kustomize.toolkit.fluxcd.io/v1", "Kustomization"],
    ["skaffold.example.com/v1", "Config"],
  ])("%s %s stays a resource", (apiVersion, kind) => {
    expect(toolConfigOf(apiVersion, kind)).toBeUndefined();
  });
});

describe("which files make a folder a plain-manifests target", () => {
  it("needs an object kubectl would apply: named, and not only a tool's config", async () => {
    const tree = memoryTree("head", {
      "skaffold.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\nmetadata: {name: app}\n---\napiVersion: skaffold/v4beta6\nkind: Config\n",
      "mixed/all.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\nmetadata: {name: app}\n---\n" + CM("real"),
      "testdata/status.yaml": "apiVersion: example.com/v1\nkind: Widget\nstatus: {phase: Ready}\n",
      "named/w.yaml": "apiVersion: example.com/v1\nkind: Widget\nmetadata: {generateName: w-}\n",
      "chart/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0.0\n",
      "chart/examples/cm.yaml": CM("example"),
    });
    const side = await discoverSide(tree, createRenderers({} as never), { discovery: true, explicitTargets: [], ignore: [] });
    expect([...side.targets.values()].map((t) => `${t.type} ${t.id}`).sort()).toEqual(["helm chart", "manifests mixed", "manifests named"]);
  });
});
