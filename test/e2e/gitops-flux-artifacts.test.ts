/**
 * fluxcd/flux2-kustomize-helm-example as of Flux 2.7: Kustomizations whose source is an
 * ExternalArtifact that an ArtifactGenerator copies out of this repository. They render the
 * repository's folders through the artifact's layout (`./controllers` is infrastructure/controllers),
 * those folders are no targets of their own, and every changed file is reviewed. Two clusters
 * (staging, production) define the same Kustomizations and generators: each cluster's is a target
 * of its own (`@<folder>`), built from its own cluster's generator and patches.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createFluxRenderer } from "../../src/render/flux/renderer.js";
import { dirTree } from "../helpers/dir-tree.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";
import { testToolOptions } from "../helpers/tool-options.js";

const FIXTURE = join(PROJECT_ROOT, "fixtures/gitops/flux-artifacts");

describe("Flux ExternalArtifacts from an ArtifactGenerator", () => {
  it("reviews the Kustomizations through the artifacts, one review per deployed thing", async () => {
    const run = await runCli(["check", "--base", join(FIXTURE, "base"), "--head", join(FIXTURE, "head"), "--format", "json"]);
    const report = JSON.parse(run.stdout);
    expect(report.targets.map((t: { id: string; type: string }) => `${t.type} ${t.id}`).sort()).toEqual([
      "flux flux:cert-manager/cert-manager",
      "flux flux:flux-system/apps@clusters/production",
      "flux flux:flux-system/apps@clusters/staging",
      "flux flux:flux-system/flux-system@clusters/production/flux-system",
      "flux flux:flux-system/flux-system@clusters/staging/flux-system",
      "flux flux:flux-system/infra-configs@clusters/production",
      "flux flux:flux-system/infra-configs@clusters/staging",
      "flux flux:flux-system/infra-controllers@clusters/production",
      "flux flux:flux-system/infra-controllers@clusters/staging",
      // Each cluster's overlay patches the base HelmRelease: the patched releases are the targets, not the base file's.
      "flux flux:podinfo/podinfo@flux-system/apps@clusters/production",
      "flux flux:podinfo/podinfo@flux-system/apps@clusters/staging",
    ]);
    const changes = report.changes.map((c: { target: string; kind: string; name: string }) => `${c.target} ${c.kind}/${c.name}`);
    // The staging values change is staging's only; the ClusterIssuer is in both clusters' configs.
    expect(changes).toEqual([
      "flux:flux-system/apps@clusters/staging HelmRelease/podinfo",
      "flux:flux-system/infra-configs@clusters/production ClusterIssuer/letsencrypt",
      "flux:flux-system/infra-configs@clusters/staging ClusterIssuer/letsencrypt",
    ]);
    expect(JSON.stringify(report.changes)).toContain("platform@example.com");
    expect(JSON.stringify(report.changes)).toContain("podinfo.staging.example.com");
    expect(report.coverage.notReviewed).toEqual([]);
    expect(report.coverage.reviewed.map((r: { file: string }) => r.file)).toEqual(["apps/staging/podinfo-values.yaml", "infrastructure/configs/cluster-issuers.yaml"]);
  });

  it("maps the artifact's files back to the repository as inputs, the generator among them", async () => {
    const tree = dirTree(join(FIXTURE, "base"));
    const renderer = createFluxRenderer(testToolOptions());
    const inputs = await renderer.inputs({ id: "flux:flux-system/apps@clusters/staging", type: "flux", path: "clusters/staging" }, tree);
    expect(inputs.blocking).toEqual([]);
    expect([...inputs.files].sort()).toEqual([
      "apps/base/podinfo/kustomization.yaml",
      "apps/base/podinfo/namespace.yaml",
      "apps/base/podinfo/release.yaml",
      "apps/base/podinfo/repository.yaml",
      "apps/staging/kustomization.yaml",
      "apps/staging/podinfo-values.yaml",
      "clusters/staging/apps.yaml",
      "clusters/staging/artifacts.yaml",
    ]);
    const limits = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
    const out = await renderer.render({ id: "flux:flux-system/infra-controllers@clusters/staging", type: "flux", path: "clusters/staging" }, tree, limits);
    if (out.status !== "ok") throw new Error(JSON.stringify(out));
    expect(out.resources.map((r) => `${r.kind}/${r.name}`)).toEqual(["Namespace/cert-manager", "HelmRelease/cert-manager", "OCIRepository/cert-manager"]);
    // Each cluster's Kustomization patches the ACME server its own way.
    for (const [cluster, server] of [["production", "https://acme-v02.api.letsencrypt.org/directory"], ["staging", "https://acme-staging-v02.api.letsencrypt.org/directory"]]) {
      const configs = await renderer.render({ id: `flux:flux-system/infra-configs@clusters/${cluster}`, type: "flux", path: `clusters/${cluster}` }, tree, limits);
      if (configs.status !== "ok") throw new Error(JSON.stringify(configs));
      expect((configs.resources[0]!.body as any).spec.acme.server).toBe(server);
    }
  });

  it("reports an artifact copied from another repository as not reviewed", async () => {
    const tree = dirTree(join(FIXTURE, "base"));
    const renderer = createFluxRenderer(testToolOptions());
    const inputs = await renderer.inputs({ id: "flux:flux-system/apps@clusters/staging", type: "flux", path: "clusters/staging" }, withSource(tree, "other"));
    expect(inputs.blocking.map((p) => p.message)).toEqual([expect.stringContaining("copies from GitRepository flux-system/other, which is not this repository")]);
  });
});

/** The tree with the ArtifactGenerator's source renamed (a GitRepository the config does not know). */
function withSource(tree: ReturnType<typeof dirTree>, name: string): ReturnType<typeof dirTree> {
  return {
    ...tree,
    read: async (p: string) => {
      const text = await tree.read(p);
      return p.endsWith("/artifacts.yaml") ? text.replace("name: flux-system\n  artifacts", `name: ${name}\n  artifacts`) : text;
    },
  };
}
