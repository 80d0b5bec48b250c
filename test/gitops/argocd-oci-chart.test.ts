/**
 * Argo CD Applications of a chart in an OCI registry, end to end through `shipshape check`: a
 * private registry on 127.0.0.1 (the bundled helm's package served through the distribution
 * API, a token from a Basic-authenticated realm) with the operator's credentials, reached as
 * `oci://host:port/charts` and as Argo CD's scheme-less `host:port/charts`; the Applications'
 * values change and the report shows the rendered objects with that change.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { removeTestScratchDir, testScratchDir } from "../helpers/tool-options.js";
import { parseChartCredentials } from "../../src/render/chart-credentials.js";
import { startOciRegistry, type OciRegistry } from "../render/flux/oci-registry.js";
import { PODINFO_CHART } from "../render/flux/private-charts.js";

const ROBOT = { username: "argocd-robot", password: "robot-pw-0c6e41f8a2" };

let registry: OciRegistry;
beforeAll(async () => {
  registry = await startOciRegistry(PODINFO_CHART, "podinfo", ["6.7.0", "6.8.1"], { basic: ROBOT, token: "issued-token-55e1" });
});
afterAll(async () => {
  await registry.close();
  removeTestScratchDir();
});

const app = (name: string, repoURL: string, revision: string, message: string) =>
  `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: ${name}\n  namespace: argocd\nspec:\n  project: default\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n  source:\n    repoURL: ${repoURL}\n    chart: podinfo\n    targetRevision: "${revision}"\n    helm:\n      releaseName: ${name}\n      valuesObject:\n        ui:\n          message: ${message}\n`;

function side(message: string): string {
  const dir = mkdtempSync(join(testScratchDir(), "argo-oci-"));
  const files = {
    ".github/shipshape.yml": `gitops:\n  allowedHosts: ["${registry.host}"]\n`,
    "apps/with-scheme.yaml": app("with-scheme", `oci://${registry.host}/charts`, "6.7.0", message),
    "apps/scheme-less.yaml": app("scheme-less", `${registry.host}/charts`, "6.x", message),
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

describe("Argo CD Applications of a private OCI chart", () => {
  it("pulls oci:// and scheme-less registry charts with the operator's credentials and reviews their values change", async () => {
    const chartCredentials = parseChartCredentials(JSON.stringify({ [registry.host]: ROBOT }), "SHIPSHAPE_CHART_CREDENTIALS");
    const run = await runCli(["check", "--base", side("hello"), "--head", side("hello-v2"), "--format", "json"], { chartCredentials });
    const report = JSON.parse(run.stdout);
    expect(report.findings.filter((f: { ruleId: string }) => f.ruleId.startsWith("gitops/"))).toEqual([]);
    for (const name of ["with-scheme", "scheme-less"]) {
      const target = `argocd:argocd/${name}`;
      expect(report.targets.find((t: { id: string }) => t.id === target)?.status).toBe("rendered");
      const changes = report.changes.filter((c: { target: string }) => c.target === target);
      expect(changes.map((c: { action: string; kind: string; name: string }) => `${c.action} ${c.kind}/${c.name}`)).toEqual([`modified Deployment/${name}`]);
      expect(JSON.stringify(changes)).toContain("hello-v2");
    }
    const pulled = registry.seen.filter((s) => s.server === "registry" && s.authorization === "Bearer issued-token-55e1").map((s) => s.url);
    // The exact version by its tag; the range through the tag list, to its highest match.
    expect(pulled).toEqual(expect.arrayContaining(["/v2/charts/podinfo/manifests/6.7.0", "/v2/charts/podinfo/tags/list?n=10000", "/v2/charts/podinfo/manifests/6.8.1"]));
    expect(run.stdout).not.toContain(ROBOT.password);
  }, 120_000);
});
