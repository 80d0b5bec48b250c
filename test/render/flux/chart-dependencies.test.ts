/**
 * Chart dependencies that must be downloaded: a chart of this repository whose Chart.yaml names
 * a dependency in a chart repository (here on 127.0.0.1) with nothing in charts/ is rendered as
 * source-controller (Flux, a GitRepository chart) and Argo CD's repo server (`helm dependency
 * build`) render it: the dependency pulled from an allowed host (the lock file's version when
 * there is one) into charts/ of a scratch copy, never of the repository. A host that is not
 * allowed gets no request and the application is `gitops/source-unavailable`, naming the
 * dependency and host; plain helm targets keep `render/helm-missing-dependency`.
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RenderOutcome } from "../../../src/core/ports.js";
import { createArgoCdRenderer } from "../../../src/render/argocd/renderer.js";
import { createFluxRenderer } from "../../../src/render/flux/renderer.js";
import { PROJECT_ROOT, runCli } from "../../helpers/cli.js";
import { dirTree } from "../../helpers/dir-tree.js";
import { removeTestScratchDir, testScratchDir, testToolOptions } from "../../helpers/tool-options.js";
import { startChartRepo, type ChartRepo } from "./chart-repo.js";

const CHART = join(PROJECT_ROOT, "fixtures/gitops/flux/chart-src/podinfo");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };

let repo: ChartRepo;
beforeAll(async () => {
  repo = await startChartRepo(CHART, ["6.6.0", "6.7.0", "7.0.0"]);
});
afterAll(async () => {
  await repo.close();
  removeTestScratchDir();
});

const umbrella = (repository: string, lock?: string) => ({
  "charts/app/Chart.yaml": `apiVersion: v2\nname: app\nversion: 1.0.0\ndependencies:\n  - name: podinfo\n    version: ">=6.0.0 <7.0.0"\n    repository: ${repository}\n`,
  "charts/app/values.yaml": "podinfo:\n  ui:\n    message: from the umbrella\n",
  "charts/app/templates/config.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n  a: b\n",
  ...(lock ? { "charts/app/Chart.lock": `dependencies:\n  - name: podinfo\n    repository: ${repository}\n    version: ${lock}\ndigest: sha256:0\ngenerated: "2025-01-01T00:00:00Z"\n` } : {}),
});

const fluxFiles = {
  "clusters/prod/flux-system/gotk-sync.yaml": "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: flux-system\n  namespace: flux-system\nspec:\n  url: https://github.com/example/fleet\n",
  "apps/app.yaml": "apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: app\n  namespace: web\nspec:\n  chart:\n    spec:\n      chart: ./charts/app\n      sourceRef:\n        kind: GitRepository\n        name: flux-system\n        namespace: flux-system\n",
};

const argoFiles = {
  "apps/app.yaml": "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: app\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n  source:\n    repoURL: https://github.com/example/fleet\n    path: charts/app\n",
};

function write(files: Record<string, string>): string {
  const dir = mkdtempSync(join(testScratchDir(), "deps-"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function options(allowed: string[]) {
  const scratchDir = mkdtempSync(join(testScratchDir(), "scratch-"));
  return testToolOptions({ scratchDir, gitops: { repositoryUrls: ["https://github.com/example/fleet"], allowedHosts: allowed, chartCacheDir: join(scratchDir, "cache") } });
}

async function renderFlux(dir: string, allowed: string[]): Promise<RenderOutcome> {
  const tree = dirTree(dir);
  const r = createFluxRenderer(options(allowed));
  const target = { id: "flux:web/app", type: "flux" as const, path: "apps" };
  const inputs = await r.inputs(target, tree);
  await tree.materialize(inputs.files);
  return r.render(target, tree, LIMITS);
}

async function renderArgo(dir: string, allowed: string[]): Promise<RenderOutcome> {
  const tree = dirTree(dir);
  const r = createArgoCdRenderer(options(allowed), { repositoryUrls: ["https://github.com/example/fleet"] });
  const target = (await r.discover(tree, { isOwned: () => false })).find((t) => t.id === "argocd:argocd/app")!;
  const inputs = await r.inputs(target, tree);
  expect(inputs.blocking).toEqual([]);
  await tree.materialize(inputs.files);
  return r.render(target, tree, LIMITS);
}

function podinfo(out: RenderOutcome): { image: string; message: string } {
  if (out.status !== "ok") throw new Error(JSON.stringify(out));
  const d = out.resources.find((r) => r.kind === "Deployment")?.body as any;
  return { image: d.spec.template.spec.containers[0].image, message: d.spec.template.spec.containers[0].env[0].value };
}

describe("chart dependencies that must be downloaded", () => {
  it("Flux: pulls the highest match from an allowed repository into a scratch copy and renders the umbrella chart", async () => {
    const dir = write({ ...fluxFiles, ...umbrella(repo.url) });
    const out = await renderFlux(dir, [repo.host]);
    expect(podinfo(out)).toEqual({ image: "ghcr.io/stefanprodan/podinfo:6.7.0", message: "from the umbrella" });
    expect(out.status === "ok" && out.resources.some((r) => r.kind === "ConfigMap" && r.name === "app")).toBe(true);
    expect(existsSync(join(dir, "charts/app/charts"))).toBe(false);
  });

  it("Flux: takes the lock file's version", async () => {
    const dir = write({ ...fluxFiles, ...umbrella(repo.url, "6.6.0") });
    // The stand-in chart's image tag is its values' default; the archive pulled is 6.6.0's (its Chart.yaml version).
    const out = await renderFlux(dir, [repo.host]);
    if (out.status !== "ok") throw new Error(JSON.stringify(out));
    expect(repo.requests).toContain("/charts/podinfo-6.6.0.tgz");
  });

  it("Flux: a dependency on a host that is not allowed is source-unavailable, naming it, and gets no request", async () => {
    const before = repo.requests.length;
    const out = await renderFlux(write({ ...fluxFiles, ...umbrella(repo.url) }), ["charts.example.org"]);
    expect(out.status).toBe("invalid");
    const problem = out.status === "invalid" ? out.problems[0]! : undefined;
    expect(problem?.ruleId).toBe("gitops/source-unavailable");
    expect(problem?.message).toContain(`chart dependency "podinfo" >=6.0.0 <7.0.0 from ${repo.host}`);
    expect(repo.requests.length).toBe(before);
  });

  it("Argo CD: the repo server's `helm dependency build`, from an allowed host", async () => {
    const dir = write({ ...argoFiles, ...umbrella(repo.url) });
    expect(podinfo(await renderArgo(dir, [repo.host]))).toEqual({ image: "ghcr.io/stefanprodan/podinfo:6.7.0", message: "from the umbrella" });
    expect(existsSync(join(dir, "charts/app/charts"))).toBe(false);
    const refused = await renderArgo(dir, []);
    expect(refused.status === "invalid" && refused.problems.map((p) => [p.ruleId, p.message.includes(`chart dependency "podinfo"`)])).toEqual([["gitops/source-unavailable", true]]);
  });

  it("plain helm targets still ask for the dependency to be vendored", async () => {
    const files = { ...umbrella(repo.url), ".github/shipshape.yml": `gitops:\n  allowedHosts: ["${repo.host}"]\n` };
    const head = write({ ...files, "charts/app/values.yaml": "podinfo:\n  replicaCount: 2\n" });
    const run = await runCli(["check", "--base", write(files), "--head", head, "--format", "json"]);
    const report = JSON.parse(run.stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain("render/helm-missing-dependency");
  });
});
