/**
 * What decides the exit code of a check. `--fail-on` takes either a finding severity (the
 * introduced findings at or above it fail the check) or a risk level (the change fails when
 * its risk level is at or above it); the two scales are separate on purpose, so
 * `--fail-on high` means "risky", never "has a warning".
 */
import type { Finding, Severity } from "./model/finding.js";
import type { Report } from "./model/report.js";
import { riskRank, type RiskLevel, type RiskReason } from "./model/risk.js";

export type FailOnRisk = Exclude<RiskLevel, "none">;
export type FailOn = "never" | Severity | FailOnRisk;

const SEVERITY_VALUES: readonly Severity[] = ["info", "warning", "error"];
const RISK_VALUES: readonly FailOnRisk[] = ["low", "medium", "high", "critical"];
export const FAIL_ON_VALUES: readonly FailOn[] = ["never", ...SEVERITY_VALUES, ...RISK_VALUES];

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function isFailOn(value: string): value is FailOn {
  return (FAIL_ON_VALUES as readonly string[]).includes(value);
}

export function isRiskFailOn(failOn: FailOn): failOn is FailOnRisk {
  return (RISK_VALUES as readonly string[]).includes(failOn);
}

/** Introduced findings at or above a severity; none when `failOn` is a risk level or never. */
export function failingFindings(report: Report, failOn: FailOn): Finding[] {
  if (failOn === "never" || isRiskFailOn(failOn)) return [];
  return report.findings.filter((f) => f.introduced && !f.waived && RANK[f.severity] >= RANK[failOn]);
}

/** Risk reasons at or above a risk level; none when `failOn` is a severity or never. */
export function failingRisk(report: Report, failOn: FailOn): RiskReason[] {
  if (!isRiskFailOn(failOn) || !report.risk) return [];
  return report.risk.reasons.filter((r) => riskRank(r.level) >= riskRank(failOn));
}

/** Exit code 1 (EXIT.failed) when this is true. */
export function failsCheck(report: Report, failOn: FailOn): boolean {
  return failingFindings(report, failOn).length > 0 || failingRisk(report, failOn).length > 0;
}

export const EXIT = { ok: 0, failed: 1, usage: 2, toolError: 3 } as const;
