/**
 * The approvals block of the sticky comment: what still needs whom, who approved, and which
 * approvals did not count and why. Kept between markers so a review or an `approve` command
 * can refresh it without re-running the analysis.
 */
import type { ApprovalState, IgnoredBecause, ReasonApproval } from "../../core/risk/approval-status.js";
import { escapeMarkdown, markdownCode } from "./escape.js";

export const APPROVALS_START = "<!-- shipshape:approvals -->";
export const APPROVALS_END = "<!-- /shipshape:approvals -->";

export const IGNORED_WORDS: Record<IgnoredBecause, string> = {
  author: "is the author",
  "not-an-approver": "is not an approver for this",
  "review-not-accepted": "approved by review, which this category does not accept",
  stale: "approved before this item last changed or appeared",
};

export function approvalSection(state: ApprovalState | undefined): string {
  if (!state || state.satisfied.length + state.pending.length === 0) return `${APPROVALS_START}\n${APPROVALS_END}\n`;
  const head = state.complete ? "### Approvals: ✅ complete\n\n" : `### Approvals: ⏳ ${state.pending.length} of ${state.pending.length + state.satisfied.length} pending\n\n`;
  const rows = [...state.pending, ...state.satisfied].map(row).join("");
  const how = state.complete ? "" : "\nEligible approvers: comment `/shipshape approve` (or press **Approve** on the `Shipshape / approval` check).\n";
  return `${APPROVALS_START}\n${head}| Item | Needs | Approved by | Not counted |\n| --- | --- | --- | --- |\n${rows}${how}\n${APPROVALS_END}\n`;
}

function row(r: ReasonApproval): string {
  const item = `${r.missing === 0 ? "✅" : "⏳"} ${markdownCode(`${r.kind}/${r.name}`)} (${escapeMarkdown(r.category)}, ${markdownCode(r.target)})`;
  const who = r.approvers.length === 0 ? "any reviewer" : r.approvers.map((a) => (a.startsWith("team:") ? `team ${escapeMarkdown(a.slice(5))}` : `@${escapeMarkdown(a.replace(/^@/, ""))}`)).join(" or ");
  const needs = r.missing === 0 ? `${r.needed} from ${who}` : `${r.missing} more from ${who}`;
  const by = r.approvedBy.length ? r.approvedBy.map((u) => `@${escapeMarkdown(u)}`).join(", ") : "—";
  const ignored = r.ignored.length ? r.ignored.map((i) => `@${escapeMarkdown(i.user)} ${IGNORED_WORDS[i.because]}`).join("; ") : "—";
  return `| ${item} | ${needs} | ${by} | ${ignored} |\n`;
}

/** Puts the block right after the comment's heading, or replaces the one already there. */
export function withApprovalSection(markdown: string, section: string): string {
  const start = markdown.indexOf(APPROVALS_START);
  const end = markdown.indexOf(APPROVALS_END);
  if (start >= 0 && end > start) return markdown.slice(0, start) + section + markdown.slice(end + APPROVALS_END.length + 1);
  const heading = "## Shipshape\n\n";
  return markdown.startsWith(heading) ? heading + section + "\n" + markdown.slice(heading.length) : section + "\n" + markdown;
}
