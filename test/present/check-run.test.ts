import { describe, expect, it } from "vitest";
import type { CostReport } from "../../src/core/model/cost.js";
import type { Finding } from "../../src/core/model/finding.js";
import type { RiskReason, RiskReport } from "../../src/core/model/risk.js";
import { renderCheckRun } from "../../src/present/check-run.js";
import { renderMarkdown } from "../../src/present/index.js";
import { bigDiff, change, finding, reason as baseReason, report, target } from "./builders.js";

const LIMIT = 65_535;

function reason(overrides: Partial<RiskReason> = {}): RiskReason {
  return baseReason({
    ruleId: "statefulset-changed",
    level: "high",
    message: "StatefulSet data/postgres changed",
    approvers: ["alice"],
    approval: { count: 1, allowAuthor: false, acceptReviews: true, minPermission: "write" },
    ...overrides,
  });
}

const risk: RiskReport = {
  level: "high",
  requiresApproval: true,
  digest: "d".repeat(64),
  reasons: [reason(), reason({ ruleId: "image-only", level: "low", category: "image", message: "only images change", approval: undefined })],
  changes: [],
};

const cost: CostReport = {
  currency: "USD",
  baseMonthly: 113.06,
  headMonthly: 175.17,
  deltaMonthly: 62.11,
  deltaPercent: 54.9,
  threshold: { monthly: 1000, percent: 25, minimumMonthly: 100, exceeded: true },
  items: [],
};

const deployment = { apiVersion: "apps/v1", kind: "Deployment", namespace: "prod", name: "api" };

const small = report({
  targets: [target("apps/api")],
  findings: [
    finding("policy/limits", { severity: "warning", file: "apps/api/deploy.yaml", line: 20, message: "no limits" }),
    finding("policy/no-latest", {
      severity: "error",
      file: "apps/api/deploy.yaml",
      line: 12,
      message: "uses :latest",
      resource: deployment,
      path: "spec.template.spec.containers[0].image",
    }),
    finding("render/failed", { severity: "error", source: "render", message: "helm failed" }),
    finding("policy/old", { severity: "error", introduced: false, file: "a.yaml", line: 1 }),
    finding("policy/waived", { severity: "error", file: "b.yaml", line: 3, waived: { reason: "ok", source: "config", where: ".github/shipshape.yml:3" } }),
  ],
  risk,
  cost,
});

describe("renderCheckRun", () => {
  it("fails on introduced findings at or above fail-on, with a compact summary", () => {
    const out = renderCheckRun(small, { failOn: "error", detailsNote: "Full report: [the PR comment](https://example.invalid/c/1)." });
    expect(out.conclusion).toBe("failure");
    expect(out.title).toBe("2 new errors, 1 new warning · risk high · +$62.11/month");
    expect(out.summary).toBe(
      [
        "❌ **Failed**: 2 error findings introduced (policy/no-latest, render/failed) at fail-on error.",
        "",
        "- **Risk:** 🟠 high · 1 reason needs approval",
        "- **Cost:** \\$113.06 → \\$175.17 per month (+\\$62.11, +54.9 %) · over the threshold (+\\$1,000.00, or +25 % when at least +\\$100.00)",
        "- **New findings:** ❌ 2 errors, ⚠️ 1 warning · 1 waived · 1 pre-existing, not counted",
        "",
        "**Failing:**",
        "",
        "- ❌ <code>policy/no-latest</code>: uses :latest (<code>apps/api/deploy.yaml:12</code>)",
        "- ❌ <code>render/failed</code>: helm failed (<code>apps/api</code>)",
        "",
        "Full report: [the PR comment](https://example.invalid/c/1).",
        "",
      ].join("\n"),
    );
    expect(out.text).toBe(renderMarkdown(small, { maxLength: LIMIT }));
  });

  it("annotates introduced, unwaived findings with a file and line, most severe first", () => {
    expect(renderCheckRun(small, { failOn: "error" }).annotations).toEqual([
      {
        path: "apps/api/deploy.yaml",
        start_line: 12,
        end_line: 12,
        annotation_level: "failure",
        title: "policy/no-latest",
        message: "uses :latest\n\nResource: apps/v1 Deployment prod/api\nField: spec.template.spec.containers[0].image\nTarget: apps/api",
      },
      {
        path: "apps/api/deploy.yaml",
        start_line: 20,
        end_line: 20,
        annotation_level: "warning",
        title: "policy/limits",
        message: "no limits\n\nTarget: apps/api",
      },
    ]);
  });

  it("maps info findings to notices", () => {
    const r = report({ findings: [finding("schema/no-schema", { severity: "info", file: "crd.yaml", line: 4, message: "no schema" })] });
    expect(renderCheckRun(r, { failOn: "error" }).annotations.map((a) => a.annotation_level)).toEqual(["notice"]);
  });

  it("passes when nothing reaches fail-on", () => {
    const out = renderCheckRun(small, { failOn: "never" });
    expect(out.conclusion).toBe("success");
    expect(out.summary).toBe(
      [
        "✅ **Passed**: fail-on never: findings and risk never fail the check.",
        "",
        "- **Risk:** 🟠 high · 1 reason needs approval",
        "- **Cost:** \\$113.06 → \\$175.17 per month (+\\$62.11, +54.9 %) · over the threshold (+\\$1,000.00, or +25 % when at least +\\$100.00)",
        "- **New findings:** ❌ 2 errors, ⚠️ 1 warning · 1 waived · 1 pre-existing, not counted",
        "",
      ].join("\n"),
    );
  });

  it("says so when a clean change passes", () => {
    const out = renderCheckRun(report({ targets: [target("apps/api")] }), { failOn: "warning" });
    expect(out).toEqual({
      conclusion: "success",
      title: "No new findings",
      summary: "✅ **Passed**: nothing at or above fail-on warning.\n\n- **New findings:** none\n",
      text: renderMarkdown(report({ targets: [target("apps/api")] }), { maxLength: LIMIT }),
      annotations: [],
    });
  });

  it("puts changed files that were not reviewed first in the title and lists them in the summary", () => {
    const coverage = {
      changedFiles: 3,
      reviewed: [{ file: "apps/api/kustomization.yaml", targets: ["apps/api"] }],
      notInfrastructure: 1,
      notReviewed: [{ file: "components/x/kustomization.yaml", reason: "unused" as const, message: "no target reads it: it is the kustomization file of Component components/x, which no target uses" }],
    };
    const out = renderCheckRun(report({ targets: [target("apps/api")], coverage }), { failOn: "warning" });
    expect(out.conclusion).toBe("success");
    expect(out.title).toBe("1 changed file not reviewed · no new findings");
    expect(out.summary).toBe(
      [
        "✅ **Passed**: nothing at or above fail-on warning.",
        "",
        "- **New findings:** none",
        "- **Coverage:** ⚠️ 3 changed files: 1 reviewed, 1 not infrastructure, 1 not reviewed",
        "",
        "**1 changed file not reviewed:**",
        "",
        "- <code>components/x/kustomization.yaml</code>: no target reads it: it is the kustomization file of Component components/x, which no target uses (unused)",
        "",
      ].join("\n"),
    );
  });

  it("fails on risk when fail-on is a risk level, listing the reasons at or above it", () => {
    const out = renderCheckRun(small, { failOn: "high" });
    expect(out.conclusion).toBe("failure");
    expect(out.summary.split("\n")[0]).toBe("❌ **Failed**: risk level high reaches fail-on high: 1 reason at or above high (statefulset-changed).");
    expect(out.summary).toContain(
      "**Failing:**\n\n- 🟠 high <code>statefulset-changed</code>: StatefulSet data/postgres changed (<code>platform/db</code>)\n",
    );
    expect(renderCheckRun(small, { failOn: "critical" }).conclusion).toBe("success");
  });

  it("is neutral, not failed, when Shipshape or its tools broke", () => {
    const clean = report({ targets: [target("apps/api")] });
    const out = renderCheckRun(clean, { failOn: "error", toolErrors: ["helm: exec format error\nat line 2 <b>"] });
    expect(out.conclusion).toBe("neutral");
    expect(out.title).toBe("1 tool error in Shipshape · no new findings");
    expect(out.summary).toBe(
      [
        "⚠️ **Incomplete**: Shipshape could not finish its job. This is a problem with Shipshape or its tools, not with this change; the results below may be incomplete.",
        "",
        "- **New findings:** none",
        "",
        "**Tool errors** (not caused by this change):",
        "",
        "- helm: exec format error at line 2 &lt;b&gt;",
        "",
      ].join("\n"),
    );
  });

  it("fails rather than going neutral when the change fails and a tool broke too", () => {
    const out = renderCheckRun(small, { failOn: "error", toolErrors: ["kubectl crashed", "helm crashed"] });
    expect(out.conclusion).toBe("failure");
    expect(out.title).toBe("2 tool errors in Shipshape · 2 new errors, 1 new warning · risk high · +$62.11/month");
    expect(out.summary).toContain("**Tool errors** (not caused by this change):\n\n- kubectl crashed\n- helm crashed\n");
  });

  it("caps annotations, most severe first then by file and line, and says how many were left out", () => {
    const findings: Finding[] = [];
    const severities = ["info", "warning", "error"] as const;
    for (let i = 0; i < 700; i++) {
      findings.push(finding(`policy/p${i}`, { id: `f${i}`, severity: severities[i % 3]!, file: `f${i % 7}.yaml`, line: 1000 - i }));
    }
    const r = report({ findings });
    const out = renderCheckRun(r, { failOn: "never" });
    expect(out.annotations).toHaveLength(500);
    const levels = out.annotations.map((a) => a.annotation_level);
    expect(levels.slice(0, 233).every((l) => l === "failure")).toBe(true);
    expect(levels.slice(233, 466).every((l) => l === "warning")).toBe(true);
    expect(levels.slice(466).every((l) => l === "notice")).toBe(true);
    for (let i = 1; i < out.annotations.length; i++) {
      const [a, b] = [out.annotations[i - 1]!, out.annotations[i]!];
      if (a.annotation_level === b.annotation_level) expect(a.path < b.path || (a.path === b.path && a.start_line < b.start_line)).toBe(true);
    }
    expect(out.summary).toContain("_200 line annotations left out: 500 of 700 are shown, most severe first._");

    const three = renderCheckRun(r, { failOn: "never", maxAnnotations: 3 }).annotations;
    expect(three.map((a) => [a.path, a.start_line])).toEqual([
      ["f0.yaml", 314],
      ["f0.yaml", 335],
      ["f0.yaml", 356],
    ]);
    expect(renderCheckRun(r, { failOn: "never", maxAnnotations: 700 }).summary).not.toContain("left out");
  });

  it("stays within GitHub's limits on a huge report", () => {
    const long = "x".repeat(5000);
    const findings: Finding[] = [];
    for (let i = 0; i < 3000; i++) {
      findings.push(finding(`policy/${"r".repeat(300)}${i}`, { id: `f${i}`, severity: "error", message: `${long} & <@team> ${i}`, file: `d/${i}.yaml`, line: 1 }));
    }
    findings.push(finding("policy/emoji", { severity: "error", message: "🙂".repeat(40_000), file: "a.yaml", line: 1 }));
    const targets = Array.from({ length: 40 }, (_, i) => target(`apps/t${i}`));
    const changes = targets.map((t) => change(t.id, "api", { diff: bigDiff(t.id, 2000) }));
    const huge = report({ targets, changes, findings, risk, cost });
    const out = renderCheckRun(huge, {
      failOn: "error",
      toolErrors: Array.from({ length: 200 }, (_, i) => `tool ${i} ${long}`),
      detailsNote: "n".repeat(100_000),
    });
    expect(out.conclusion).toBe("failure");
    expect(out.summary.length).toBeLessThanOrEqual(LIMIT);
    expect(out.text.length).toBeLessThanOrEqual(LIMIT);
    expect(out.title.length).toBeLessThanOrEqual(1000);
    expect(out.summary).toMatch(/- _…and \d+ more failing items_\n/);
    expect(out.summary).toMatch(/- _…and \d+ more tool errors_\n/);
    expect(out.annotations).toHaveLength(500);
    for (const a of out.annotations) {
      expect(a.title.length).toBeLessThanOrEqual(255);
      expect(Buffer.byteLength(a.message, "utf8")).toBeLessThanOrEqual(64_000);
    }
    const emoji = out.annotations.find((a) => a.path === "a.yaml")!;
    // Messages are cut at 2,000 characters (never inside a surrogate pair), saying how long they were.
    expect(emoji.message.startsWith(`${"🙂".repeat(1000)}… (80000 characters)\n\n`)).toBe(true);
  });
});
