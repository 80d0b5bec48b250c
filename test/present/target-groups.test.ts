/**
 * Targets grouped by controller in every format: Argo CD applications, Flux applications,
 * then the folder targets. Headings only once a GitOps application is listed; ApplicationSet
 * and Flux `@<parent>` targets go with their controller; the Markdown headings are fitted
 * and dropped with their sections.
 */
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { renderMarkdown, renderReport } from "../../src/present/index.js";
import { renderCheckRun } from "../../src/present/check-run.js";
import { bigDiff, change, finding, report, target } from "./builders.js";
import { scanFences } from "./markdown-scan.js";

function gitops(): Report {
  return report({
    targets: [
      target("apps/api"),
      target("apps/db", { affected: false, status: "unchanged" }),
      target("argocd:argocd/guestbook", { type: "argocd", kind: "Application", path: "guestbook" }),
      target("argocd:argocd/set#applicationset", { type: "argocd", kind: "ApplicationSet", path: "appsets", status: "failed", error: "generator needs the cluster" }),
      target("flux:apps/web@flux-system/apps", { type: "flux", kind: "Kustomization", path: "apps", affected: false, status: "unchanged" }),
      target("flux:flux-system/podinfo", { type: "flux", kind: "HelmRelease", path: "clusters/prod" }),
    ],
    changes: [
      change("apps/api", "api"),
      change("flux:flux-system/podinfo", "podinfo", { summary: ["replicas: 1 → 2"] }),
      change("argocd:argocd/guestbook", "guestbook-ui"),
    ],
    findings: [finding("policy/require-probes", { target: "flux:flux-system/podinfo" })],
  });
}

const folders = report({ targets: [target("apps/api"), target("apps/db", { affected: false, status: "unchanged" })], changes: [change("apps/api", "api")] });

describe("Markdown target list grouped by controller", () => {
  it("heads each controller's sections, in the order Argo CD, Flux, folders, with the application kind", () => {
    const md = renderMarkdown(gitops());
    const targets = md.slice(md.indexOf("### Targets"));
    const lines = targets.split("\n").filter((l) => l.startsWith("####") || l.startsWith("<summary>"));
    expect(lines).toEqual([
      "#### Argo CD applications",
      "<summary><code>argocd:argocd/guestbook</code> · argocd Application · 1 change</summary>",
      "<summary><code>argocd:argocd/set#applicationset</code> · argocd ApplicationSet · render failed</summary>",
      "#### Flux applications",
      "<summary><code>flux:flux-system/podinfo</code> · flux HelmRelease · 1 change · 1 warning</summary>",
      "#### Folder targets",
      "<summary><code>apps/api</code> · kustomize · 1 change</summary>",
      "<summary>2 unaffected targets</summary>",
    ]);
    // The unaffected list is grouped too; a Flux target found in a parent's render is Flux's.
    expect(targets).toContain("**Flux applications:** <code>flux:apps/web@&#8203;flux-system/apps</code>\n\n**Folder targets:** <code>apps/db</code>");
  });

  it("reads as before for a report of folders alone: no group headings", () => {
    const md = renderMarkdown(folders);
    expect(md).not.toContain("####");
    expect(md).toContain("<summary>1 unaffected target</summary>\n\n<code>apps/db</code>\n\n</details>");
  });

  it("fits headings into the size limit: a heading goes only with the last section of its group", () => {
    const big = gitops();
    big.changes = big.changes.map((c) => ({ ...c, diff: bigDiff(c.name, 400) }));
    big.changes.push(...Array.from({ length: 30 }, (_, i) => change("apps/api", `extra-${i}`, { diff: bigDiff(`extra-${i}`, 200) })));
    for (const maxLength of [4000, 2500, 1500]) {
      const md = renderMarkdown(big, { maxLength });
      expect(md.length).toBeLessThanOrEqual(maxLength);
      scanFences(md); // throws on an unclosed fence
      const headings = md.split("\n").filter((l) => l.startsWith("#### "));
      const sections = md.split("\n").filter((l) => l.startsWith("<summary><code>"));
      // Every heading shown heads at least one section of its group shown after it.
      if (headings.includes("#### Flux applications")) expect(sections.some((s) => s.includes("flux:"))).toBe(true);
      if (headings.includes("#### Folder targets")) expect(sections.some((s) => s.includes("apps/api"))).toBe(true);
      expect(sections.some((s) => s.includes("argocd:"))).toBe(headings.includes("#### Argo CD applications"));
    }
    // Small enough that sections go from the end: the folders' heading goes with its only section.
    const tight = renderMarkdown(big, { maxLength: 1500 });
    expect(tight).not.toContain("#### Folder targets");
    expect(tight).toMatch(/Left out:[\s\S]*<code>apps\/api<\/code>/);
  });

  it("keeps the check run's text grouped, and says which applications the change reaches in its summary", () => {
    const run = renderCheckRun(gitops(), { failOn: "error" });
    expect(run.text).toContain("#### Argo CD applications");
    expect(run.summary).toContain("- **Affected:** 2 Argo CD applications, 1 Flux application, 1 folder target\n");
    expect(renderCheckRun(folders, { failOn: "error" }).summary).not.toContain("**Affected:**");
  });
});

describe("text target list grouped by controller", () => {
  it("heads each group inside one aligned table and groups the changes the same way", () => {
    const text = renderReport(gitops(), "text");
    const table = text.split("\n\n")[1]!.split("\n");
    expect(table.map((l) => l.split(/\s{2,}/).slice(0, 3).join(" | "))).toEqual([
      "TARGET | TYPE | STATUS",
      "Argo CD applications:",
      "argocd:argocd/guestbook | argocd Application | rendered",
      "argocd:argocd/set#applicationset | argocd ApplicationSet | failed",
      "Flux applications:",
      "flux:apps/web@flux-system/apps | flux Kustomization | unchanged",
      "flux:flux-system/podinfo | flux HelmRelease | rendered",
      "Folder targets:",
      "apps/api | kustomize | rendered",
      "apps/db | kustomize | unchanged",
    ]);
    const changes = text.slice(text.indexOf("Changes\n"), text.indexOf("Findings\n"));
    expect(changes.split("\n").filter((l) => l !== "" && !l.startsWith(" "))).toEqual([
      "Changes",
      "Argo CD applications:",
      "argocd:argocd/guestbook (1 change)",
      "Flux applications:",
      "flux:flux-system/podinfo (1 change)",
      "Folder targets:",
      "apps/api (1 change)",
    ]);
  });

  it("has no headings for folders alone", () => {
    const text = renderReport(folders, "text");
    expect(text).not.toContain("Folder targets");
  });
});

describe("machine-readable controller and kind", () => {
  it("JSON: GitOps targets carry controller and kind after type; folder targets are as before", () => {
    const json = JSON.parse(renderReport(gitops(), "json"));
    const byId = new Map(json.targets.map((t: { id: string }) => [t.id, t]));
    expect(Object.keys(byId.get("flux:flux-system/podinfo") as object).slice(0, 5)).toEqual(["id", "type", "controller", "kind", "path"]);
    expect(byId.get("argocd:argocd/set#applicationset")).toMatchObject({ type: "argocd", controller: "argocd", kind: "ApplicationSet" });
    expect(byId.get("flux:apps/web@flux-system/apps")).toMatchObject({ type: "flux", controller: "flux", kind: "Kustomization" });
    expect(Object.keys(byId.get("apps/api") as object)).toEqual(["id", "type", "path", "affected", "status", "renderer", "resources", "durationMs"]);
  });

  it("SARIF: a result on a GitOps target names its controller", () => {
    const r = gitops();
    r.findings.push(finding("policy/no-latest", { id: "id-2", target: "apps/api" }));
    const sarif = JSON.parse(renderReport(r, "sarif"));
    const props = sarif.runs[0].results.map((res: { properties: Record<string, unknown> }) => [res.properties.target, res.properties.controller ?? null]);
    expect(props).toEqual(expect.arrayContaining([["flux:flux-system/podinfo", "flux"], ["apps/api", null]]));
  });
});
