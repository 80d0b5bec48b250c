import { describe, expect, it } from "vitest";
import type { CostReport } from "../../src/core/model/cost.js";
import { summaryMarkdown } from "../../action/src/main.js";
import { ANNOTATIONS_PER_LEVEL, actionOutputs, cappedNote, findingAnnotations, formatCostDelta, SUMMARY_LIMIT_BYTES } from "../../action/src/outputs.js";
import { bigDiff, change, finding, report, target } from "../present/builders.js";

function cost(deltaMonthly: number, currency = "USD"): CostReport {
  return { currency, baseMonthly: 100, headMonthly: 100 + deltaMonthly, deltaMonthly, deltaPercent: null, threshold: { monthly: 1000, percent: 25, minimumMonthly: 100, exceeded: false }, items: [] };
}

describe("outputs", () => {
  it("formats the cost delta signed, with its currency", () => {
    expect(formatCostDelta(cost(62.11))).toBe("+62.11 USD");
    expect(formatCostDelta(cost(-4))).toBe("-4.00 USD");
    expect(formatCostDelta(cost(0, "EUR"))).toBe("0.00 EUR");
    expect(formatCostDelta(cost(-0.001))).toBe("0.00 USD");
    expect(formatCostDelta(undefined)).toBe("");
  });

  it("counts introduced findings no waiver covers", () => {
    const r = report({
      findings: [
        finding("a"),
        finding("b", { introduced: false }),
        finding("c", { waived: { reason: "ok", source: "config", where: ".github/shipshape.yml:3" } }),
        finding("d", { severity: "info" }),
      ],
      risk: { level: "high", requiresApproval: false, digest: "d", reasons: [], changes: [] },
      cost: cost(12.5),
    });
    expect(actionOutputs(r, "/tmp/r.json")).toEqual({ "risk-level": "high", "requires-approval": "false", "cost-delta": "+12.50 USD", findings: "2", "report-json": "/tmp/r.json" });
  });

  it("leaves risk and cost empty when they are off", () => {
    expect(actionOutputs(report(), "r.json")).toMatchObject({ "risk-level": "", "requires-approval": "false", "cost-delta": "", findings: "0" });
  });
});

describe("annotations", () => {
  it("maps severities to error, warning and notice, errors first, with file and line", () => {
    const r = report({
      findings: [
        finding("p/info", { severity: "info", file: "a.yaml", line: 3 }),
        finding("p/err", { severity: "error", file: "b.yaml", line: 7, resource: { apiVersion: "v1", kind: "Service", namespace: "web", name: "api" } }),
        finding("p/nofile", { severity: "warning", line: 9 }),
        finding("p/old", { severity: "error", introduced: false, file: "c.yaml" }),
      ],
    });
    expect(findingAnnotations(r)).toEqual({
      list: [
        { level: "error", message: "p/err fired (apps/api: Service web/api)", properties: { title: "Shipshape: p/err", file: "b.yaml", startLine: 7 } },
        // No file: the line alone would point nowhere.
        { level: "warning", message: "p/nofile fired (apps/api)", properties: { title: "Shipshape: p/nofile" } },
        { level: "notice", message: "p/info fired (apps/api)", properties: { title: "Shipshape: p/info", file: "a.yaml", startLine: 3 } },
      ],
      capped: [],
    });
  });

  it(`stops at ${ANNOTATIONS_PER_LEVEL} per level and says so`, () => {
    const many = Array.from({ length: ANNOTATIONS_PER_LEVEL + 5 }, (_, i) => finding(`p/${i}`, { severity: "error", file: "f.yaml", line: i + 1 }));
    const result = findingAnnotations(report({ findings: [...many, finding("w")] }));
    expect(result.list.filter((a) => a.level === "error")).toHaveLength(ANNOTATIONS_PER_LEVEL);
    expect(result.list.filter((a) => a.level === "warning")).toHaveLength(1);
    expect(result.capped).toEqual([{ level: "error", shown: ANNOTATIONS_PER_LEVEL, total: ANNOTATIONS_PER_LEVEL + 5 }]);
    expect(cappedNote(result.capped)).toContain(`Annotations shown: ${ANNOTATIONS_PER_LEVEL} of ${ANNOTATIONS_PER_LEVEL + 5} error annotations`);
    expect(cappedNote([])).toBe("");
  });
});

describe("the job summary", () => {
  it("adds the capped note and tool errors after the report", () => {
    const text = summaryMarkdown(report(), ["charts/web: helm not found"], { list: [], capped: [{ level: "warning", shown: 10, total: 12 }] });
    expect(text).toContain("## Shipshape");
    expect(text).toContain("10 of 12 warning annotations");
    expect(text).toContain("### Tool errors");
    expect(text).toContain("charts/web: helm not found");
  });

  it("stays within GitHub's 1 MiB limit, counted in UTF-8 bytes", () => {
    // Three-byte characters: a report that fits in UTF-16 length can still be over in bytes.
    const changes = Array.from({ length: 40 }, (_, i) => change("apps/api", `api-${i}`, { diff: bigDiff(`名前-${i}`, 800).replace(/[a-z]/g, "語") }));
    const r = report({ targets: [target("apps/api")], changes });
    const text = summaryMarkdown(r, [], { list: [], capped: [] });
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(SUMMARY_LIMIT_BYTES);
    expect(text).toContain("## Shipshape");
  });
});
