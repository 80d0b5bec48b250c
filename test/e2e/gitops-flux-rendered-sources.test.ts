/**
 * `substituteFrom` and `valuesFrom` sources that exist only in a parent's render
 * (fixtures/gitops/flux-rendered-sources): the cluster folder's kustomization generates the
 * `cluster-vars` ConfigMap and `cluster-secrets` Secret the `apps` Kustomization substitutes
 * from, and the overlay generates the HelmRelease's values ConfigMap under a hashed name that
 * kustomize writes into `valuesFrom` (nameReference configuration). Each is looked up in the
 * render that applies the object, as the controller finds it in the cluster; Secret values
 * never reach the report; a change to a generated source marks the application that reads it.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";
import { removeTestScratchDir, testScratchDir } from "../helpers/tool-options.js";

const FIXTURE = join(PROJECT_ROOT, "fixtures/gitops/flux-rendered-sources");
const APPS = "flux:flux-system/apps@flux-system/flux-system";
const DEMO = "flux:demo/demo@flux-system/apps@flux-system/flux-system";
const CANARY = "CANARY-rendered-secret-7731";

afterAll(() => removeTestScratchDir());

function side(edit: (dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(testScratchDir(), "side-"));
  cpSync(FIXTURE, dir, { recursive: true });
  edit(dir);
  return dir;
}

function replaceIn(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  writeFileSync(path, readFileSync(path, "utf8").replace(from, to));
}

type Report = { targets: { id: string; status: string }[]; findings: { ruleId: string; target?: string; message: string }[]; changes: { target: string; kind: string; name: string; diff?: string }[] };

describe("Flux sources that exist only in a parent's render", () => {
  it("substitutes from a generated ConfigMap and Secret and reads values from a generated, hashed ConfigMap", async () => {
    const base = side();
    const head = side((dir) => {
      replaceIn(dir, "clusters/prod/kustomization.yaml", "prod-eu", "prod-us");
      replaceIn(dir, "apps/prod/demo-values.yaml", "hello from prod", "hello from prod v2");
    });
    const run = await runCli(["check", "--base", base, "--head", head, "--format", "json"]);
    const report = JSON.parse(run.stdout) as Report;
    const ids = report.targets.map((t) => t.id).sort();
    // The file targets of apps.yaml and release.yaml (deployed nowhere as their files alone make them) and their renders' children are no reviews.
    expect(ids).toEqual([DEMO, APPS, "flux:flux-system/flux-system"].sort());
    const missing = report.findings.filter((f) => f.ruleId === "gitops/substitution-source-missing" || f.ruleId === "gitops/values-source-missing");
    expect(missing).toEqual([]);
    const settings = report.changes.find((c) => c.target === APPS && c.name === "demo-settings");
    expect(settings?.diff).toContain("+  cluster: prod-us");
    const deployment = report.changes.find((c) => c.target === DEMO && c.kind === "Deployment");
    expect(deployment?.diff).toContain("hello from prod v2");
    expect(run.stdout).not.toContain(CANARY);
  });

  it("renders the release with the substituted value and the generated values, and marks only what reads a changed source", async () => {
    const base = side();
    const head = side((dir) => replaceIn(dir, "clusters/prod/kustomization.yaml", "replicas=3", "replicas=4"));
    const report = JSON.parse((await runCli(["check", "--base", base, "--head", head, "--format", "json"])).stdout) as Report;
    const affected = report.targets.filter((t) => t.status !== "unchanged").map((t) => t.id).sort();
    expect(affected).toEqual([DEMO, APPS, "flux:flux-system/flux-system"].sort());
    const deployment = report.changes.find((c) => c.target === DEMO && c.kind === "Deployment");
    expect(deployment?.diff).toMatch(/-\s+replicas: 3\n\+\s+replicas: 4/);
  });

  it("finds the chart's source where the render puts it (an overlay's namespace), not where its file leaves it", async () => {
    const edit = (dir: string) => {
      replaceIn(dir, "apps/base/demo/release.yaml", "        name: flux-system\n        namespace: flux-system\n", "        name: fleet\n");
      writeFileSync(join(dir, "apps/base/demo/source.yaml"), "apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata:\n  name: fleet\nspec:\n  url: https://github.com/example/fleet\n");
      replaceIn(dir, "apps/base/demo/kustomization.yaml", "  - settings.yaml\n", "  - settings.yaml\n  - source.yaml\n");
      mkdirSync(join(dir, ".github"), { recursive: true });
      writeFileSync(join(dir, ".github/shipshape.yml"), 'gitops:\n  repositoryUrls: ["https://github.com/example/fleet"]\n');
    };
    const head = side((d) => {
      edit(d);
      replaceIn(d, "apps/prod/demo-values.yaml", "hello from prod", "hello again");
    });
    const report = JSON.parse((await runCli(["check", "--base", side(edit), "--head", head, "--format", "json"])).stdout) as Report;
    expect(report.findings.filter((f) => f.ruleId === "gitops/source-unavailable")).toEqual([]);
    expect(report.changes.find((c) => c.target === DEMO && c.kind === "Deployment")?.diff).toContain("hello again");
  });

  it("still reports a source neither the repository nor the render has", async () => {
    const edit = (dir: string) => replaceIn(dir, "apps/base/demo/release.yaml", "name: demo-values", "name: demo-values-elsewhere");
    const report = JSON.parse((await runCli(["check", "--base", side(edit), "--head", side((d) => { edit(d); replaceIn(d, "apps/base/demo/release.yaml", "  values:\n", "  values:\n    message: inline\n"); }), "--format", "json"])).stdout) as Report;
    const missing = report.findings.filter((f) => f.ruleId === "gitops/values-source-missing").map((f) => f.message);
    expect(missing.join("\n")).toContain("ConfigMap demo/demo-values-elsewhere");
  });
});
