/**
 * The findings tables: new findings in the open, pre-existing ones folded away since
 * the pull request did not cause them. Rows are list items so they can be dropped from
 * the end (least severe first) when the comment is too long.
 */
import type { Finding } from "../../core/model/finding.js";
import { findingLocation, plural, sortFindings } from "../format.js";
import { escapeMarkdown, markdownCode } from "./escape.js";
import { SEVERITY_EMOJI } from "./intro.js";
import type { ItemList } from "./layout.js";

const TABLE_HEADER = "| | Rule | Message | Location |\n| --- | --- | --- | --- |\n";

export function findingLists(findings: readonly Finding[]): ItemList<string>[] {
  if (findings.length === 0) return [];
  const introduced = sortFindings(findings.filter((f) => f.introduced));
  const preExisting = sortFindings(findings.filter((f) => !f.introduced));
  const lists: ItemList<string>[] = [introducedList(introduced)];
  if (preExisting.length > 0) lists.push(preExistingList(preExisting));
  return lists;
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

function preExistingList(findings: Finding[]): ItemList<string> {
  const summary = `${plural(findings.length, "pre-existing finding")}, not introduced by this change`;
  return {
    name: "pre-existing findings",
    prefix: `<details>\n<summary>${summary}</summary>\n\n${TABLE_HEADER}`,
    items: findings.map(findingRow),
    suffix: "\n</details>\n\n",
    more: (count) => moreLine(count, "pre-existing finding"),
  };
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
