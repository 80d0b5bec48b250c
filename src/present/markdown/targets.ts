/**
 * One collapsible section per target that needs a look (affected, failed, or with
 * changes), and a single folded list for the rest: in a monorepo most targets are
 * untouched and do not deserve a section each.
 */
import type { Change, ChangeAction } from "../../core/model/change.js";
import type { Finding } from "../../core/model/finding.js";
import type { Report, TargetReport } from "../../core/model/report.js";
import type { RiskLevel } from "../../core/model/risk.js";
import { diffLineCount, groupChangesByTarget, hookNote, plural, previousRef, severityBreakdown } from "../format.js";
import { changeLevels, LEVEL_EMOJI } from "../risk-cost.js";
import { countSeverities } from "../summary.js";
import { escapeMarkdown, fencedBlock, htmlCode, markdownCode } from "./escape.js";
import type { ChangeBlock, ItemList, MarkdownLayout, TargetSection } from "./layout.js";
import { safeSlice } from "./safe-slice.js";
import { groupByController, showsGroupHeadings } from "../target-groups.js";

/** Tool output can be pages long; the start of it is what explains the failure. */
const MAX_ERROR_CHARS = 4000;

const ACTION_EMOJI: Record<ChangeAction, string> = {
  added: "➕",
  removed: "➖",
  modified: "✏️",
  renamed: "🔀",
};

export function needsSection(target: TargetReport): boolean {
  return target.affected || target.status === "failed";
}

export function targetSections(report: Report): ItemList<TargetSection> {
  const changesByTarget = new Map(groupChangesByTarget(report).map((g) => [g.target, g.changes]));
  const known = new Map(report.targets.map((t) => [t.id, t]));
  const ids = [
    ...report.targets.filter((t) => needsSection(t) || changesByTarget.has(t.id)).map((t) => t.id),
    // Changes for a target the report does not list are still shown rather than lost.
    ...[...changesByTarget.keys()].filter((id) => !known.has(id)),
  ];
  const levelOf = changeLevels(report);
  // Grouped by controller; a group's heading opens its first section, so it is fitted and
  // dropped with it (sections are dropped from the end: a heading goes with its last section).
  const groups = groupByController(ids, (id) => known.get(id)?.type);
  const headings = showsGroupHeadings(groups);
  const items = groups.flatMap((group) =>
    group.items.map((id, i) => {
      const section = targetSection(id, known.get(id), changesByTarget.get(id) ?? [], report.findings.filter((f) => f.target === id), levelOf);
      return headings && i === 0 ? { ...section, prefix: groupHeading(group.title) + section.prefix } : section;
    }),
  );
  return {
    name: "target sections",
    prefix: "### Targets\n\n",
    items,
    suffix: "",
    more: (count) => `_…and ${plural(count, "more target section")} not shown; run shipshape check locally_\n\n`,
  };
}

export function unaffectedTargets(report: Report, sections: ItemList<TargetSection>): MarkdownLayout["unaffected"] {
  const shown = new Set(sections.items.map((s) => s.target));
  const rest = report.targets.filter((t) => !shown.has(t.id));
  if (rest.length === 0) return { full: "", compact: "" };
  const label = plural(rest.length, "unaffected target");
  const groups = groupByController(rest, (t) => t.type);
  const list = (targets: readonly TargetReport[]) => targets.map((t) => markdownCode(t.id)).join(", ");
  const body = showsGroupHeadings(groups) ? groups.map((g) => `**${escapeMarkdown(g.title)}:** ${list(g.items)}`).join("\n\n") : list(rest);
  return {
    full: `<details>\n<summary>${label}</summary>\n\n${body}\n\n</details>\n\n`,
    compact: `_${label} not listed._\n\n`,
  };
}

function targetSection(
  id: string,
  target: TargetReport | undefined,
  changes: Change[],
  findings: Finding[],
  levelOf: (change: Change) => RiskLevel | undefined,
): TargetSection {
  const type = target ? [target.kind ? `${target.type} ${escapeMarkdown(target.kind)}` : target.type] : [];
  const summary = [htmlCode(id), ...type, ...sectionFacts(target, changes, findings)].join(" · ");
  let prefix = `<details>\n<summary>${summary}</summary>\n\n`;
  if (target?.error) prefix += errorBlock(target);
  else if (changes.length === 0) prefix += "No resource changes.\n\n";
  return {
    target: id,
    name: `changes in ${markdownCode(id)}`,
    prefix,
    items: changes.map((c) => changeBlock(c, levelOf(c))),
    suffix: "</details>\n\n",
    more: (count) => `_…and ${plural(count, "more change")} not shown; run shipshape check locally_\n\n`,
  };
}

/** A group's heading; the titles are Shipshape's own words, escaped all the same. */
function groupHeading(title: string): string {
  return `#### ${escapeMarkdown(title)}\n\n`;
}

function sectionFacts(target: TargetReport | undefined, changes: Change[], findings: Finding[]): string[] {
  const facts: string[] = [];
  if (target?.status === "failed") facts.push("render failed");
  else if (target?.status === "skipped") facts.push("skipped");
  else facts.push(changes.length > 0 ? plural(changes.length, "change") : "no changes");
  const severities = severityBreakdown(countSeverities(findings.filter((f) => f.introduced)));
  if (severities) facts.push(severities);
  return facts;
}

function errorBlock(target: TargetReport): string {
  const error = target.error ?? "";
  const shown = error.length > MAX_ERROR_CHARS ? safeSlice(error, MAX_ERROR_CHARS) : error;
  const rest = error.length - shown.length;
  const tail = rest > 0 ? `\n… ${rest} more characters` : "";
  const label = target.status === "failed" ? "Render failed:" : "Error:";
  return `**${label}**\n\n${fencedBlock(shown + tail, "text")}\n`;
}

function changeBlock(change: Change, level: RiskLevel | undefined): ChangeBlock {
  const bullets = change.summary.map((line) => `- ${escapeMarkdown(line)}\n`).join("");
  // Only levels above none are worth a badge; most changes of a large report have none.
  const badge = level && level !== "none" ? ` · ${LEVEL_EMOJI[level]} ${level}` : "";
  const head = `${changeHeading(change)}${badge}\n\n${bullets ? `${bullets}\n` : ""}`;
  const diffLines = diffLineCount(change.diff);
  if (diffLines === 0) return { change, head, diff: "", omittedDiff: "", diffLines };
  return {
    change,
    head,
    diff: `${fencedBlock(change.diff, "diff")}\n`,
    omittedDiff: `_diff omitted: ${diffLines} lines, too large for the comment; run shipshape check locally_\n\n`,
    diffLines,
  };
}

function changeHeading(change: Change): string {
  const previous = previousRef(change);
  const what =
    change.action === "renamed" && previous !== undefined
      ? `renamed from ${markdownCode(previous)}`
      : change.action;
  return `${ACTION_EMOJI[change.action]} ${changeRef(change, true)}${escapeMarkdown(hookNote(change))} (${what})`;
}

/** "**Deployment** `prod/api`", escaped; the kind is bold in headings only. */
export function changeRef(change: Change, bold = false): string {
  const ref = change.namespace ? `${change.namespace}/${change.name}` : change.name;
  const kind = escapeMarkdown(change.kind);
  return `${bold ? `**${kind}**` : kind} ${markdownCode(ref)}`;
}
