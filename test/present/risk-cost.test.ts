import { describe, expect, it } from "vitest";
import type { CostReport } from "../../src/core/model/cost.js";
import type { Report } from "../../src/core/model/report.js";
import type { RiskReport } from "../../src/core/model/risk.js";
import { renderJson, renderMarkdown, renderText } from "../../src/present/index.js";
import { change, reason, report, target } from "./builders.js";
import { scanFences } from "./markdown-scan.js";


const risk: RiskReport = {
  level: "critical",
  requiresApproval: true,
  digest: "0123456789abcdef".repeat(4),
  reasons: [
    reason(),
    reason({
      ruleId: "quota-changed",
      level: "medium",
      category: "quota",
      target: "platform/quotas",
      apiVersion: "v1",
      kind: "ResourceQuota",
      namespace: "shop",
      name: "compute",
      message: "ResourceQuota shop/compute added",
      itemHash: "b".repeat(64),
      approvers: [],
      approval: undefined,
    }),
  ],
  changes: [
    { target: "platform/db", apiVersion: "apps/v1", kind: "StatefulSet", namespace: "data", name: "postgres", level: "critical" },
    { target: "platform/db", apiVersion: "v1", kind: "ConfigMap", namespace: "data", name: "cfg", level: "none" },
  ],
};

const cost: CostReport = {
  currency: "USD",
  baseMonthly: 1234.5,
  headMonthly: 1300,
  deltaMonthly: 65.5,
  deltaPercent: 5.3,
  baseMonthlyMax: 2000,
  headMonthlyMax: 2500.25,
  threshold: { monthly: 1000, percent: 25, minimumMonthly: 100, exceeded: false },
  items: [
    {
      target: "apps/api",
      apiVersion: "apps/v1",
      kind: "Deployment",
      namespace: "shop",
      name: "api",
      baseMonthly: 100,
      headMonthly: 160.5,
      deltaMonthly: 60.5,
      baseMonthlyMax: 300,
      headMonthlyMax: 481.5,
      note: "scaled by HorizontalPodAutoscaler api: 2 to 6 replicas, estimated at 2",
    },
    { target: "platform/db", apiVersion: "v1", kind: "PersistentVolumeClaim", namespace: "data", name: "wal", baseMonthly: 5, headMonthly: 0, deltaMonthly: -5 },
  ],
};

function full(overrides: Partial<Report> = {}): Report {
  return report({
    targets: [target("platform/db"), target("apps/api")],
    changes: [
      change("platform/db", "postgres", { kind: "StatefulSet", namespace: "data", summary: ["volumeClaimTemplate data storage: 10Gi → 20Gi"] }),
      change("platform/db", "cfg", { kind: "ConfigMap", namespace: "data", apiVersion: "v1" }),
    ],
    risk,
    cost,
    ...overrides,
  });
}

describe("risk and cost in Markdown", () => {
  const md = renderMarkdown(full());

  it("shows risk first, before the summary table, then cost", () => {
    const order = ["### Risk:", "| | Count | Breakdown |", "### Cost", "### Targets"].map((s) => md.indexOf(s));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it("says the level, why, and who must approve", () => {
    const start = md.indexOf("### Risk:");
    expect(md.slice(start, md.indexOf("| | Count |"))).toBe(
      [
        "### Risk: 🔴 critical · approval required",
        "",
        "1 reason of 2 needs approval before merging. Risk digest <code>0123456789ab</code>.",
        "",
        "| Level | Reason | Rule | Target | Approval |",
        "| --- | --- | --- | --- | --- |",
        "| 🔴 critical | StatefulSet data/postgres changes spec.volumeClaimTemplates | <code>statefulset-immutable-fields</code> | <code>platform/db</code> | 2 approvals from @&#8203;alice or team org/dba |",
        "| 🟡 medium | ResourceQuota shop/compute added | <code>quota-changed</code> | <code>platform/quotas</code> | — |",
        "",
        "",
      ].join("\n"),
    );
  });

  it("shows the totals and the top movers", () => {
    const start = md.indexOf("### Cost");
    expect(md.slice(start, md.indexOf("### Targets"))).toBe(
      [
        "### Cost",
        "",
        "**\\$1,234.50 → \\$1,300.00 per month (+\\$65.50, +5.3 %)** · up to \\$2,500.25 with autoscalers at their maximum",
        "",
        "| Change | Resource | Target | Monthly | Note |",
        "| ---: | --- | --- | --- | --- |",
        "| \\+\\$60.50 | Deployment <code>shop/api</code> | <code>apps/api</code> | \\$100.00 → \\$160.50 (up to \\$481.50) | scaled by HorizontalPodAutoscaler api: 2 to 6 replicas, estimated at 2 |",
        "| \\-\\$5.00 | PersistentVolumeClaim <code>data/wal</code> | <code>platform/db</code> | \\$5.00 → \\$0.00 |  |",
        "",
        "",
      ].join("\n"),
    );
  });

  it("marks each change with its level, except none", () => {
    expect(md).toContain("✏️ **StatefulSet** <code>data/postgres</code> (modified) · 🔴 critical\n");
    expect(md).toContain("✏️ **ConfigMap** <code>data/cfg</code> (modified)\n");
  });

  it("says when nothing is risky, and when the cost is over the threshold", () => {
    const calm = renderMarkdown(full({ risk: { ...risk, level: "none", requiresApproval: false, reasons: [] }, cost: { ...cost, threshold: { ...cost.threshold, exceeded: true }, items: [] } }));
    expect(calm).toContain("### Risk: ⚪ none\n\nNo change matched a risk rule.\n\n");
    expect(calm).toContain("· over the threshold (+\\$1,000.00, or +25 % when at least +\\$100.00)\n\nNo workload, volume or load balancer changes its estimate.\n");
  });

  it("lists only the ten largest movers", () => {
    const items = Array.from({ length: 13 }, (_, i) => ({ ...cost.items[1]!, name: `pvc-${i}` }));
    const many = renderMarkdown(full({ cost: { ...cost, items } }));
    expect(many.match(/PersistentVolumeClaim <code>/g)).toHaveLength(10);
    expect(many).toContain("_…and 3 more resources in the JSON report_");
  });

  it("is unchanged for a report without risk or cost", () => {
    const plain = full({ risk: undefined, cost: undefined });
    delete plain.risk;
    delete plain.cost;
    const out = renderMarkdown(plain);
    expect(out).not.toContain("### Risk");
    expect(out).not.toContain("### Cost");
    expect(out.indexOf("| | Count |")).toBe(out.indexOf("<code>feature/bump</code>\n\n") + "<code>feature/bump</code>\n\n".length);
  });

  it("escapes hostile names and messages", () => {
    const evil = "<img src=x onerror=alert(1)>";
    const out = renderMarkdown(
      full({
        risk: { ...risk, reasons: [reason({ message: `bad ${evil}`, target: evil, approvers: [evil] })] },
        cost: { ...cost, items: [{ ...cost.items[0]!, name: evil, note: evil }] },
      }),
    );
    expect(scanFences(out).outside).not.toContain("<img");
  });

  it("drops the least severe risk reasons last of all when the comment is too long", () => {
    const reasons = Array.from({ length: 400 }, (_, i) =>
      reason({ level: i < 5 ? "critical" : "low", name: `r${String(i).padStart(3, "0")}`, message: `reason number ${i} ${"x".repeat(120)}` }),
    );
    const out = renderMarkdown(full({ risk: { ...risk, reasons } }), { maxLength: 20_000 });
    expect(out.length).toBeLessThanOrEqual(20_000);
    expect(out).toContain("reason number 0 ");
    expect(out).toContain("reason number 4 ");
    expect(out).not.toContain("reason number 399 ");
    expect(out).toMatch(/- \d+ of 400 risk reasons\n/);
    expect(out).toMatch(/_…and \d+ more risk reasons not shown; run shipshape check locally_/);
  });
});

describe("risk and cost in text", () => {
  const text = renderText(full());

  it("shows risk first, then cost, then the targets", () => {
    expect(text.split("\n").slice(0, 12)).toEqual([
      "Shipshape: main → feature/bump",
      "",
      "Risk: CRITICAL — approval required for 1 of 2 reasons",
      "  critical  platform/db: StatefulSet data/postgres changes spec.volumeClaimTemplates [statefulset-immutable-fields]",
      "            needs 2 approvals from @alice or team org/dba",
      "  medium    platform/quotas: ResourceQuota shop/compute added [quota-changed]",
      `  digest ${"0123456789abcdef".repeat(4)}`,
      "",
      "Cost: $1,234.50 → $1,300.00 per month (+$65.50, +5.3 %); up to $2,500.25 with autoscalers at their maximum",
      "  +$60.50  Deployment shop/api in apps/api: $100.00 → $160.50 (up to $481.50)",
      "           scaled by HorizontalPodAutoscaler api: 2 to 6 replicas, estimated at 2",
      "   -$5.00  PersistentVolumeClaim data/wal in platform/db: $5.00 → $0.00",
    ]);
  });

  it("folds resources that cost nothing on either side into one line", () => {
    const zero = (kind: string, name: string) => ({
      target: "apps/cron",
      apiVersion: "batch/v1",
      kind,
      namespace: "batch",
      name,
      baseMonthly: 0,
      headMonthly: 0,
      deltaMonthly: 0,
      note: "Jobs and CronJobs are not estimated (cost.includeJobs is off)",
    });
    const items = [...cost.items, zero("CronJob", "mailer"), zero("Job", "migrate"), zero("CronJob", "report")];
    const folded = renderText(full({ cost: { ...cost, items } }));
    expect(folded).not.toContain("$0.00 → $0.00");
    expect(folded).toContain(
      "   -$5.00  PersistentVolumeClaim data/wal in platform/db: $5.00 → $0.00\n" +
        "  3 resources without cost: CronJob batch/mailer, Job batch/migrate, CronJob batch/report — Jobs and CronJobs are not estimated (cost.includeJobs is off)\n",
    );
    const md = renderMarkdown(full({ cost: { ...cost, items } }));
    expect(md).not.toContain("\\$0.00 → \\$0.00");
    expect(md).toContain("_3 resources without cost: CronJob batch/mailer, Job batch/migrate, CronJob batch/report — Jobs and CronJobs are not estimated (cost.includeJobs is off)_\n");
    const onlyZero = renderMarkdown(full({ cost: { ...cost, items: [zero("Job", "migrate")] } }));
    expect(onlyZero).not.toContain("| Change | Resource |");
    expect(onlyZero).toContain("_1 resource without cost: Job batch/migrate — Jobs and CronJobs are not estimated (cost.includeJobs is off)_\n");
  });

  it("marks risky changes and ends with the level and the cost delta", () => {
    expect(text).toContain("  ~ StatefulSet data/postgres [critical]\n");
    expect(text).toContain("  ~ ConfigMap data/cfg\n");
    expect(text.trimEnd().split("\n").at(-1)).toBe(
      "2 targets affected (2 rendered), 2 changes, findings: none, risk: critical (approval required), cost: +$65.50/month",
    );
  });

  it("keeps control characters out of the terminal", () => {
    const out = renderText(full({ risk: { ...risk, reasons: [reason({ message: "evil \u001b[2J" })] } }));
    expect(out).not.toContain("\u001b[2J");
  });
});

describe("risk and cost in JSON", () => {
  it("puts cost and risk after the findings, with nested keys in a fixed order", () => {
    const shuffle = <T extends object>(o: T): T => Object.fromEntries(Object.entries(o).reverse()) as T;
    const r = full({
      cost: shuffle({ ...cost, threshold: shuffle(cost.threshold), items: cost.items.map(shuffle) }),
      risk: shuffle({ ...risk, reasons: risk.reasons.map((x) => shuffle({ ...x, ...(x.approval ? { approval: shuffle(x.approval) } : {}) })), changes: risk.changes.map(shuffle) }),
    });
    const parsed = JSON.parse(renderJson(r)) as Record<string, Record<string, unknown>>;
    expect(Object.keys(parsed)).toEqual(["schemaVersion", "base", "head", "targets", "changes", "findings", "cost", "risk"]);
    const c = parsed.cost!;
    expect(Object.keys(c)).toEqual(["currency", "baseMonthly", "headMonthly", "deltaMonthly", "deltaPercent", "baseMonthlyMax", "headMonthlyMax", "threshold", "items"]);
    expect(Object.keys(c.threshold as object)).toEqual(["monthly", "percent", "minimumMonthly", "exceeded"]);
    expect(Object.keys((c.items as object[])[0]!)).toEqual([
      "target", "apiVersion", "kind", "namespace", "name", "baseMonthly", "headMonthly", "deltaMonthly", "baseMonthlyMax", "headMonthlyMax", "note",
    ]);
    const k = parsed.risk!;
    expect(Object.keys(k)).toEqual(["level", "requiresApproval", "digest", "reasons", "changes"]);
    const first = (k.reasons as Record<string, unknown>[])[0]!;
    expect(Object.keys(first)).toEqual([
      "ruleId", "level", "category", "target", "apiVersion", "kind", "namespace", "name", "message", "itemHash", "approvers", "approval",
    ]);
    expect(Object.keys(first.approval as object)).toEqual(["count", "allowAuthor", "acceptReviews", "minPermission"]);
    expect(Object.keys((k.changes as object[])[0]!)).toEqual(["target", "apiVersion", "kind", "namespace", "name", "level"]);
  });

  it("round-trips cost and risk", () => {
    const r = full();
    const parsed = JSON.parse(renderJson(r)) as Report;
    expect(parsed.cost).toEqual(cost);
    // `approval: undefined` is not JSON; the rest survives as it is.
    expect(parsed.risk).toEqual(JSON.parse(JSON.stringify(risk)));
  });
});
