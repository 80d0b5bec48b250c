/**
 * A self-managing app-of-apps (fixtures/gitops/argocd-self-managed, khuedoan/homelab's layout):
 * the root chart renders ApplicationSets, one of which generates an Application for the root
 * chart's own folder. That Application must not take away the target that found it: before,
 * the root chart's target went, every application below it went as its orphan, and a change to
 * an app was "not infrastructure".
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
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
