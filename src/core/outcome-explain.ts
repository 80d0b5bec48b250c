/**
 * The one sentence that says why a check exits the way it does: which `--fail-on` level,
 * what crossed it and how many; or, when nothing did, what was seen but does not count
 * (pre-existing, waived), so "Errors (1)" above an exit 0 does not read as a bug.
 */
import type { Finding, Severity } from "./model/finding.js";
import type { Report, ReportOutcome } from "./model/report.js";
import { EXIT, failingFindings, failingRisk, isRiskFailOn, type FailOn } from "./outcome.js";
import { count } from "./words.js";

export interface OutcomeOptions {
  /** Failures of Shipshape or its tools: they make the exit code 3 whatever the findings say. */
  toolErrors?: number;
  /** How the threshold is named where the reader set it (default `--fail-on=<level>`). */
  label?: string;
}

/** Rule names listed in the sentence; the rest are counted. */
const MAX_RULES = 4;
const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export function decideOutcome(report: Report, failOn: FailOn, options: OutcomeOptions = {}): ReportOutcome {
  const label = options.label ?? `--fail-on=${failOn}`;
  const toolErrors = options.toolErrors ?? 0;
  const failing = failingReason(report, failOn, label);
  if (toolErrors > 0) {
    const tools = `${count(toolErrors, "tool error")}: Shipshape or its tools failed, not the change, so the results may be incomplete`;
    return { failOn, exitCode: EXIT.toolError, reason: failing ? `${tools}; the change also fails: ${failing}` : tools };
  }
  if (failing) return { failOn, exitCode: EXIT.failed, reason: failing };
  return { failOn, exitCode: EXIT.ok, reason: passReason(report, failOn, label) };
}

/** "Exit 1: 3 error findings introduced (…) at --fail-on=error". */
export function outcomeLine(outcome: ReportOutcome): string {
  return `Exit ${outcome.exitCode}: ${outcome.reason}`;
}

function failingReason(report: Report, failOn: FailOn, label: string): string | undefined {
  const findings = failingFindings(report, failOn);
  if (findings.length > 0) {
    const severities = [...new Set(findings.map((f) => f.severity))];
    const rules = ruleList(findings.map((f) => f.ruleId));
    if (severities.length === 1) return `${count(findings.length, `${severities[0]} finding`)} introduced (${rules}) at ${label}`;
    return `${count(findings.length, "finding")} introduced (${severityList(findings)}: ${rules}) at ${label}`;
  }
  const reasons = failingRisk(report, failOn);
  if (reasons.length > 0) {
    const level = report.risk!.level;
    return `risk level ${level} reaches ${label}: ${count(reasons.length, "reason")} at or above ${failOn} (${ruleList(reasons.map((r) => r.ruleId))})`;
  }
  return undefined;
}

function passReason(report: Report, failOn: FailOn, label: string): string {
  if (failOn === "never") return `${label}: findings and risk never fail the check`;
  if (isRiskFailOn(failOn)) {
    if (!report.risk) return `risk is not classified (risk.enabled is off), so ${label} cannot fail the check`;
    return `nothing at or above ${label} (risk ${report.risk.level})`;
  }
  // What is at the level but does not count, so the reader can square it with the findings list.
  const atLevel = report.findings.filter((f) => SEVERITY_RANK[f.severity] >= SEVERITY_RANK[failOn]);
  const preExisting = atLevel.filter((f) => !f.introduced);
  const waived = atLevel.filter((f) => f.introduced && f.waived);
  const notCounted = [
    ...(preExisting.length > 0 ? [`${severityList(preExisting)} pre-existing`] : []),
    ...(waived.length > 0 ? [`${severityList(waived)} waived`] : []),
  ];
  return `nothing at or above ${label}${notCounted.length > 0 ? ` (not counted: ${notCounted.join("; ")})` : ""}`;
}

/** "policy/require-probes ×2, schema/required, … and 3 more rules", most frequent first. */
function ruleList(ruleIds: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const id of ruleIds) counts.set(id, (counts.get(id) ?? 0) + 1);
  const sorted = [...counts].sort((a, b) => b[1] - a[1]);
  const shown = sorted.slice(0, MAX_RULES).map(([id, n]) => (n > 1 ? `${id} ×${n}` : id));
  const rest = sorted.length - shown.length;
  return rest > 0 ? `${shown.join(", ")} and ${count(rest, "more rule")}` : shown.join(", ");
}

/** "1 error, 2 warnings", most severe first. */
function severityList(findings: readonly Finding[]): string {
  const order: Severity[] = ["error", "warning", "info"];
  return order
    .map((s) => [s, findings.filter((f) => f.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => (s === "info" ? `${n} info` : count(n, s)))
    .join(", ");
}
