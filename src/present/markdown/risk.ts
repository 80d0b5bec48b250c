/**
 * The risk section, first thing after the heading: the level, why, and who must approve.
 * Rows are list items, most severe first, so the least severe can be dropped when the
 * comment is too long.
 */
import type { RiskReason, RiskReport } from "../../core/model/risk.js";
import { plural } from "../format.js";
import { approvalCount, approvalWords, LEVEL_EMOJI } from "../risk-cost.js";
import { escapeMarkdown, markdownCode } from "./escape.js";
import type { ItemList } from "./layout.js";

const TABLE_HEADER = "| Level | Reason | Rule | Target | Approval |\n| --- | --- | --- | --- | --- |\n";

export function riskList(risk: RiskReport | undefined): ItemList<string> | undefined {
  if (!risk) return undefined;
  const heading = `### Risk: ${LEVEL_EMOJI[risk.level]} ${risk.level}${risk.requiresApproval ? " · approval required" : ""}\n\n`;
  if (risk.reasons.length === 0) {
    return { name: "risk reasons", prefix: `${heading}No change matched a risk rule.\n\n`, items: [], suffix: "", more: () => "" };
  }
  const needing = approvalCount(risk.reasons);
  const lead =
    needing > 0
      ? `${plural(needing, "reason")} of ${risk.reasons.length} need${needing === 1 ? "s" : ""} approval before merging. `
      : `${plural(risk.reasons.length, "reason")}, none needing approval. `;
  // The digest names exactly what was classified; approvals are tied to it.
  const digest = `Risk digest ${markdownCode(risk.digest.slice(0, 12))}.\n\n`;
  return {
    name: "risk reasons",
    prefix: heading + lead + digest + TABLE_HEADER,
    items: risk.reasons.map(reasonRow),
    suffix: "\n",
    more: (count) => `\n_…and ${plural(count, "more risk reason")} not shown; run shipshape check locally_\n`,
  };
}

function reasonRow(reason: RiskReason): string {
  const cells = [
    `${LEVEL_EMOJI[reason.level]} ${reason.level}`,
    escapeMarkdown(reason.message),
    markdownCode(reason.ruleId),
    markdownCode(reason.target),
    escapeMarkdown(approvalWords(reason) ?? "—"),
  ];
  return `| ${cells.join(" | ")} |\n`;
}
