import { describe, expect, it } from "vitest";
import { parseCliArgs } from "../../src/cli/args.js";
import type { Report } from "../../src/core/model/report.js";
import type { RiskLevel, RiskReason } from "../../src/core/model/risk.js";
import { failingFindings, failingRisk, failsCheck, FAIL_ON_VALUES, type FailOn } from "../../src/core/outcome.js";

function reason(level: RiskLevel): RiskReason {
  return { ruleId: "r", level, category: "rbac", target: "t", apiVersion: "v1", kind: "Role", namespace: "", name: "n", message: "m", itemHash: "h", approvers: [] };
}

function report(level: RiskLevel, findings: Report["findings"] = []): Report {
  const reasons = level === "none" ? [] : [reason(level)];
  return {
    schemaVersion: 1,
    base: { ref: "a" },
    head: { ref: "b" },
    targets: [],
    changes: [],
    findings,
    risk: { level, requiresApproval: false, digest: "d", reasons, changes: [] },
  };
}

const warning = { id: "x", source: "schema" as const, ruleId: "schema/type", severity: "warning" as const, message: "m", target: "t", introduced: true };

describe("--fail-on with risk levels", () => {
  it("accepts risk levels as well as severities", () => {
    expect(FAIL_ON_VALUES).toEqual(["never", "info", "warning", "error", "low", "medium", "high", "critical"]);
    for (const value of FAIL_ON_VALUES) {
      const parsed = parseCliArgs(["check", "--base", "a", "--head", "b", "--fail-on", value]);
      expect(parsed).toMatchObject({ command: "check", failOn: value });
    }
  });

  it("rejects anything else, listing what is allowed", () => {
    expect(parseCliArgs(["check", "--base", "a", "--head", "b", "--fail-on", "none"])).toEqual({
      command: "usage-error",
      message: '--fail-on must be one of never, info, warning, error, low, medium, high, critical (got "none")',
    });
  });

  it.each<[FailOn, RiskLevel, boolean]>([
    ["high", "high", true],
    ["high", "critical", true],
    ["high", "medium", false],
    ["low", "low", true],
    ["critical", "high", false],
    ["high", "none", false],
  ])("--fail-on %s with risk %s fails: %s", (failOn, level, fails) => {
    expect(failsCheck(report(level), failOn)).toBe(fails);
    expect(failingRisk(report(level), failOn).length > 0).toBe(fails);
  });

  it("keeps the two scales apart: a risk level ignores findings, a severity ignores risk", () => {
    expect(failingFindings(report("none", [warning]), "high")).toEqual([]);
    expect(failsCheck(report("none", [warning]), "high")).toBe(false);
    expect(failsCheck(report("critical"), "warning")).toBe(false);
    expect(failsCheck(report("critical", [warning]), "warning")).toBe(true);
  });

  it("passes a risk level when the report has no risk section", () => {
    const { risk: _risk, ...noRisk } = report("critical");
    expect(failsCheck(noRisk, "low")).toBe(false);
  });
});
