/**
 * Argo CD Applications whose source is a chart of a chart repository or OCI registry (`chart:`):
 * pulled, as Flux's are, only from the base config's `gitops.allowedHosts` (here a chart
 * repository on 127.0.0.1 the test starts), and rendered with the Application's helm options;
 * a host that is not allowed gets no request and the Application is reported as not reviewed.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";
import { dirTree } from "../helpers/dir-tree.js";
import { removeTestScratchDir, testScratchDir, testToolOptions } from "../helpers/tool-options.js";
import { createArgoCdRenderer } from "../../src/render/argocd/renderer.js";
import { startChartRepo, startServer, type ChartRepo } from "../render/flux/chart-repo.js";

const CHART = join(PROJECT_ROOT, "fixtures/gitops/flux/chart-src/podinfo");
const LIMITS = { timeoutMs: 30_000, maxOutputBytes: 10 * 1024 * 1024 };
const URL_OF_REPO = "https://github.com/example/platform";

let repo: ChartRepo;
beforeAll(async () => {
  repo = await startChartRepo(CHART, ["1.0.0", "1.2.3", "2.0.0"]);
});
afterAll(async () => {
  await repo.close();
  removeTestScratchDir();
});

function app(name: string, sources: string): string {
  return `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n${sources}`;
}

const single = (url: string, message = "hello") =>
  app(
    "podinfo",
    `  source:\n    repoURL: ${url}\n    chart: podinfo\n    targetRevision: ~1.2.0\n    helm:\n      releaseName: web\n      valueFiles:\n        - values-production.yaml\n      valuesObject:\n        ui:\n          message: ${message}\n      parameters:\n        - name: image.tag\n          value: "6.8.0"\n`,
  );

const multi = (url: string) =>
  app(
    "podinfo-multi",
    `  sources:\n    - repoURL: ${url}\n      chart: podinfo\n      targetRevision: 1.2.3\n      helm:\n        valueFiles:\n          - $values/values/podinfo.yaml\n    - repoURL: ${URL_OF_REPO}\n      targetRevision: main\n      ref: values\n`,
  );

function side(files: Record<string, string>, allowed: string[]): string {
  const dir = mkdtempSync(join(testScratchDir(), "argo-remote-"));
  const all = { ".github/shipshape.yml": `gitops:\n  repositoryUrls: ["${URL_OF_REPO}"]\n  allowedHosts: ${JSON.stringify(allowed)}\n`, ...files };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function renderer(allowed: string[]) {
  return createArgoCdRenderer(testToolOptions({ gitops: { repositoryUrls: [URL_OF_REPO], allowedHosts: allowed } }), { repositoryUrls: [URL_OF_REPO] });
}

async function render(dir: string, allowed: string[], id: string) {
  const r = renderer(allowed);
  const tree = dirTree(dir);
  const target = (await r.discover(tree, { isOwned: () => false })).find((t) => t.id === id);
  if (!target) throw new Error(`no target ${id}`);
  return { outcome: await r.render(target, tree, LIMITS), inputs: await r.inputs(target, tree), r, target, tree };
}

describe("Argo CD Applications of a remote chart", () => {
  it("pulls the highest version in range from an allowed chart repository and renders it with the Application's helm options", async () => {
    const dir = side({ "apps/podinfo.yaml": single(repo.url) }, [repo.host]);
    const { outcome } = await render(dir, [repo.host], "argocd:argocd/podinfo");
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    const deploy = outcome.resources.find((r) => r.kind === "Deployment")!;
    expect(deploy.name).toBe("web");
    expect(deploy.namespace).toBe("web");
    const text = JSON.stringify(deploy.body);
    expect(text).toContain("ghcr.io/stefanprodan/podinfo:6.8.0");
    expect(text).toContain('"value":"hello"');
    expect(repo.requests).toEqual(expect.arrayContaining(["/charts/index.yaml", "/charts/podinfo-1.2.3.tgz"]));
  });

  it("renders a remote chart with `$values/…` value files of a ref source of this repository, which are its inputs", async () => {
    const dir = side({ "apps/podinfo.yaml": multi(repo.url), "values/podinfo.yaml": "replicaCount: 7\n" }, [repo.host]);
    const { outcome, inputs } = await render(dir, [repo.host], "argocd:argocd/podinfo-multi");
    if (outcome.status !== "ok") throw new Error(JSON.stringify(outcome));
    expect(outcome.resources.find((r) => r.kind === "Deployment")!.body).toMatchObject({ metadata: { name: "podinfo-multi" }, spec: { replicas: 7 } });
    expect([...inputs.files]).toEqual(expect.arrayContaining(["apps/podinfo.yaml", "values/podinfo.yaml"]));
  });

  it("sends no request to a host that is not allowed, and reports the Application as not reviewed, naming the host", async () => {
    const other = await startServer((_req, res) => res.writeHead(404).end());
    try {
      for (const url of [`http://${other.host}/charts`, `oci://${other.host}/org/charts`, `${other.host}/org/charts`]) {
        const dir = side({ "apps/podinfo.yaml": single(url) }, [repo.host]);
        const { outcome } = await render(dir, [repo.host], "argocd:argocd/podinfo");
        expect(outcome.status).toBe("invalid");
        const problems = outcome.status === "invalid" ? outcome.problems : [];
        expect(problems.map((p) => p.ruleId)).toEqual(["gitops/source-unavailable"]);
        expect(problems[0]!.message).toContain(`host ${other.host} is not in gitops.allowedHosts`);
      }
      expect(other.requests).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it("shows a change of the Application's values in the rendered objects", async () => {
    const base = side({ "apps/podinfo.yaml": single(repo.url, "hello") }, [repo.host]);
    const head = side({ "apps/podinfo.yaml": single(repo.url, "hello v2") }, [repo.host]);
    const run = await runCli(["check", "--base", base, "--head", head, "--format", "json"]);
    const report = JSON.parse(run.stdout);
    const changes = report.changes.filter((c: { target: string }) => c.target === "argocd:argocd/podinfo");
    expect(changes.map((c: { action: string; kind: string; name: string }) => `${c.action} ${c.kind}/${c.name}`)).toEqual(["modified Deployment/web"]);
    expect(JSON.stringify(changes)).toContain("hello v2");
  }, 120_000);
});
