/** What decides the exit code of a check: the introduced findings at or above `fail-on`. */
import type { Finding, Severity } from "./model/finding.js";
import type { Report } from "./model/report.js";

export type FailOn = "never" | Severity;
export const FAIL_ON_VALUES: readonly FailOn[] = ["never", "warning", "error", "info"];

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function failingFindings(report: Report, failOn: FailOn): Finding[] {
  if (failOn === "never") return [];
  return report.findings.filter((f) => f.introduced && RANK[f.severity] >= RANK[failOn]);
}

export const EXIT = { ok: 0, failed: 1, usage: 2, toolError: 3 } as const;
