/**
 * Terminal output for `shipshape check`: what was rendered, what changed, what is wrong,
 * and one closing line a person (or a CI log search) can read at a glance.
 */
import type { Change, ChangeAction } from "../../core/model/change.js";
import type { Finding, Severity } from "../../core/model/finding.js";
import type { Report, TargetReport, TargetStatus } from "../../core/model/report.js";
import type { RiskLevel } from "../../core/model/risk.js";
import {
  countBreakdown,
  describeChange,
  findingLocation,
  formatDuration,
  groupChangesByTarget,
  hookNote,
  plural,
  previousRef,
  rendererLabel,
  severityBreakdown,
} from "../format.js";
import { SEVERITIES_DESC, TARGET_STATUSES, summarize, type ReportSummary } from "../summary.js";
import { makePaint, sanitizeForTerminal, type Paint, type Style } from "./ansi.js";
import { changeLevels } from "../risk-cost.js";
import { costSection, LEVEL_STYLE, riskCostSummary, riskSection } from "./risk-cost.js";
import { formatTable, type Cell } from "./table.js";
import { groupByController, showsGroupHeadings } from "../target-groups.js";
import { coverageSection } from "./coverage.js";
import { notReviewedPhrase } from "../coverage.js";
import { outcomeLine } from "../../core/outcome-explain.js";
import { preExistingSection, resolvedSection, resolvedSummary } from "./finding-groups.js";

export interface TextOptions {
  /** Emit ANSI color codes. Off unless the caller knows the output is a color terminal. */
  color?: boolean;
  /** Show each change's diff. */
  verbose?: boolean;
}

const ACTION_MARK: Record<ChangeAction, { mark: string; style: Style }> = {
  added: { mark: "+", style: "green" },
  removed: { mark: "-", style: "red" },
  modified: { mark: "~", style: "yellow" },
  renamed: { mark: ">", style: "cyan" },
};

const STATUS_STYLE: Record<TargetStatus, Style> = {
  rendered: "green",
  unchanged: "dim",
  failed: "red",
  skipped: "yellow",
};

const SEVERITY_HEADING: Record<Severity, { title: string; style: Style }> = {
  error: { title: "Errors", style: "red" },
  warning: { title: "Warnings", style: "yellow" },
  info: { title: "Info", style: "blue" },
};

const SUMMARY_INDENT = "      ";

export function renderText(report: Report, options: TextOptions = {}): string {
  const paint = makePaint(options.color ?? false);
  const lines = [
    headerLine(report, paint),
    "",
    // Risk first: it says who must look before anything else is read.
    ...riskSection(report.risk, paint),
    ...costSection(report.cost, paint),
    ...targetSection(report.targets, paint),
    ...changeSection(report, options.verbose ?? false, paint),
    ...findingSection(report.findings.filter((f) => f.introduced), paint),
    ...resolvedSection(report.resolved ?? [], paint),
    ...preExistingSection(report.findings.filter((f) => !f.introduced), options.verbose ?? false, paint),
    ...coverageSection(report, options.verbose ?? false, paint),
    summaryLine(summarize(report)) + resolvedSummary(report) + coverageSummary(report) + riskCostSummary(report.risk, report.cost),
    ...(report.outcome ? [paint(report.outcome.exitCode === 0 ? "green" : "red", outcomeLine(report.outcome))] : []),
  ];
  return `${lines.join("\n")}\n`;
}

function headerLine(report: Report, paint: Paint): string {
  const base = sanitizeForTerminal(report.base.ref);
  const head = sanitizeForTerminal(report.head.ref);
  return `${paint("bold", "Shipshape")}: ${base} → ${head}`;
}

function targetSection(targets: readonly TargetReport[], paint: Paint): string[] {
  if (targets.length === 0) return ["No targets found.", ""];
  const groups = groupByController(targets, (t) => t.type);
  const ordered = groups.flatMap((g) => g.items);
  const rows: Cell[][] = ordered.map((t) => [
    { text: sanitizeForTerminal(t.id) },
    { text: t.kind ? `${t.type} ${sanitizeForTerminal(t.kind)}` : t.type },
    { text: t.status, style: STATUS_STYLE[t.status] },
    { text: sanitizeForTerminal(rendererLabel(t.renderer)) },
    // Unaffected targets are not rendered, so they have no counts or timings to show.
    { text: t.affected ? `${t.resources.base} → ${t.resources.head}` : "–" },
    { text: t.affected ? formatDuration(t.durationMs) : "–", style: "dim" },
  ]);
  const [header = "", ...lines] = formatTable(["TARGET", "TYPE", "STATUS", "RENDERER", "RESOURCES", "DURATION"], rows, paint);
  // One table, so columns line up across groups; a heading line opens each group.
  const table = showsGroupHeadings(groups) ? [header, ...groups.flatMap((g) => [paint("bold", `${g.title}:`), ...lines.splice(0, g.items.length)])] : [header, ...lines];
  const errors = ordered.filter((t) => t.error).flatMap((t) => targetError(t, paint));
  return [...table, ...(errors.length > 0 ? ["", ...errors] : []), ""];
}

function targetError(target: TargetReport, paint: Paint): string[] {
  const [first = "", ...rest] = (target.error ?? "").trimEnd().split("\n");
  // A skipped target is not reviewed (a source it cannot read, the time budget): not an error of the change.
  const label = target.status === "skipped" ? paint("yellow", `${sanitizeForTerminal(target.id)} not reviewed:`) : paint("red", `${sanitizeForTerminal(target.id)} ${target.status === "failed" ? "failed" : "error"}:`);
  return [`${label} ${sanitizeForTerminal(first)}`, ...rest.map((l) => `  ${sanitizeForTerminal(l)}`)];
}

function changeSection(report: Report, verbose: boolean, paint: Paint): string[] {
  const groups = groupChangesByTarget(report);
  if (groups.length === 0) return ["No changes.", ""];
  const lines = [paint("bold", "Changes")];
  const levelOf = changeLevels(report);
  const typeOf = new Map(report.targets.map((t) => [t.id, t.type]));
  const byController = groupByController(groups, (g) => typeOf.get(g.target));
  const headings = showsGroupHeadings(byController);
  for (const controller of byController) {
    if (headings) lines.push("", paint("bold", `${controller.title}:`));
    for (const group of controller.items) {
      lines.push("", `${paint("bold", sanitizeForTerminal(group.target))} (${plural(group.changes.length, "change")})`);
      for (const change of group.changes) lines.push(...changeLines(change, verbose, paint, levelOf(change)));
    }
  }
  return [...lines, ""];
}

function changeLines(change: Change, verbose: boolean, paint: Paint, level: RiskLevel | undefined): string[] {
  const { mark, style } = ACTION_MARK[change.action];
  const previous = previousRef(change);
  const renamed = change.action === "renamed" && previous !== undefined ? ` (renamed from ${previous})` : "";
  const badge = level && level !== "none" ? ` ${paint(LEVEL_STYLE[level], `[${level}]`)}` : "";
  const lines = [`  ${paint(style, mark)} ${sanitizeForTerminal(describeChange(change) + hookNote(change) + renamed)}${badge}`];
  for (const s of change.summary) lines.push(`${SUMMARY_INDENT}${sanitizeForTerminal(s)}`);
  if (verbose && change.diff !== "") lines.push(...diffLines(change.diff, paint));
  return lines;
}

function diffLines(diff: string, paint: Paint): string[] {
  const lines = diff.replace(/\n$/, "").split("\n");
  return lines.map((line) => `${SUMMARY_INDENT}${paintDiffLine(sanitizeForTerminal(line), paint)}`);
}

function paintDiffLine(line: string, paint: Paint): string {
  if (line.startsWith("+++") || line.startsWith("---")) return paint("bold", line);
  if (line.startsWith("@@")) return paint("cyan", line);
  if (line.startsWith("+")) return paint("green", line);
  if (line.startsWith("-")) return paint("red", line);
  return line;
}

function findingSection(findings: readonly Finding[], paint: Paint): string[] {
  if (findings.length === 0) return [];
  const lines = [paint("bold", "Findings")];
  for (const severity of SEVERITIES_DESC) {
    const group = findings.filter((f) => f.severity === severity);
    if (group.length === 0) continue;
    const { title, style } = SEVERITY_HEADING[severity];
    lines.push("", paint(style, `${title} (${group.length})`));
    for (const finding of group) lines.push(...findingLines(finding, paint));
  }
  return [...lines, ""];
}

function findingLines(finding: Finding, paint: Paint): string[] {
  const where = sanitizeForTerminal(findingLocation(finding) ?? finding.target);
  const [first = "", ...rest] = finding.message.split("\n");
  const waived = finding.waived ? paint("dim", ` (waived: ${sanitizeForTerminal(finding.waived.reason)} — ${sanitizeForTerminal(finding.waived.where)})`) : "";
  return [
    `  ${where}: ${sanitizeForTerminal(first)} ${paint("dim", `[${sanitizeForTerminal(finding.ruleId)}]`)}${waived}`,
    ...rest.map((l) => `${SUMMARY_INDENT}${sanitizeForTerminal(l)}`),
  ];
}

/** ", 2 changed files not reviewed" after the summary line, when some are. */
function coverageSummary(report: Report): string {
  const phrase = notReviewedPhrase(report.coverage);
  return phrase ? `, ${phrase}` : "";
}

/** e.g. "3 targets affected (2 rendered, 1 failed), 7 changes, findings: 1 error, 2 warnings". */
export function summaryLine(summary: ReportSummary): string {
  const statuses = countBreakdown(TARGET_STATUSES, summary.targets.affectedByStatus);
  const targets = `${plural(summary.targets.affected, "target")} affected${statuses ? ` (${statuses})` : ""}`;
  const changes = plural(summary.changes.total, "change");
  const introduced = severityBreakdown(summary.findings.introducedBySeverity) || "none";
  const extra = [
    summary.findings.waived > 0 ? `${summary.findings.waived} waived` : "",
    summary.findings.preExisting > 0 ? `${summary.findings.preExisting} pre-existing` : "",
  ].filter(Boolean);
  return `${targets}, ${changes}, findings: ${introduced}${extra.length ? ` (${extra.join(", ")})` : ""}`;
}
