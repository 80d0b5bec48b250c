/** The coverage section of the terminal report: what the change touches and what was not reviewed. */
import type { Report } from "../../core/model/report.js";
import { coverageHeadline, handoverLine, movedFromLine, MAX_LISTED_FILES, notReviewedLine, standaloneLine } from "../coverage.js";
import { sanitizeForTerminal, type Paint } from "./ansi.js";

export function coverageSection(report: Report, verbose: boolean, paint: Paint): string[] {
  const coverage = report.coverage;
  if (!coverage || coverage.changedFiles === 0) return [];
  const lines = [`${paint("bold", "Coverage")}: ${coverageHeadline(coverage)}`];
  for (const t of report.targets.filter((t) => t.standaloneFor)) lines.push(`  ${paint("cyan", "alone")} ${sanitizeForTerminal(standaloneLine(t))}`);
  for (const t of report.targets.filter((t) => t.handover)) lines.push(`  ${paint("cyan", "handover")} ${sanitizeForTerminal(handoverLine(t))}`);
  for (const t of report.targets.filter((t) => t.movedFrom)) lines.push(`  ${paint("cyan", "moved")} ${sanitizeForTerminal(movedFromLine(t))}`);
  const listed = coverage.notReviewed.slice(0, MAX_LISTED_FILES);
  for (const entry of listed) lines.push(`  ${paint("yellow", "not reviewed")} ${sanitizeForTerminal(notReviewedLine(entry))}`);
  if (coverage.notReviewed.length > listed.length) lines.push(`  …and ${coverage.notReviewed.length - listed.length} more not reviewed (see --format json)`);
  if (verbose) for (const r of coverage.reviewed) lines.push(`  ${paint("green", "reviewed")} ${sanitizeForTerminal(`${r.file} (${r.targets.join(", ")})`)}`);
  return [...lines, ""];
}
