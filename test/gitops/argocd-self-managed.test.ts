/**
 * A self-managing app-of-apps (fixtures/gitops/argocd-self-managed, khuedoan/homelab's layout):
 * the root chart renders ApplicationSets, one of which generates an Application for the root
 * chart's own folder. That Application must not take away the target that found it: before,
 * the root chart's target went, every application below it went as its orphan, and a change to
 * an app was "not infrastructure".
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/gitops/argocd-self-managed");

describe("a root chart whose ApplicationSet deploys the root chart itself", () => {
  it("keeps the applications it generates, and reviews a change to an app through its Application", async () => {
    const run = await runCli(["check", "--base", `dir:${FIXTURE}/base`, "--head", `dir:${FIXTURE}/head`, "--format", "json", "--fail-on", "never"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.targets.map((t) => t.id)).toEqual([
      "argocd:default/apps#applicationset",
      "argocd:default/bootstrap#applicationset",
      "argocd:default/root",
      "argocd:default/web",
      "bootstrap/root",
    ]);
    expect(report.changes.map((c) => `${c.target} ${c.action} ${c.kind} ${c.namespace}/${c.name} ${c.summary.join("; ")}`)).toEqual([
      "argocd:default/web modified Deployment web/web image web: nginx:1.27.1 → nginx:1.27.2",
    ]);
    expect(report.coverage?.reviewed.map((r) => [r.file, r.targets])).toEqual([["apps/web/deployment.yaml", ["argocd:default/web"]]]);
  }, 60_000);
});

describe("applications gone from the head while a head target did not render", () => {
  const work = mkdtempSync(join(tmpdir(), "shipshape-self-managed-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("are reported as removals not verified, naming the target that may define them", async () => {
    // The ApplicationSets move from the root chart into a chart whose dependency is on a host
    // the config does not allow (homelab's move into its Argo CD chart's values).
    const head = join(work, "head");
    cpSync(join(FIXTURE, "base"), head, { recursive: true });
    rmSync(join(head, "bootstrap/root"), { recursive: true });
    mkdirSync(join(head, "system/argocd"), { recursive: true });
    writeFileSync(
      join(head, "system/argocd/Chart.yaml"),
      "apiVersion: v2\nname: argocd\nversion: 0.0.0\ndependencies:\n  - name: argo-cd\n    version: 6.4.1\n    repository: https://argoproj.github.io/argo-helm\n",
    );
    writeFileSync(join(head, "system/argocd/values.yaml"), "argo-cd:\n  server:\n    applicationsets:\n      apps:\n        generators: []\n");
    const run = await runCli(["check", "--base", `dir:${FIXTURE}/base`, "--head", `dir:${head}`, "--format", "json", "--fail-on", "never"]);
    const report = JSON.parse(run.stdout) as Report;
    const unverified = report.findings.filter((f) => f.ruleId === "gitops/removal-unverified");
    expect(unverified).toHaveLength(1);
    expect(unverified[0]).toMatchObject({ target: "system/argocd", severity: "warning", introduced: true });
    expect(unverified[0]!.message).toBe(
      "4 GitOps applications of the base are not in the head (argocd:default/apps#applicationset, argocd:default/bootstrap#applicationset, argocd:default/root, argocd:default/web), " +
        "and 1 target of the head did not render (system/argocd): an application it would define is not seen, so these removals are not verified. " +
        "Make those targets render (allow their chart hosts in gitops.allowedHosts, vendor their dependencies) to review them.",
    );
    // The removals are still listed and still need a person.
    expect(report.risk?.reasons.some((r) => r.ruleId === "gitops-application-removed")).toBe(true);
  }, 60_000);
});
