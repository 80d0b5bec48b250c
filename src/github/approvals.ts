/**
 * Collecting approvals for the risk reasons in Shipshape's state: explicit ones (the
 * `approve` command, the check run's Approve button) stored in the state, and approving
 * reviews. An approval names the item hashes it covered, so it survives pushes that leave
 * those items alone and goes stale when one of them changes.
 */
import type { RiskReason } from "../core/model/risk.js";
import { approvalStatus, type Approval, type ApprovalState } from "../core/risk/approval-status.js";
import { TEAM_PREFIX } from "../core/risk/approvers.js";
import type { GitHubApi, PullRequestRef } from "./api.js";
import { parseTeam, type Directory } from "./directory.js";
import { listAll } from "./paginate.js";
import type { StickyState, StoredApproval } from "./state.js";

export interface Review {
  user?: { login?: string } | null;
  state: string;
  commit_id: string;
  submitted_at?: string;
}

export async function loadReviews(api: GitHubApi, pr: PullRequestRef): Promise<Review[]> {
  return listAll<Review>(api, "GET /repos/{owner}/{repo}/pulls/{pull_number}/reviews", { owner: pr.owner, repo: pr.repo, pull_number: pr.number });
}

/** Hashes of every reason that needs approval: what an approval given now covers. */
export function currentHashes(state: StickyState): string[] {
  return state.reasons.filter((r) => r.approval).map((r) => r.itemHash);
}

/**
 * Review approvals, folded into the state: a standing APPROVED review on the analysed head
 * covers the current items and is recorded; on an older commit it keeps what was recorded
 * when it was current. A later "changes requested" or dismissal withdraws it.
 */
export function foldReviews(state: StickyState, reviews: readonly Review[], now: string): StickyState {
  const latest = new Map<string, Review>();
  for (const r of reviews) {
    const user = r.user?.login;
    if (!user || !["APPROVED", "CHANGES_REQUESTED", "DISMISSED"].includes(r.state)) continue;
    latest.set(user.toLowerCase(), r);
  }
  const kept = state.approvals.filter((a) => a.via !== "review" || latest.get(a.user.toLowerCase())?.state === "APPROVED");
  const approvals = [...kept];
  for (const [, r] of latest) {
    if (r.state !== "APPROVED" || r.commit_id !== state.headSha) continue;
    const user = r.user!.login!;
    const hashes = currentHashes(state);
    const i = approvals.findIndex((a) => a.via === "review" && a.user.toLowerCase() === user.toLowerCase());
    const entry: StoredApproval = { user, itemHashes: union(i >= 0 ? approvals[i]!.itemHashes : [], hashes), via: "review", at: r.submitted_at ?? now };
    if (i >= 0) approvals[i] = entry;
    else approvals.push(entry);
  }
  return { ...state, approvals };
}

/** Team slugs named by the reasons' approver lists, so membership is asked only where it matters. */
function teamsNamed(reasons: readonly RiskReason[]): string[] {
  return [...new Set(reasons.flatMap((r) => r.approvers.filter((a) => a.startsWith(TEAM_PREFIX))))];
}

export async function evaluateApprovals(state: StickyState, prAuthor: string, dir: Directory, org: string): Promise<ApprovalState> {
  const teams = teamsNamed(state.reasons);
  const approvals: Approval[] = [];
  for (const a of state.approvals) {
    const memberOf: string[] = [];
    for (const team of teams) {
      if (await dir.isTeamMember(a.user, team)) {
        const parsed = parseTeam(team, org)!;
        memberOf.push(`${parsed.org}/${parsed.slug}`);
      }
    }
    approvals.push({ user: a.user, teams: memberOf, itemHashes: a.itemHashes, viaReview: a.via === "review" });
  }
  return approvalStatus({ level: state.riskLevel, requiresApproval: state.reasons.some((r) => r.approval), digest: state.riskDigest, reasons: state.reasons, changes: [] }, approvals, prAuthor);
}

/**
 * Why this user may not approve every reason that needs approval; undefined when they may.
 * Asks the same question approvalStatus answers, for an approval the user would give now.
 */
export async function approveRefusal(user: string, state: StickyState, prAuthor: string, dir: Directory, org: string): Promise<string | undefined> {
  if (!state.reasons.some((r) => r.approval)) return "nothing in this pull request needs approval";
  const trial: StickyState = { ...state, approvals: [{ user, itemHashes: currentHashes(state), via: "command", at: "" }] };
  const status = await evaluateApprovals(trial, prAuthor, dir, org);
  for (const reason of [...status.pending, ...status.satisfied]) {
    const because = reason.ignored.find((i) => i.user.toLowerCase() === user.toLowerCase())?.because;
    if (because === "author") return "authors cannot approve their own risky changes (risk.approvals.allowAuthor is off)";
    if (because === "not-an-approver") {
      return `approving ${reason.category} changes (${reason.kind}/${reason.name}) needs one of ${reason.approvers.map(describeApprover).join(", ")}`;
    }
  }
  return undefined;
}

export function describeApprover(entry: string): string {
  return entry.startsWith(TEAM_PREFIX) ? `team @${entry.slice(TEAM_PREFIX.length)}` : `@${entry.replace(/^@/, "")}`;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
