/**
 * The shape of large Flux home-lab repositories (onedr0p/home-ops): a Kustomization builds a
 * folder without a kustomization whose namespace folders add a component from elsewhere in the
 * repository and apply each app's own Flux Kustomization, which the parent patches. Before, the
 * component was missing from the build's scratch copy (the whole parent failed), and the app's
 * HelmRelease was also reviewed as its file holds it (namespace `default`, unpatched) — a thing
 * deployed nowhere — next to a child of a file target that was itself replaced.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";
import { removeTestScratchDir, testScratchDir } from "../helpers/tool-options.js";

const FIXTURE = join(PROJECT_ROOT, "fixtures/gitops/flux-nested");
const RELEASE = "flux:demo/web@demo/web@flux-system/cluster-apps";

afterAll(() => removeTestScratchDir());

function side(edit: (dir: string) => void = () => {}): string {
  const dir = mkdtempSync(join(testScratchDir(), "flux-nested-"));
  cpSync(FIXTURE, dir, { recursive: true });
  edit(dir);
  return dir;
}

describe("Flux Kustomizations nested through generated kustomizations", () => {
  it("builds the parent with components from elsewhere and reviews the release only as the chain deploys it", async () => {
    const base = side();
    const head = side((dir) => {
      const file = join(dir, "kubernetes/apps/demo/web/app/helmrelease.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("message: hello", "message: hello v2"));
    });
    const run = await runCli(["check", "--base", base, "--head", head, "--format", "json", "--fail-on", "never"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const ids = report.targets.map((t: { id: string }) => t.id).sort();
    // No file target of the HelmRelease (deployed nowhere as written), no child of a replaced file target.
    expect(ids).toEqual([RELEASE, "flux:demo/web@flux-system/cluster-apps", "flux:flux-system/cluster-apps", "kubernetes/flux/cluster"]);
    const release = report.targets.find((t: { id: string }) => t.id === RELEASE);
    expect(release).toMatchObject({ affected: true, status: "rendered", resources: { base: 1, head: 1 } });
    const deployment = report.changes.find((c: { target: string; kind: string }) => c.target === RELEASE && c.kind === "Deployment");
    expect(deployment).toMatchObject({ action: "modified", namespace: "demo", name: "web" });
    expect(deployment.diff).toContain("+              value: hello v2");
  });

  it("renders the parent with the component's objects in each namespace folder", async () => {
    const dir = side();
    const run = await runCli(["check", "--base", dir, "--head", side((d) => writeFileSync(join(d, "kubernetes/components/common/settings.yaml"), readFileSync(join(FIXTURE, "kubernetes/components/common/settings.yaml"), "utf8").replace("example.org", "example.net"))), "--format", "json", "--fail-on", "never"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const parent = report.targets.find((t: { id: string }) => t.id === "flux:flux-system/cluster-apps");
    expect(parent).toMatchObject({ affected: true, status: "rendered" });
    expect(report.changes).toEqual([expect.objectContaining({ target: "flux:flux-system/cluster-apps", kind: "ConfigMap", namespace: "demo", name: "cluster-settings", action: "modified" })]);
  });

  it("points findings in a Flux Kustomization's render at the repository file and line they come from", async () => {
    const head = side((d) => writeFileSync(join(d, "kubernetes/components/common/settings.yaml"), "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cluster-settings\ndata:\n  DOMAIN: example.org\ndatta:\n  typo: here\n"));
    const run = await runCli(["check", "--base", side(), "--head", head, "--format", "json", "--fail-on", "never"]);
    expect(run.code, run.stderr).toBe(0);
    const report = JSON.parse(run.stdout);
    const finding = report.findings.find((f: { ruleId: string; target: string }) => f.ruleId === "schema/unknown-field" && f.target === "flux:flux-system/cluster-apps");
    expect(finding).toMatchObject({ file: "kubernetes/components/common/settings.yaml", line: 7 });
  });
});
