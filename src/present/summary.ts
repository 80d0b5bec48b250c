/**
 * The counts every output format shows in its summary, computed once so the terminal
 * line, the Markdown table and any later format agree on what "affected" and
 * "pre-existing" mean.
 */
import type { ChangeAction } from "../core/model/change.js";
import type { Finding, Severity } from "../core/model/finding.js";
import type { Report, TargetStatus } from "../core/model/report.js";

export type Counts<K extends string> = Record<K, number>;

export interface ReportSummary {
  targets: {
    total: number;
    affected: number;
    /** Statuses of the affected targets only: unaffected ones are never rendered. */
    affectedByStatus: Counts<TargetStatus>;
  };
  changes: { total: number; byAction: Counts<ChangeAction> };
  findings: {
    /** Introduced and not waived: what the change is judged on. */
    introduced: number;
    introducedBySeverity: Counts<Severity>;
    /** Introduced but covered by a waiver: shown, never failing. */
    waived: number;
    preExisting: number;
    preExistingBySeverity: Counts<Severity>;
  };
}

export const CHANGE_ACTIONS: readonly ChangeAction[] = ["added", "modified", "removed", "renamed"];
export const TARGET_STATUSES: readonly TargetStatus[] = ["rendered", "unchanged", "failed", "skipped"];
/** Most severe first, the order people read findings in. */
export const SEVERITIES_DESC: readonly Severity[] = ["error", "warning", "info"];

export function summarize(report: Report): ReportSummary {
  const affectedTargets = report.targets.filter((t) => t.affected);
  const introduced = report.findings.filter((f) => f.introduced && !f.waived);
  const waived = report.findings.filter((f) => f.introduced && f.waived);
  const preExisting = report.findings.filter((f) => !f.introduced);
  return {
    targets: {
      total: report.targets.length,
      affected: affectedTargets.length,
      affectedByStatus: countBy(TARGET_STATUSES, affectedTargets.map((t) => t.status)),
    },
    changes: {
      total: report.changes.length,
      byAction: countBy(CHANGE_ACTIONS, report.changes.map((c) => c.action)),
    },
    findings: {
      introduced: introduced.length,
      introducedBySeverity: countSeverities(introduced),
      waived: waived.length,
      preExisting: preExisting.length,
      preExistingBySeverity: countSeverities(preExisting),
    },
  };
}

export function countSeverities(findings: readonly Finding[]): Counts<Severity> {
  return countBy(SEVERITIES_DESC, findings.map((f) => f.severity));
}

function countBy<K extends string>(keys: readonly K[], values: readonly K[]): Counts<K> {
  const counts = Object.fromEntries(keys.map((k) => [k, 0])) as Counts<K>;
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
