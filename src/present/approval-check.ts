/**
 * The approval check run: green when nothing needs approval or every risk reason that does has
 * enough, otherwise "action required" with who must approve what, who already did, and why
 * an approval did not count. Pure; the publisher adds the Approve button and the details link.
 */
import type { MinPermission } from "../core/model/risk.js";
import type { ApprovalState, IgnoredApproval, IgnoredBecause, ReasonApproval } from "../core/risk/approval-status.js";
import { TEAM_PREFIX } from "../core/risk/approvers.js";
import { plural } from "./format.js";
import { clipText, escapeMarkdown, markdownCode, mention } from "./markdown/escape.js";
import { safeSlice } from "./markdown/safe-slice.js";
import { LEVEL_EMOJI } from "./risk-cost.js";

export interface ApprovalCheckOutput {
  conclusion: "success" | "action_required";
  title: string;
  summary: string;
  text?: string;
}

export interface ApprovalCheckOptions {
  /** Whether the report has a reason that needs approval (`risk.requiresApproval`). */
  requiresApproval: boolean;
}

/** GitHub's limit on a check run's `output.summary` and `output.text`, in characters. */
const TEXT_LIMIT = 65_535;
/** Room for the lines around a list of reasons. */
const LIST_BUDGET = 60_000;

export const APPROVE_COMMAND = "/shipshape approve";

const HOW_TO_APPROVE =
  `To approve, comment \`${APPROVE_COMMAND}\` on the pull request or press the **Approve** button on this check. ` +
  "An approving review counts too, unless a reason below says otherwise.";

/** Each completes "@bob's approval does not count: …". */
const IGNORED_WORDS: Record<Exclude<IgnoredBecause, "insufficient-access">, string> = {
  author: "the pull request's author cannot approve their own change",
  "not-an-approver": "not one of the approvers named for this reason",
  "review-not-accepted": `an approving review does not count for this reason; comment \`${APPROVE_COMMAND}\` instead`,
  stale: "approved before this item last changed or appeared",
};

function ignoredWords(ignored: IgnoredApproval, min: MinPermission): string {
  if (ignored.because !== "insufficient-access") return IGNORED_WORDS[ignored.because];
  const needs = `approving needs ${min} access to the repository or more`;
  const role = ignored.permission ?? "unknown";
  if (role === "none") return `${needs}; they are not a collaborator`;
  if (role === "unknown") return `${needs}, and GitHub did not report their access`;
  return `${needs}; they have ${role} access`;
}

export function renderApprovalCheck(state: ApprovalState | undefined, options: ApprovalCheckOptions): ApprovalCheckOutput {
  if (!state) return options.requiresApproval ? statusUnknown() : noneNeeded();
  const total = state.satisfied.length + state.pending.length;
  if (total === 0) return noneNeeded();
  if (state.complete || state.pending.length === 0) return approved(state.satisfied);
  return waiting(state, total);
}

function noneNeeded(): ApprovalCheckOutput {
  return { conclusion: "success", title: "No approval needed", summary: "No change in this pull request is risky enough to need approval.\n" };
}

/** The report says approval is needed but no state was worked out: never pass on a guess. */
function statusUnknown(): ApprovalCheckOutput {
  return {
    conclusion: "action_required",
    title: "Approval needed",
    summary: `This change needs approval before merging, but who has approved it is not known yet.\n\n${HOW_TO_APPROVE}\n`,
  };
}

function approved(satisfied: readonly ReasonApproval[]): ApprovalCheckOutput {
  const lead = `Every risk reason that needs approval has enough approvals (${satisfied.length}).`;
  return { conclusion: "success", title: `Approved (${plural(satisfied.length, "risk reason")})`, summary: fit(`${lead}\n\n${reasonList(satisfied)}\n`) };
}

function waiting(state: ApprovalState, total: number): ApprovalCheckOutput {
  const missing = state.pending.reduce((sum, r) => sum + r.missing, 0);
  const pending = state.pending.length;
  const lead = `${pending} of ${plural(total, "risk reason")} ${pending === 1 ? "needs" : "need"} more approval before this pull request can merge.`;
  const out: ApprovalCheckOutput = {
    conclusion: "action_required",
    title: `${plural(missing, "more approval")} needed`,
    summary: fit(`${lead}\n\n${HOW_TO_APPROVE}\n\n### Waiting for approval\n\n${reasonList(state.pending)}\n`),
  };
  if (state.satisfied.length > 0) out.text = fit(`### Already approved\n\n${reasonList(state.satisfied)}\n`);
  return out;
}

/** One bullet per reason with its details beneath, as many as fit, then how many were left out. */
function reasonList(reasons: readonly ReasonApproval[]): string {
  const kept: string[] = [];
  let used = 0;
  for (const reason of reasons) {
    const block = reasonBlock(reason);
    if (used + block.length + 1 > LIST_BUDGET) break;
    kept.push(block);
    used += block.length + 1;
  }
  const left = reasons.length - kept.length;
  if (left > 0) kept.push(`- _…and ${plural(left, "more risk reason")}_`);
  return kept.join("\n");
}

function reasonBlock(r: ReasonApproval): string {
  const ref = r.namespace ? `${r.namespace}/${r.name}` : r.name;
  const head = `- ${LEVEL_EMOJI[r.level]} ${r.level} · ${markdownCode(r.ruleId)} · ${escapeMarkdown(clipText(r.kind, 64))} ${markdownCode(ref)} in ${markdownCode(r.target)}`;
  const needs = `${plural(r.needed, "approval")} from ${approverWords(r.approvers, r.minPermission)}`;
  const lines = [
    head,
    r.missing > 0 ? `  - needs ${needs}: ${r.missing} more` : `  - needed ${needs}`,
    r.approvedBy.length > 0 ? `  - approved by ${orList(r.approvedBy.map(mention), "and")}` : "  - no approvals yet",
    // Once a reason has enough, approvals that did not count change nothing: left out as noise.
    ...(r.missing > 0 ? r.ignored : []).map((i) => `  - ${mention(i.user)}'s approval does not count: ${ignoredWords(i, r.minPermission)}`),
  ];
  return lines.join("\n");
}

/** "@alice or team `org/dba`"; nobody named means anyone with the minimum access. */
function approverWords(approvers: readonly string[], min: MinPermission): string {
  if (approvers.length === 0) return `anyone with ${min} access other than the author`;
  const who = approvers.map((a) => (a.startsWith(TEAM_PREFIX) ? `team ${markdownCode(a.slice(TEAM_PREFIX.length))}` : mention(a)));
  return min === "write" ? orList(who, "or") : `${orList(who, "or")} (with ${min} access)`;
}

function orList(items: readonly string[], word: "or" | "and"): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${word} ${items[items.length - 1]}`;
}

/** A backstop: the lists are budgeted, so only absurd input reaches it. */
function fit(text: string): string {
  if (text.length <= TEXT_LIMIT) return text;
  const note = "\n\n_…cut to fit GitHub's limit._\n";
  return safeSlice(text, TEXT_LIMIT - note.length) + note;
}
