/**
 * The GitHub check run for a report: a conclusion, a one-line title, a compact summary, the
 * full Markdown report as text, and line annotations for the findings the change introduces.
 * Pure; the publisher sends it (GitHub takes at most 50 annotations per request, so it batches).
 *
 * "Shipshape broke" is kept apart from "the change is bad": tool errors alone make the run
 * neutral, never failed, and the title and summary say whose problem it is.
 */
import { formatSignedMoney } from "../core/cost/format-money.js";
import type { Finding, Severity } from "../core/model/finding.js";
import { describeRef } from "../core/model/resource.js";
import type { Report } from "../core/model/report.js";
import type { RiskReason } from "../core/model/risk.js";
import { failingFindings, failingRisk, failsCheck, type FailOn } from "../core/outcome.js";
import { findingLocation, plural, severityCount } from "./format.js";
import { clipText, escapeMarkdown, escapePlain, markdownCode, MAX_NAME, MAX_TEXT } from "./markdown/escape.js";
import { SEVERITY_EMOJI } from "./markdown/intro.js";
import { renderMarkdown } from "./markdown/render-markdown.js";
import { safeSlice } from "./markdown/safe-slice.js";
import { approvalCount, costFacts, costHeadline, LEVEL_EMOJI } from "./risk-cost.js";
import { SEVERITIES_DESC, summarize, type Counts } from "./summary.js";
import { coverageHeadline, notReviewedPhrase, unexpectedNotReviewed } from "./coverage.js";
import { decideOutcome } from "../core/outcome-explain.js";
import { countByRule } from "./finding-groups.js";
import { groupByController, showsGroupHeadings } from "./target-groups.js";

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  title: string;
  message: string;
  raw_details?: string;
}

export interface CheckRunOutput {
  conclusion: "success" | "failure" | "neutral";
  title: string;
  summary: string;
  text: string;
  annotations: CheckAnnotation[];
}

export interface CheckRunOptions {
  failOn: FailOn;
  /** What broke inside Shipshape or its tools (not the user's input); makes the run neutral. */
  toolErrors?: string[];
  /** Annotations kept, most severe first (default 500). */
  maxAnnotations?: number;
  /** Markdown appended to the summary, e.g. a link to the PR comment. */
  detailsNote?: string;
}

/** GitHub's limit on a check run's `output.summary` and `output.text`, in characters. */
export const CHECK_RUN_TEXT_LIMIT = 65_535;
export const CHECK_RUN_TITLE_LIMIT = 1000;
export const DEFAULT_MAX_ANNOTATIONS = 500;
/** GitHub: an annotation title is at most 255 characters, its message at most 64 KB. */
const ANNOTATION_TITLE_LIMIT = 255;
const ANNOTATION_MESSAGE_BYTES = 64_000;
/** A message and the resource it is about; the report has the rest. */
const ANNOTATION_MESSAGE_CHARS = 8_000;

/** Budgets inside the summary, so its parts together stay well under the limit. */
const FAILING_BUDGET = 30_000;
const TOOL_ERROR_BUDGET = 20_000;
const NOT_REVIEWED_BUDGET = 8_000;
const NOTE_LIMIT = 4_000;
/** Per line of a summary list: enough to recognise the problem, the text has the rest. */
const LINE_PART_LIMIT = 300;

const ANNOTATION_LEVEL: Record<Severity, CheckAnnotation["annotation_level"]> = {
  error: "failure",
  warning: "warning",
  info: "notice",
};

export function renderCheckRun(report: Report, options: CheckRunOptions): CheckRunOutput {
  const toolErrors = options.toolErrors ?? [];
  const conclusion = failsCheck(report, options.failOn) ? "failure" : toolErrors.length > 0 ? "neutral" : "success";
  const annotated = annotatedFindings(report);
  const max = annotationCap(options.maxAnnotations);
  const annotations = annotated.slice(0, max).map(toAnnotation);
  return {
    conclusion,
    title: checkTitle(report, toolErrors),
    summary: checkSummary(report, { ...options, toolErrors, conclusion, annotated: annotated.length, shown: annotations.length }),
    text: renderMarkdown(report, { maxLength: CHECK_RUN_TEXT_LIMIT }),
    annotations,
  };
}

function annotationCap(value: number | undefined): number {
  if (value === undefined || Number.isNaN(value)) return DEFAULT_MAX_ANNOTATIONS;
  return Math.max(0, Math.floor(value));
}

/** "2 new errors · risk high · +$62.11/month". */
function checkTitle(report: Report, toolErrors: readonly string[]): string {
  const parts: string[] = [];
  if (toolErrors.length > 0) parts.push(`${plural(toolErrors.length, "tool error")} in Shipshape`);
  // Before the findings: "no new findings" must not read as "all reviewed".
  const notReviewed = notReviewedPhrase(report.coverage);
  if (notReviewed) parts.push(notReviewed);
  parts.push(newFindingsPhrase(summarize(report).findings.introducedBySeverity));
  if (report.risk && report.risk.level !== "none") parts.push(`risk ${report.risk.level}`);
  if (report.cost && report.cost.deltaMonthly !== 0) parts.push(`${formatSignedMoney(report.cost.deltaMonthly, report.cost.currency)}/month`);
  const title = parts.join(" · ");
  return clip(title.charAt(0).toUpperCase() + title.slice(1), CHECK_RUN_TITLE_LIMIT);
}

function newFindingsPhrase(counts: Counts<Severity>): string {
  const parts = SEVERITIES_DESC.filter((s) => counts[s] > 0).map((s) => (s === "info" ? `${counts[s]} new info` : plural(counts[s], `new ${s}`)));
  return parts.length > 0 ? parts.join(", ") : "no new findings";
}

interface SummaryInput {
  failOn: FailOn;
  toolErrors: string[];
  detailsNote?: string;
  conclusion: CheckRunOutput["conclusion"];
  /** Findings eligible for an annotation, and how many of them were kept. */
  annotated: number;
  shown: number;
}

function checkSummary(report: Report, input: SummaryInput): string {
  const blocks = [verdict(report, input)];
  const facts = factLines(report);
  if (facts.length > 0) blocks.push(facts.join("\n"));
  if (input.conclusion === "failure") blocks.push(failingBlock(report, input.failOn));
  if (input.toolErrors.length > 0) blocks.push(toolErrorBlock(input.toolErrors));
  if (unexpectedNotReviewed(report.coverage) > 0) blocks.push(notReviewedBlock(report));
  if (input.shown < input.annotated) {
    const left = input.annotated - input.shown;
    blocks.push(`_${plural(left, "line annotation")} left out: ${input.shown} of ${input.annotated} are shown, most severe first._`);
  }
  if (input.detailsNote) blocks.push(clip(input.detailsNote, NOTE_LIMIT));
  return fitSummary(`${blocks.join("\n\n")}\n`);
}

function verdict(report: Report, input: SummaryInput): string {
  // The same sentence the CLI closes with, minus the exit code a check run does not have.
  const why = escapeMarkdown(decideOutcome(report, input.failOn, { label: `fail-on ${input.failOn}` }).reason);
  if (input.conclusion === "failure") return `❌ **Failed**: ${why}.`;
  if (input.conclusion === "neutral") {
    return (
      "⚠️ **Incomplete**: Shipshape could not finish its job. This is a problem with Shipshape or its tools, " +
      "not with this change; the results below may be incomplete."
    );
  }
  return `✅ **Passed**: ${why}.`;
}

function factLines(report: Report): string[] {
  const lines: string[] = [];
  if (report.risk) {
    const needing = approvalCount(report.risk.reasons);
    const approval = needing > 0 ? `${plural(needing, "reason")} need${needing === 1 ? "s" : ""} approval` : "no approval needed";
    lines.push(`- **Risk:** ${LEVEL_EMOJI[report.risk.level]} ${report.risk.level} · ${approval}`);
  }
  if (report.cost) {
    const facts = [costHeadline(report.cost), ...costFacts(report.cost)].map(escapeMarkdown).join(" · ");
    lines.push(`- **Cost:** ${facts}`);
  }
  // Which applications the change reaches, by controller, once there are GitOps applications.
  const affected = groupByController(report.targets.filter((t) => t.affected), (t) => t.type);
  if (showsGroupHeadings(affected)) lines.push(`- **Affected:** ${affected.map((g) => plural(g.items.length, g.noun)).join(", ")}`);
  const { findings } = summarize(report);
  const counts = SEVERITIES_DESC.filter((s) => findings.introducedBySeverity[s] > 0)
    .map((s) => `${SEVERITY_EMOJI[s]} ${severityCount(findings.introducedBySeverity[s], s)}`)
    .join(", ");
  const extra = [
    ...(findings.waived > 0 ? [`${findings.waived} waived`] : []),
    ...(findings.preExisting > 0 ? [`${findings.preExisting} pre-existing, not counted`] : []),
  ];
  lines.push(`- **New findings:** ${[counts || "none", ...extra].join(" · ")}`);
  const resolved = report.resolved ?? [];
  if (resolved.length > 0) {
    const rules = countByRule(resolved).map((c) => markdownCode(clip(c.ruleId, LINE_PART_LIMIT)) + (c.count > 1 ? ` ×${c.count}` : ""));
    const shown = rules.slice(0, 10).join(", ") + (rules.length > 10 ? `, …and ${rules.length - 10} more rules` : "");
    lines.push(`- **Fixed:** ✅ ${plural(resolved.length, "finding")} on the base gone on the head (${shown})`);
  }
  // Only when something calls for attention: a fully reviewed change needs no extra line.
  if (report.coverage && unexpectedNotReviewed(report.coverage) > 0) {
    lines.push(`- **Coverage:** ⚠️ ${escapeMarkdown(coverageHeadline(report.coverage))}`);
  }
  return lines;
}

function failingBlock(report: Report, failOn: FailOn): string {
  const lines = [...failingFindings(report, failOn).map(failingFindingLine), ...failingRisk(report, failOn).map(failingRiskLine)];
  return `**Failing:**\n\n${boundedList(lines, FAILING_BUDGET, "failing item")}`;
}

function failingFindingLine(finding: Finding): string {
  const where = markdownCode(clip(findingLocation(finding) ?? finding.target, LINE_PART_LIMIT));
  return `- ${SEVERITY_EMOJI[finding.severity]} ${markdownCode(clip(finding.ruleId, LINE_PART_LIMIT))}: ${escapeMarkdown(clip(finding.message, LINE_PART_LIMIT))} (${where})`;
}

function failingRiskLine(reason: RiskReason): string {
  const rule = markdownCode(clip(reason.ruleId, LINE_PART_LIMIT));
  return `- ${LEVEL_EMOJI[reason.level]} ${reason.level} ${rule}: ${escapeMarkdown(clip(reason.message, LINE_PART_LIMIT))} (${markdownCode(clip(reason.target, LINE_PART_LIMIT))})`;
}

function notReviewedBlock(report: Report): string {
  const lines = report.coverage!.notReviewed.filter((e) => e.reason !== "ignored").map(
    (e) => `- ${markdownCode(clip(e.file, LINE_PART_LIMIT))}: ${escapeMarkdown(clip(e.message, LINE_PART_LIMIT))} (${e.reason})`,
  );
  return `**${notReviewedPhrase(report.coverage)}:**\n\n${boundedList(lines, NOT_REVIEWED_BUDGET, "file")}`;
}

function toolErrorBlock(toolErrors: readonly string[]): string {
  const lines = toolErrors.map((e) => `- ${escapeMarkdown(clip(e, 1000))}`);
  return `**Tool errors** (not caused by this change):\n\n${boundedList(lines, TOOL_ERROR_BUDGET, "tool error")}`;
}

/** Lines while they fit the budget, then one line saying how many were left out. */
function boundedList(lines: readonly string[], budget: number, noun: string): string {
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > budget) break;
    kept.push(line);
    used += line.length + 1;
  }
  const left = lines.length - kept.length;
  if (left > 0) kept.push(`- _…and ${plural(left, `more ${noun}`)}_`);
  return kept.join("\n");
}

/** A backstop: the parts are budgeted, but a huge note or a pathological message must not break the call. */
function fitSummary(summary: string): string {
  if (summary.length <= CHECK_RUN_TEXT_LIMIT) return summary;
  const note = "\n\n_…cut to fit GitHub's limit._\n";
  return safeSlice(summary, CHECK_RUN_TEXT_LIMIT - note.length) + note;
}

/** Introduced, unwaived findings on a HEAD file line, most severe first, then by file and line. */
function annotatedFindings(report: Report): Finding[] {
  const eligible = report.findings.filter(
    (f) => f.introduced && !f.waived && f.file && f.line !== undefined && Number.isInteger(f.line) && f.line >= 1,
  );
  const rank = (f: Finding) => SEVERITIES_DESC.indexOf(f.severity);
  return eligible.sort((a, b) => rank(a) - rank(b) || compareText(a.file!, b.file!) || a.line! - b.line!);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toAnnotation(finding: Finding): CheckAnnotation {
  const identity = [
    ...(finding.resource ? [`Resource: ${finding.resource.apiVersion} ${describeRef(finding.resource)}`] : []),
    ...(finding.path ? [`Field: ${finding.path}`] : []),
    `Target: ${finding.target}`,
  ];
  // Plain text on GitHub, but still neutralised: no mention, reference, link or marker.
  return {
    path: finding.file!,
    start_line: finding.line!,
    end_line: finding.line!,
    annotation_level: ANNOTATION_LEVEL[finding.severity],
    title: clip(escapePlain(finding.ruleId, MAX_NAME), ANNOTATION_TITLE_LIMIT),
    message: clipUtf8(escapePlain(`${clipText(finding.message, MAX_TEXT)}\n\n${identity.map((line) => clipText(line, MAX_NAME * 2)).join("\n")}`, ANNOTATION_MESSAGE_CHARS), ANNOTATION_MESSAGE_BYTES),
  };
}

/** At most `max` characters, ending in "…" when cut. */
function clip(text: string, max: number): string {
  if (text.length <= max) return text;
  return `${safeSlice(text, max - 1)}…`;
}

/** At most `maxBytes` bytes of UTF-8, ending in "…" (3 bytes) when cut. */
function clipUtf8(text: string, maxBytes: number): string {
  if (text.length * 3 <= maxBytes || utf8Length(text) <= maxBytes) return text;
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = utf8Size(ch.codePointAt(0)!);
    if (bytes + size > maxBytes - 3) break;
    bytes += size;
    end += ch.length;
  }
  return `${text.slice(0, end)}…`;
}

function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) bytes += utf8Size(ch.codePointAt(0)!);
  return bytes;
}

function utf8Size(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}
