import { mkdtempSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createFluxRenderer } from "../../../src/render/flux/renderer.js";
import { substituteText } from "../../../src/render/flux/substitute.js";
import { openDirectory } from "../../../src/repo/dir-source.js";
import { removeTestScratchDir, testScratchDir, testToolOptions } from "../../helpers/tool-options.js";

const FIXTURE = resolve(import.meta.dirname, "../../../fixtures/gitops/flux");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const renderer = createFluxRenderer(testToolOptions());

async function snapshot(side: "base" | "head") {
  const dir = join(FIXTURE, side);
  return openDirectory(dir, dir, mkdtempSync(join(testScratchDir(), "tree-")));
}
afterAll(removeTestScratchDir);

describe("Flux Kustomization discovery", () => {
  it("finds every Kustomization of the repository as flux:<namespace>/<name>", async () => {
    const targets = await renderer.discover(await snapshot("base"), { isOwned: () => false });
    expect(targets.map((t) => t.id).sort()).toEqual(["flux:flux-system/apps", "flux:flux-system/flux-system", "flux:podinfo/podinfo"]);
  });
});

describe("Flux Kustomization render", () => {
  it("applies targetNamespace, images, patches and post-build substitution as kustomize-controller does", async () => {
    const tree = await snapshot("base");
    const target = { id: "flux:flux-system/apps", type: "flux" as const, path: "clusters/staging" };
    const inputs = await renderer.inputs(target, tree);
    expect(inputs.blocking).toEqual([]);
    expect([...inputs.files].sort()).toEqual([
      "apps/base/podinfo/config.yaml",
      "apps/base/podinfo/deployment.yaml",
      "apps/base/podinfo/kustomization.yaml",
      "apps/base/podinfo/release.yaml",
      "apps/base/podinfo/repository.yaml",
      "apps/base/podinfo/values.yaml",
      "apps/staging/kustomization.yaml",
      "clusters/staging/apps.yaml",
      "clusters/staging/cluster-vars.yaml",
      // Its source, the GitRepository (compared as that object only, like the ConfigMap's file).
      "clusters/staging/flux-system/gotk-sync.yaml",
    ]);
    // The substitution Secret's value joins the run's secret set before anything renders.
    expect(inputs.secrets).toEqual(["CANARY-flux-substitute-secret-0451"]);

    const out = await renderer.render(target, tree, LIMITS);
    if (out.status !== "ok") throw new Error(JSON.stringify(out));
    const byName = new Map(out.resources.map((r) => [`${r.kind}/${r.name}`, r]));
    expect([...byName.values()].every((r) => r.namespace === "podinfo")).toBe(true);
    const deployment = byName.get("Deployment/podinfo")!.body as any;
    expect(deployment.spec.replicas).toBe(2);
    expect(deployment.metadata.labels.team).toBe("web");
    expect(deployment.spec.template.spec.containers[0].image).toBe("ghcr.io/stefanprodan/podinfo:6.7.1");
    expect((byName.get("ConfigMap/podinfo-config")!.body as any).data).toEqual({
      environment: "staging",
      url: "https://podinfo.staging.example.com",
      literal: "${not_substituted}",
    });
    expect((byName.get("ConfigMap/podinfo-raw")!.body as any).data).toEqual({ template: "${cluster_env}" });
    expect((byName.get("Secret/podinfo-token")!.body as any).stringData.token).toBe("CANARY-flux-substitute-secret-0451");
  });

  it("builds a path without a kustomization as Flux generates one (loose files and kustomized folders)", async () => {
    const tree = await snapshot("base");
    const out = await renderer.render({ id: "flux:flux-system/flux-system", type: "flux", path: "clusters/staging/flux-system" }, tree, LIMITS);
    if (out.status !== "ok") throw new Error(JSON.stringify(out));
    expect(out.resources.map((r) => `${r.kind}/${r.namespace}/${r.name}`).sort()).toEqual([
      "ConfigMap/flux-system/cluster-vars",
      "GitRepository/flux-system/flux-system",
      "Kustomization/flux-system/apps",
      "Kustomization/flux-system/flux-system",
      "Secret/flux-system/cluster-secrets",
    ]);
  });

  it("reports a source that is not this repository as gitops/source-unavailable, without rendering", async () => {
    const tree = await snapshot("head");
    const out = await renderer.render({ id: "flux:flux-system/external", type: "flux", path: "clusters/staging" }, tree, LIMITS);
    expect(out.status).toBe("invalid");
    if (out.status !== "invalid") return;
    expect(out.problems.map((p) => [p.ruleId, p.file])).toEqual([["gitops/source-unavailable", "clusters/staging/external.yaml"]]);
  });
});

describe("Flux substitution", () => {
  it.each([
    ["${a}", "A"],
    ["${missing}", ""],
    ["${missing:=d}", "d"],
    ["${missing:-d}", "d"],
    ["${empty:=d}", "d"],
    ["${empty=d}", ""],
    ["$${a}", "${a}"],
    ["${a:=d}", "A"],
  ])("%s → %s", (text, expected) => {
    expect(substituteText(text, new Map([["a", "A"], ["empty", ""]]))).toBe(expected);
  });
});
