/**
 * A pull request that hands folders to Argo CD (fixtures/gitops/argocd-handover): the
 * ApplicationSet's list generator starts deploying apps/db/envs/prod, until now a folder target
 * of its own, and the Application that deployed apps/legacy goes while the folder stays. The
 * folders' objects are reviewed through the applications: no StatefulSet "removed" (a critical
 * risk nothing in the cluster does), no ConfigMap "added", no findings new only because the
 * target that reports them changed, and every format says where the objects went.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { renderMarkdown, renderText } from "../../src/present/index.js";
import type { Report } from "../../src/core/model/report.js";
import { runCli } from "../helpers/cli.js";

const FIXTURE = resolve(import.meta.dirname, "../../fixtures/gitops/argocd-handover");

describe("folders handed to (and back from) GitOps applications", () => {
  it("list no changes, cost or new findings of their own, and say where their objects are reviewed", async () => {
    const run = await runCli(["check", "--base", `dir:${FIXTURE}/base`, "--head", `dir:${FIXTURE}/head`, "--format", "json", "--fail-on", "never"]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    const target = (id: string) => report.targets.find((t) => t.id === id);

    expect(target("apps/db/envs/prod")?.handover).toEqual({ side: "head", applications: ["argocd:argocd/db-prod"] });
    expect(target("apps/legacy")?.handover).toEqual({ side: "base", applications: ["argocd:argocd/legacy"] });
    // Neither side of a handover is a folder target of the other: the rest are not handovers.
    expect(report.targets.filter((t) => t.handover).map((t) => t.id)).toEqual(["apps/db/envs/prod", "apps/legacy"]);

    const changes = report.changes.map((c) => `${c.target} ${c.action} ${c.kind} ${c.namespace ?? ""}/${c.name}`);
    expect(changes).toEqual([
      "appsets modified ApplicationSet argocd/db",
      "appsets removed Application argocd/legacy",
      "argocd:argocd/db#applicationset added Application argocd/db-prod",
      "argocd:argocd/db-prod added StatefulSet db-prod/db",
      "argocd:argocd/legacy removed ConfigMap legacy/legacy-settings",
    ]);
    // The StatefulSet the application creates is the one risk; the folder's is not "removed".
    expect(report.risk?.reasons.map((r) => `${r.ruleId} ${r.target}`)).toEqual(["statefulset-changed argocd:argocd/db-prod"]);
    expect(report.cost?.items.map((i) => i.target)).not.toContain("apps/db/envs/prod");
    // The policy findings of the prod StatefulSet were the folder target's already.
    const prod = report.findings.filter((f) => f.target === "argocd:argocd/db-prod");
    expect(prod.length).toBeGreaterThan(0);
    expect(prod.filter((f) => f.introduced)).toEqual([]);

    const text = renderText(report, { color: false });
    expect(text).toContain("handover apps/db/envs/prod is deployed by argocd:argocd/db-prod from this change on: its objects are reviewed there, not listed as removed");
    expect(text).toContain("handover apps/legacy is no longer deployed by argocd:argocd/legacy: it is reviewed as a folder from now on, its objects not listed as added");
    const markdown = renderMarkdown(report, {});
    expect(markdown).toContain("- ↪️ apps/db/envs/prod is deployed by argocd:argocd/db-prod from this change on");
  }, 120_000);
});
