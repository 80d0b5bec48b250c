/**
 * The top of the comment: heading and what was compared, then (after the risk section)
 * the summary table.
 */
import type { Severity } from "../../core/model/finding.js";
import type { Report } from "../../core/model/report.js";
import { countBreakdown, plural, severityCount } from "../format.js";
import { CHANGE_ACTIONS, SEVERITIES_DESC, TARGET_STATUSES, type Counts, type ReportSummary } from "../summary.js";
import { markdownCode } from "./escape.js";

export const HEADING = "## Shipshape\n\n";

export const SEVERITY_EMOJI: Record<Severity, string> = {
  error: "❌",
  warning: "⚠️",
  info: "ℹ️",
};

/** The whole intro when no target is affected: one line, nothing to expand. */
export function shortIntro(summary: ReportSummary): string {
  const checked = summary.targets.total > 0 ? ` (${plural(summary.targets.total, "target")} checked)` : "";
  return `${HEADING}No target is affected by this change${checked}.\n\n`;
}

export function fullIntro(report: Report): string {
  return `${HEADING}${markdownCode(report.base.ref)} → ${markdownCode(report.head.ref)}\n\n`;
}

export function summaryTable(summary: ReportSummary): string {
  const { targets, changes, findings } = summary;
  const rows = [
    row("Targets affected", `${targets.affected} of ${targets.total}`, countBreakdown(TARGET_STATUSES, targets.affectedByStatus)),
    row("Changes", `${changes.total}`, countBreakdown(CHANGE_ACTIONS, changes.byAction)),
    row("Findings", `${findings.introduced}`, severityCells(findings.introducedBySeverity)),
  ];
  if (findings.waived > 0) rows.push(row("Waived findings", `${findings.waived}`, "shown below, not failing the check"));
  if (findings.preExisting > 0) {
    rows.push(row("Pre-existing findings", `${findings.preExisting}`, severityCells(findings.preExistingBySeverity)));
  }
  return `| | Count | Breakdown |\n| --- | ---: | --- |\n${rows.join("")}\n`;
}

function row(label: string, count: string, breakdown: string): string {
  return `| ${label} | ${count} | ${breakdown || "—"} |\n`;
}

function severityCells(counts: Counts<Severity>): string {
  return SEVERITIES_DESC.filter((s) => counts[s] > 0)
    .map((s) => `${SEVERITY_EMOJI[s]} ${severityCount(counts[s], s)}`)
    .join(", ");
}
