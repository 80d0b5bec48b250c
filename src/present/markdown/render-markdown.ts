/**
 * The pull-request comment. It leads with the risk (who must look before merging), then
 * the summary, cost and findings (what a reviewer must act on), then folds each affected
 * target's changes into a collapsible section, and always fits GitHub's comment size limit.
 */
import type { Report, ReportOutcome } from "../../core/model/report.js";
import { escapeMarkdown } from "./escape.js";
import { summarize } from "../summary.js";
import { findingLists } from "./findings.js";
import { fitLayout } from "./fit.js";
import { costSection } from "./cost.js";
import { coverageMarkdown } from "./coverage.js";
import { fullIntro, shortIntro, summaryTable } from "./intro.js";
import type { MarkdownLayout } from "./layout.js";
import { riskList } from "./risk.js";
import { targetSections, unaffectedTargets } from "./targets.js";

export interface MarkdownOptions {
  /**
   * Upper bound on the result's length in UTF-16 code units (JavaScript string length).
   * GitHub rejects comments over 65,536 characters; the default leaves room for the
   * marker and wrapper the publisher adds.
   */
  maxLength?: number;
  /** What the closing note says the report was shortened to fit (default: "the comment limit of N characters"). */
  limitLabel?: string;
  /** A sentence the closing note adds about where else the full results are. */
  seeAlso?: string;
  /** The note's closing hint (see NoteWords.fullReport). */
  fullReport?: string;
}

export const DEFAULT_MAX_LENGTH = 65_000;

export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxLength = Math.max(0, Math.floor(options.maxLength ?? DEFAULT_MAX_LENGTH));
  return fitLayout(markdownLayout(report), maxLength, { ...(options.limitLabel ? { limitLabel: options.limitLabel } : {}), ...(options.seeAlso ? { seeAlso: options.seeAlso } : {}), ...(options.fullReport !== undefined ? { fullReport: options.fullReport } : {}) });
}

function markdownLayout(report: Report): MarkdownLayout {
  const layout = layoutParts(report);
  return report.outcome ? { ...layout, closing: outcomeMarkdown(report.outcome) } : layout;
}

/** "**Exit 1**: 3 error findings introduced (…) at --fail-on=error". */
function outcomeMarkdown(outcome: ReportOutcome): string {
  const mark = outcome.exitCode === 0 ? "✅" : outcome.exitCode === 1 ? "❌" : "⚠️";
  return `${mark} **Exit ${outcome.exitCode}**: ${escapeMarkdown(outcome.reason)}\n\n`;
}

function layoutParts(report: Report): MarkdownLayout {
  const summary = summarize(report);
  const findings = findingLists(report.findings, report.resolved ?? []);
  const sections = targetSections(report);
  const risk = riskList(report.risk);
  const cost = costSection(report.cost);
  if (sections.items.length === 0) {
    // Nothing to expand: the short line, plus findings (config errors can exist without targets).
    // A file the change touches that nobody reviewed is never quiet.
    const notReviewed = (report.coverage?.notReviewed.length ?? 0) > 0;
    const quiet = { summary: notReviewed ? coverageMarkdown(report) : "", cost: "", findings, sections, unaffected: { full: "", compact: "" } };
    return { intro: shortIntro(summary), ...quiet, ...(risk && report.risk!.reasons.length > 0 ? { risk } : {}) };
  }
  return {
    intro: fullIntro(report),
    ...(risk ? { risk } : {}),
    summary: summaryTable(summary) + coverageMarkdown(report),
    cost,
    findings,
    sections,
    unaffected: unaffectedTargets(report, sections),
  };
}
