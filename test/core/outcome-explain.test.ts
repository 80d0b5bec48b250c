/** The closing line: which --fail-on level, what crossed it and how many; or what did not count. */
import { describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { decideOutcome, outcomeLine } from "../../src/core/outcome-explain.js";
import type { FailOn } from "../../src/core/outcome.js";
import { finding, reason, report } from "../present/builders.js";

const waived = { reason: "ok", source: "config" as const, where: ".github/shipshape.yml:3" };

const riskReport = (levels: ("low" | "medium" | "high" | "critical")[]): Report["risk"] => ({
  level: levels.includes("critical") ? "critical" : levels.includes("high") ? "high" : "medium",
  requiresApproval: true,
  digest: "d",
  reasons: levels.map((level, i) => reason({ level, ruleId: i % 2 === 0 ? "rbac-changed" : "service-exposed" })),
  changes: [],
});

describe("decideOutcome", () => {
  it.each<[string, Report, FailOn, string]>([
    [
      "new errors of several rules, most frequent first",
      report({ findings: [finding("schema/required", { severity: "error" }), finding("policy/require-probes", { severity: "error" }), finding("policy/require-probes", { severity: "error" })] }),
      "error",
      "Exit 1: 3 error findings introduced (policy/require-probes ×2, schema/required) at --fail-on=error",
    ],
    [
      "mixed severities at a lower level",
      report({ findings: [finding("a", { severity: "error" }), finding("b", { severity: "warning" }), finding("b", { severity: "warning" })] }),
      "warning",
      "Exit 1: 3 findings introduced (1 error, 2 warnings: b ×2, a) at --fail-on=warning",
    ],
    [
      "many rules: four named, the rest counted",
      report({ findings: ["a", "b", "c", "d", "e", "f"].map((r) => finding(r, { severity: "error" })) }),
      "error",
      "Exit 1: 6 error findings introduced (a, b, c, d and 2 more rules) at --fail-on=error",
    ],
    [
      "nothing new; what was seen but does not count is named",
      report({
        findings: [
          finding("old", { severity: "error", introduced: false }),
          finding("w", { severity: "error", waived }),
          finding("low", { severity: "warning" }),
        ],
      }),
      "error",
      "Exit 0: nothing at or above --fail-on=error (not counted: 1 error pre-existing; 1 error waived)",
    ],
    ["a clean change", report(), "error", "Exit 0: nothing at or above --fail-on=error"],
    ["never", report({ findings: [finding("a", { severity: "error" })] }), "never", "Exit 0: --fail-on=never: findings and risk never fail the check"],
    [
      "risk at or above the level",
      report({ risk: riskReport(["critical", "high", "medium"]) }),
      "high",
      "Exit 1: risk level critical reaches --fail-on=high: 2 reasons at or above high (rbac-changed, service-exposed)",
    ],
    ["risk below the level", report({ risk: riskReport(["high", "medium"]) }), "critical", "Exit 0: nothing at or above --fail-on=critical (risk high)"],
    [
      "a risk level without risk classification cannot fail",
      report({ findings: [finding("a", { severity: "error" })] }),
      "high",
      "Exit 0: risk is not classified (risk.enabled is off), so --fail-on=high cannot fail the check",
    ],
  ])("%s", (_name, r, failOn, line) => {
    expect(outcomeLine(decideOutcome(r, failOn))).toBe(line);
  });

  it("puts tool errors first (exit 3) and still says whether the change fails", () => {
    const r = report({ findings: [finding("a", { severity: "error" })] });
    expect(decideOutcome(r, "error", { toolErrors: 2 })).toEqual({
      failOn: "error",
      exitCode: 3,
      reason: "2 tool errors: Shipshape or its tools failed, not the change, so the results may be incomplete; the change also fails: 1 error finding introduced (a) at --fail-on=error",
    });
    expect(outcomeLine(decideOutcome(report(), "error", { toolErrors: 1 }))).toBe(
      "Exit 3: 1 tool error: Shipshape or its tools failed, not the change, so the results may be incomplete",
    );
  });

  it("names the threshold the way the caller set it", () => {
    expect(decideOutcome(report(), "warning", { label: "fail-on warning" }).reason).toBe("nothing at or above fail-on warning");
  });
});
