/**
 * HelmReleases as a Flux Kustomization's render makes them (fluxcd/flux2-kustomize-helm-example):
 * `clusters/<cluster>` builds `apps/<cluster>`, whose kustomization patches the HelmRelease of
 * `apps/base/podinfo` with the cluster's values and chart version. Each cluster's patched release
 * is a target of its own, `flux:podinfo/podinfo@flux-system/apps@clusters/<cluster>`, its chart
 * rendered with the patched values (from a chart repository on 127.0.0.1 the test starts), and a
 * change to one cluster's patch marks only that cluster's release affected.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";
import { createFluxRenderer } from "../../src/render/flux/renderer.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testScratchDir, testToolOptions } from "../helpers/tool-options.js";
import { startChartRepo, type ChartRepo } from "../render/flux/chart-repo.js";

const FIXTURE = join(PROJECT_ROOT, "fixtures/gitops/flux-artifacts");
const CHART = join(PROJECT_ROOT, "fixtures/gitops/flux/chart-src/podinfo");
const STAGING = "flux:podinfo/podinfo@flux-system/apps@clusters/staging";
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const PRODUCTION = "flux:podinfo/podinfo@flux-system/apps@clusters/production";

let repo: ChartRepo;
beforeAll(async () => {
  repo = await startChartRepo(CHART, ["1.0.0", "6.7.0"]);
});
afterAll(async () => {
  await repo.close();
  removeTestScratchDir();
});

/** A side of the fixture with the chart on the loopback server (allowed), a message per cluster, and `edit` applied. */
function side(name: "base" | "head", edit: (dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(testScratchDir(), `${name}-`));
  cpSync(join(FIXTURE, name), dir, { recursive: true });
  const repository = join(dir, "apps/base/podinfo/repository.yaml");
  writeFileSync(repository, readFileSync(repository, "utf8").replace("https://stefanprodan.github.io/podinfo", repo.url));
  for (const cluster of ["staging", "production"]) {
    const patch = join(dir, `apps/${cluster}/podinfo-values.yaml`);
    writeFileSync(patch, readFileSync(patch, "utf8").replace("  values:\n", `  values:\n    replicaCount: ${cluster === "staging" ? 1 : 3}\n    ui:\n      message: hello ${cluster}\n`));
  }
  // The stand-in chart reads these; the base release sets them for every cluster.
  const release = join(dir, "apps/base/podinfo/release.yaml");
  writeFileSync(release, readFileSync(release, "utf8").replace("  values:\n", "  values:\n    image:\n      repository: ghcr.io/stefanprodan/podinfo\n      tag: 6.7.0\n    ui:\n      message: hello base\n    replicaCount: 2\n"));
  mkdirSync(join(dir, ".github"), { recursive: true });
  writeFileSync(join(dir, ".github/shipshape.yml"), `gitops:\n  allowedHosts: ["${repo.host}"]\n`);
  edit(dir);
  return dir;
}

describe("Flux HelmReleases in a Kustomization's render", () => {
  it("renders each cluster's patched release with its own values, and a staging-only change affects staging only", async () => {
    const base = side("base");
    const head = side("base", (dir) => {
      const patch = join(dir, "apps/staging/podinfo-values.yaml");
      writeFileSync(patch, readFileSync(patch, "utf8").replace("hello staging", "hello staging v2"));
    });
    const run = await runCli(["check", "--base", base, "--head", head, "--format", "json"]);
    const report = JSON.parse(run.stdout);
    const ids = report.targets.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining([STAGING, PRODUCTION]));
    // Every cluster patches the base HelmRelease: its file's own target (unpatched, deployed nowhere) is no review.
    expect(ids).not.toContain("flux:podinfo/podinfo");
    // Found in its parent's render: still a Flux application, of the kind the render made.
    expect(report.targets.find((t: { id: string }) => t.id === STAGING)).toMatchObject({ controller: "flux", kind: "HelmRelease" });
    const affected = report.targets.filter((t: { status: string }) => t.status !== "unchanged").map((t: { id: string }) => t.id).sort();
    expect(affected).toEqual(["flux:flux-system/apps@clusters/staging", STAGING]);
    const changed = report.changes.filter((c: { target: string }) => c.target === STAGING).map((c: { kind: string; name: string }) => `${c.kind}/${c.name}`);
    expect(changed).toEqual(["Deployment/podinfo"]);
    expect(JSON.stringify(report.changes)).toContain("hello staging v2");
    expect(JSON.stringify(report.changes)).not.toContain("hello production");
  });

  it("keeps the base file's release as a target where a cluster applies it unpatched", async () => {
    const unpatched = (dir: string) => writeFileSync(join(dir, "apps/production/kustomization.yaml"), "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - ../base/podinfo\n");
    const base = side("base", unpatched);
    const head = side("base", (dir) => {
      unpatched(dir);
      const patch = join(dir, "apps/staging/podinfo-values.yaml");
      writeFileSync(patch, readFileSync(patch, "utf8").replace("hello staging", "hello staging v2"));
    });
    const report = JSON.parse((await runCli(["check", "--base", base, "--head", head, "--format", "json"])).stdout);
    const ids = report.targets.map((t: { id: string }) => t.id);
    expect(ids).toEqual(expect.arrayContaining(["flux:podinfo/podinfo", STAGING]));
    expect(ids).not.toContain(PRODUCTION);
    const affected = report.targets.filter((t: { status: string }) => t.status !== "unchanged").map((t: { id: string }) => t.id).sort();
    expect(affected).toEqual(["flux:flux-system/apps@clusters/staging", STAGING]);
  });

  it("renders the chart with each cluster's patched values, the patch's release object carried by the target", async () => {
    const tree = dirTree(side("base"));
    const renderer = createFluxRenderer(testToolOptions({ gitops: { repositoryUrls: [], allowedHosts: [repo.host], chartCacheDir: join(testScratchDir(), "cache") } }));
    const seen: Record<string, unknown> = {};
    for (const cluster of ["staging", "production"]) {
      const parent = { id: `flux:flux-system/apps@clusters/${cluster}`, type: "flux" as const, path: `clusters/${cluster}` };
      const rendered = await renderer.render(parent, tree, LIMITS);
      if (rendered.status !== "ok") throw new Error(JSON.stringify(rendered));
      const children = await renderer.fromRendered!(rendered.resources, parent, tree);
      expect(children.map((c) => c.id)).toEqual([`flux:podinfo/podinfo@flux-system/apps@clusters/${cluster}`]);
      const child = children[0]!;
      expect(child.renderedFrom).toMatchObject({ target: parent.id, depth: 1, file: "apps/base/podinfo/release.yaml" });
      const inputs = await renderer.inputs(child, tree);
      expect(inputs.blocking).toEqual([]);
      expect([...inputs.files]).toEqual(expect.arrayContaining(["apps/base/podinfo/release.yaml", "apps/base/podinfo/repository.yaml"]));
      const out = await renderer.render(child, tree, LIMITS);
      if (out.status !== "ok") throw new Error(JSON.stringify(out));
      const d = out.resources.find((r) => r.kind === "Deployment")!.body as any;
      seen[cluster] = [d.spec.replicas, d.spec.template.spec.containers[0].env[0].value];
    }
    expect(seen).toEqual({ staging: [1, "hello staging"], production: [3, "hello production"] });
  });

  it("adds no target for a Flux object rendered as its file holds it", async () => {
    const tree = dirTree(side("base"));
    const renderer = createFluxRenderer(testToolOptions());
    const parent = { id: "flux:flux-system/flux-system@clusters/staging/flux-system", type: "flux" as const, path: "clusters/staging/flux-system" };
    const rendered = await renderer.render(parent, tree, LIMITS);
    if (rendered.status !== "ok") throw new Error(JSON.stringify(rendered));
    expect(rendered.resources.some((r) => r.kind === "Kustomization" && r.name === "apps")).toBe(true);
    expect(await renderer.fromRendered!(rendered.resources, parent, tree)).toEqual([]);
  });
});
