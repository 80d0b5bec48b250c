/**
 * An Application whose source folder a config management plugin renders (argocd-example-apps'
 * `plugins/kustomized-helm`: a kustomization of an `all.yaml` the plugin writes first). Shipshape
 * cannot run the plugin, so the Application is not reviewed — and the folder is not reviewed as a
 * plain kustomization either, which would fail on the missing file and cry wolf.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.js";
import { removeTestScratchDir, testScratchDir } from "../helpers/tool-options.js";

afterAll(() => removeTestScratchDir());

function repo(replicas: number): string {
  const dir = mkdtempSync(join(testScratchDir(), "plugin-"));
  mkdirSync(join(dir, "apps"));
  mkdirSync(join(dir, "plugins/kustomized-helm"), { recursive: true });
  writeFileSync(
    join(dir, "apps/app.yaml"),
    "apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: kustomized-helm\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: .\n    path: plugins/kustomized-helm\n    plugin:\n      name: kustomized-helm\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: web\n",
  );
  writeFileSync(join(dir, "plugins/kustomized-helm/kustomization.yaml"), "resources:\n  - ./all.yaml\n");
  writeFileSync(join(dir, "plugins/kustomized-helm/values.yaml"), `replicas: ${replicas}\n`);
  return dir;
}

describe("Argo CD Applications rendered by a config management plugin", () => {
  it("leave their folder to the Application (not reviewed), not to a kustomize target that fails", async () => {
    const run = await runCli(["check", "--base", repo(1), "--head", repo(2), "--format", "json", "--fail-on", "error"]);
    const report = JSON.parse(run.stdout);
    expect(report.targets.map((t: { id: string; status: string }) => `${t.id} ${t.status}`).sort()).toEqual(["apps unchanged", "argocd:argocd/kustomized-helm skipped"]);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(["gitops/unsupported"]);
    expect(run.code, run.stderr).toBe(0);
  });
});
