/**
 * The approvals block of the sticky comment: what still needs whom, who approved, and which
 * approvals did not count and why. It sits at a fixed place, right after the comment's
 * heading, between markers, so a review or an `approve` command can refresh it without
 * re-running the analysis. It is found only at that place: the same markers anywhere else
 * (they cannot be formed by escaped text, but a body is never searched for them) mean nothing.
 */
import type { MinPermission } from "../../core/model/risk.js";
import type { ApprovalState, IgnoredApproval, IgnoredBecause, ReasonApproval } from "../../core/risk/approval-status.js";
import { plural } from "../format.js";
import { clipText, escapeMarkdown, markdownCode, mention } from "./escape.js";
import { HEADING } from "./intro.js";

export const APPROVALS_START = "<!-- shipshape:approvals -->";
export const APPROVALS_END = "<!-- /shipshape:approvals -->";

/** The block stays well inside the first comment part, next to the heading and the state. */
export const MAX_APPROVAL_SECTION = 20_000;

const IGNORED_WORDS: Record<Exclude<IgnoredBecause, "insufficient-access">, string> = {
  author: "is the author",
  "not-an-approver": "is not an approver for this",
  "review-not-accepted": "approved by review, which this category does not accept",
  stale: "approved before this item last changed or appeared",
};

/** "has read access (approving needs write or more)". */
export function ignoredWords(ignored: IgnoredApproval, min: MinPermission): string {
  if (ignored.because !== "insufficient-access") return IGNORED_WORDS[ignored.because];
  const needs = `(approving needs ${min} or more)`;
  const role = ignored.permission ?? "unknown";
  if (role === "none") return `is not a collaborator ${needs}`;
  if (role === "unknown") return `has access GitHub did not report ${needs}`;
  return `has ${role} access ${needs}`;
}

export function approvalSection(state: ApprovalState | undefined): string {
  if (!state || state.satisfied.length + state.pending.length === 0) return `${APPROVALS_START}\n${APPROVALS_END}\n`;
  const head = state.complete ? "### Approvals: ✅ complete\n\n" : `### Approvals: ⏳ ${state.pending.length} of ${state.pending.length + state.satisfied.length} pending\n\n`;
  const how = state.complete ? "" : "\nEligible approvers: comment `/shipshape approve` (or press **Approve** on the `Shipshape / approval` check).\n";
  const table = "| Item | Needs | Approved by | Not counted |\n| --- | --- | --- | --- |\n";
  const reasons = [...state.pending, ...state.satisfied];
  const budget = MAX_APPROVAL_SECTION - APPROVALS_START.length - APPROVALS_END.length - head.length - table.length - how.length - 200;
  const rows: string[] = [];
  let used = 0;
  for (const reason of reasons) {
    const line = row(reason);
    if (used + line.length > budget) break;
    rows.push(line);
    used += line.length;
  }
  const left = reasons.length - rows.length;
  const more = left > 0 ? `\n_…and ${plural(left, "more item")}: see the \`Shipshape / approval\` check._\n` : "";
  return `${APPROVALS_START}\n${head}${table}${rows.join("")}${more}${how}\n${APPROVALS_END}\n`;
}

function row(r: ReasonApproval): string {
  const item = `${r.missing === 0 ? "✅" : "⏳"} ${markdownCode(`${r.kind}/${r.name}`)} (${escapeMarkdown(clipText(r.category, 64))}, ${markdownCode(r.target)})`;
  const anyone = `anyone with ${r.minPermission} access`;
  const who = r.approvers.length === 0 ? anyone : r.approvers.map((a) => (a.startsWith("team:") ? `team ${mention(a.slice(5))}` : mention(a))).join(" or ");
  const needs = r.missing === 0 ? `${r.needed} from ${who}` : `${r.missing} more from ${who}`;
  const by = r.approvedBy.length ? r.approvedBy.map(mention).join(", ") : "—";
  const ignored = r.ignored.length ? r.ignored.map((i) => `${mention(i.user)} ${ignoredWords(i, r.minPermission)}`).join("; ") : "—";
  return `| ${item} | ${needs} | ${by} | ${ignored} |\n`;
}

/** The Markdown with the block right after the comment's heading (or first, without one). */
export function withApprovalSection(markdown: string, section: string): string {
  return markdown.startsWith(HEADING) ? HEADING + section + "\n" + markdown.slice(HEADING.length) : section + "\n" + markdown;
}

/**
 * Markdown written by withApprovalSection with its block replaced; undefined when the
 * block is not where Shipshape puts it. The block's own text is escaped, so the first end
 * marker after the start is its own.
 */
export function replaceApprovalSection(markdown: string, section: string): string | undefined {
  const start = markdown.startsWith(HEADING + APPROVALS_START) ? HEADING.length : markdown.startsWith(APPROVALS_START) ? 0 : -1;
  if (start < 0) return undefined;
  const end = markdown.indexOf(`\n${APPROVALS_END}\n`, start);
  if (end < 0) return undefined;
  return markdown.slice(0, start) + section + markdown.slice(end + APPROVALS_END.length + 2);
}
