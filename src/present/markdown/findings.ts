/**
 * The findings tables: new findings in the open, pre-existing ones folded away since
 * the pull request did not cause them. Rows are list items so they can be dropped from
 * the end (least severe first) when the comment is too long.
 */
import type { Finding } from "../../core/model/finding.js";
import { groupFindings, targetsPhrase, type FindingGroup } from "../finding-groups.js";
import { findingLocation, plural, sortFindings } from "../format.js";
import { escapeMarkdown, markdownCode } from "./escape.js";
import { SEVERITY_EMOJI } from "./intro.js";
import type { ItemList } from "./layout.js";

const TABLE_HEADER = "| | Rule | Message | Location |\n| --- | --- | --- | --- |\n";

/** New findings, then what the change fixed, then the pre-existing ones (cut first when too long). */
export function findingLists(findings: readonly Finding[], resolved: readonly Finding[] = []): ItemList<string>[] {
  if (findings.length === 0 && resolved.length === 0) return [];
  const introduced = sortFindings(findings.filter((f) => f.introduced));
  const preExisting = sortFindings(findings.filter((f) => !f.introduced));
  const lists: ItemList<string>[] = [introducedList(introduced)];
  if (resolved.length > 0) lists.push(resolvedList(sortFindings(resolved)));
  if (preExisting.length > 0) lists.push(preExistingList(preExisting));
  return lists;
}

function resolvedList(findings: Finding[]): ItemList<string> {
  return {
    name: "fixed findings",
    prefix: `### Fixed by this change\n\n${plural(findings.length, "finding")} on the base ${findings.length === 1 ? "is" : "are"} gone on the head:\n\n`,
    items: groupFindings(findings).map((g) => `- ✅ ${markdownCode(g.first.ruleId)}: ${escapeMarkdown(g.first.message)} (${groupPlace(g)})\n`),
    suffix: "\n",
    more: (count) => `- _…and ${plural(count, "more row")} not shown_\n`,
  };
}

function introducedList(findings: Finding[]): ItemList<string> {
  const heading = "### Findings\n\n";
  const name = "new findings";
  if (findings.length === 0) return { name, prefix: `${heading}No new findings.\n\n`, items: [], suffix: "", more: () => "" };
  return {
    name,
    prefix: heading + TABLE_HEADER,
    items: findings.map(findingRow),
    suffix: "\n",
    more: (count) => moreLine(count, "new finding"),
  };
}

/** One row per rule and place: overlays sharing a base report its problem once, naming the targets. */
function preExistingList(findings: Finding[]): ItemList<string> {
  const summary = `${plural(findings.length, "pre-existing finding")}, not introduced by this change`;
  const groups = groupFindings(findings);
  const rows = groups.length < findings.length ? ` (${plural(groups.length, "row")}: one per rule and place)` : "";
  return {
    name: "pre-existing finding rows",
    prefix: `<details>\n<summary>${summary}${rows}</summary>\n\n${TABLE_HEADER}`,
    items: groups.map(groupRow),
    suffix: "\n</details>\n\n",
    more: (count) => moreLine(count, "pre-existing row"),
  };
}

function groupRow(group: FindingGroup): string {
  const f = group.first;
  const cells = [SEVERITY_EMOJI[f.severity], markdownCode(f.ruleId), escapeMarkdown(f.message), groupPlace(group)];
  return `| ${cells.join(" | ")} |\n`;
}

/** "`file:line` in 3 targets: `a`, `b`, `c`"; the target alone when the finding has no file. */
function groupPlace(group: FindingGroup): string {
  const where = findingLocation(group.first);
  const count = group.findings.length > group.targets.length ? ` (${group.findings.length} findings)` : "";
  if (!where) return markdownCode(group.first.target) + count;
  return `${markdownCode(where)} ${targetsPhrase(group.targets, markdownCode)}${count}`;
}

function findingRow(finding: Finding): string {
  const location = markdownCode(findingLocation(finding) ?? finding.target);
  const waived = finding.waived
    ? ` — 🔕 _waived: ${escapeMarkdown(finding.waived.reason)} (${finding.waived.source === "annotation" ? "annotation at " : ""}${escapeMarkdown(finding.waived.where)}${finding.waived.expires ? `, until ${escapeMarkdown(finding.waived.expires)}` : ""})_`
    : "";
  const cells = [SEVERITY_EMOJI[finding.severity], markdownCode(finding.ruleId), escapeMarkdown(finding.message) + waived, location];
  return `| ${cells.join(" | ")} |\n`;
}

/** Starts with a blank line: a plain line right after a table would become a row. */
function moreLine(count: number, noun: string): string {
  return `\n_…and ${plural(count, `more ${noun}`, `more ${noun}s`)} not shown; run shipshape check locally_\n`;
}
