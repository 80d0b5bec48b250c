/**
 * The Flux fixture through the CLI, without a chart host allowed: the Kustomization's substitution
 * change is reviewed in its rendered objects, the HelmRelease (chart on a host not allowed) is
 * gitops/source-unavailable and not reviewed, the Kustomization whose source is another repository
 * too, and the review goes on. The Secret used for substitution never shows.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

const FIXTURE = join(PROJECT_ROOT, "fixtures/gitops/flux");

describe("Flux fixture end to end", () => {
  it("reviews Flux applications as targets flux:<namespace>/<name>", async () => {
    const run = await runCli(["check", "--base", join(FIXTURE, "base"), "--head", join(FIXTURE, "head"), "--format", "json"]);
    const report = JSON.parse(run.stdout);
    const findings = report.findings.map((f: { ruleId: string; target?: string }) => `${f.ruleId} ${f.target ?? ""}`);
    expect(findings).toContain("gitops/source-unavailable flux:flux-system/external");
    // The HelmRelease's chart host is not allowed on either side: a pre-existing finding, the target not reviewed (not failed).
    expect(report.targets.find((t: { id: string }) => t.id === "flux:podinfo/podinfo")?.status).toBe("skipped");
    expect(report.targets.find((t: { id: string }) => t.id === "flux:podinfo/podinfo")).toMatchObject({ controller: "flux", kind: "HelmRelease" });
    expect(report.targets.find((t: { id: string }) => t.id === "flux:flux-system/apps")).toMatchObject({ controller: "flux", kind: "Kustomization" });
    const apps = report.changes.filter((c: { target: string }) => c.target === "flux:flux-system/apps");
    expect(apps.map((c: { kind: string; name: string }) => `${c.kind}/${c.name}`)).toEqual(["ConfigMap/podinfo-config", "HelmRelease/podinfo"]);
    expect(JSON.stringify(apps)).toContain("staging-eu");
    // One review per deployed thing: the folders the Kustomizations build are no targets of their own.
    expect(report.targets.map((t: { id: string }) => t.id).sort()).toEqual(["flux:flux-system/apps", "flux:flux-system/external", "flux:flux-system/flux-system", "flux:podinfo/podinfo"]);
    // Coverage holds: every changed file is reviewed by a target that rendered, or not reviewed with a reason.
    const { reviewed, notReviewed, changedFiles } = report.coverage;
    expect(reviewed.length + notReviewed.length).toBe(changedFiles);
    expect(reviewed.find((r: { file: string }) => r.file === "clusters/staging/apps.yaml")?.targets).toEqual(["flux:flux-system/apps", "flux:flux-system/flux-system"]);
    // The HelmRelease's chart 6.7.0 → 7.0.0, seen in the Kustomization that applies it.
    expect(report.risk.reasons.map((r: { ruleId: string; level: string }) => `${r.ruleId}:${r.level}`)).toContain("helmrelease-chart-major:high");
    expect(run.stdout).not.toContain("CANARY-flux-substitute-secret-0451");
    expect(run.stderr).not.toContain("CANARY-flux-substitute-secret-0451");
  });
});
