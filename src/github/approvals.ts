/**
 * Collecting approvals for the risk reasons in Shipshape's state: explicit ones (the
 * `approve` command, the check run's Approve button) stored in the state, and approving
 * reviews. An approval names the item hashes it covered, so it survives pushes that leave
 * those items alone and goes stale when one of them changes.
 */
import type { MinPermission, RiskReason } from "../core/model/risk.js";
import { approvalStatus, type Approval, type ApprovalState, type IgnoredBecause } from "../core/risk/approval-status.js";
import { TEAM_PREFIX } from "../core/risk/approvers.js";
import type { RepoRole } from "../core/risk/permission.js";
import { escapeMarkdown, mention } from "../present/markdown/escape.js";
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

/** What judging approvals on one pull request needs: who asks GitHub, and the pull request. */
export interface ApprovalJudge {
  /** One per event, so each person's role and teams are asked once. */
  dir: Directory;
  pr: PullRequestRef;
}

/**
 * The approval status of the state: every approver's repository role and teams are asked
 * from GitHub now (so access taken away since the approval counts against it), then judged.
 */
export async function evaluateApprovals(state: StickyState, judge: ApprovalJudge): Promise<ApprovalState> {
  const { dir, pr } = judge;
  const teams = teamsNamed(state.reasons);
  const approvals: Approval[] = [];
  for (const a of state.approvals) {
    const memberOf: string[] = [];
    for (const team of teams) {
      if (await dir.isTeamMember(a.user, team)) {
        const parsed = parseTeam(team, pr.owner)!;
        memberOf.push(`${parsed.org}/${parsed.slug}`);
      }
    }
    approvals.push({ user: a.user, teams: memberOf, itemHashes: a.itemHashes, viaReview: a.via === "review", permission: await dir.permission(a.user) });
  }
  return approvalStatus({ level: state.riskLevel, requiresApproval: state.reasons.some((r) => r.approval), digest: state.riskDigest, reasons: state.reasons, changes: [] }, approvals, pr.author);
}

/**
 * Why this user may not approve every reason that needs approval; undefined when they may.
 * Asks the same question approvalStatus answers, for an approval the user would give now.
 * The answer is Markdown: names from the config are escaped and mention nobody.
 */
export async function approveRefusal(user: string, state: StickyState, judge: ApprovalJudge): Promise<string | undefined> {
  if (!state.reasons.some((r) => r.approval)) return "nothing in this pull request needs approval";
  const trial: StickyState = { ...state, approvals: [{ user, itemHashes: currentHashes(state), via: "command", at: "" }] };
  const status = await evaluateApprovals(trial, judge);
  const refusals = [...status.pending, ...status.satisfied].flatMap((reason) => {
    const ignored = reason.ignored.find((i) => i.user.toLowerCase() === user.toLowerCase());
    return ignored ? [{ reason, ignored }] : [];
  });
  // The most telling refusal across all reasons, as approvalStatus ranks them for one.
  refusals.sort((a, b) => REFUSAL_ORDER.indexOf(a.ignored.because) - REFUSAL_ORDER.indexOf(b.ignored.because));
  const first = refusals[0];
  if (!first) return undefined;
  const { reason, ignored } = first;
  if (ignored.because === "author") return "authors cannot approve their own risky changes (risk.approvals.allowAuthor is off)";
  if (ignored.because === "insufficient-access") return accessRefusal(ignored.permission ?? "unknown", reason.minPermission, judge.pr);
  if (ignored.because === "not-an-approver") {
    const who = orList(reason.approvers.map(describeApprover));
    return `approving ${escapeMarkdown(reason.category)} changes (${escapeMarkdown(`${reason.kind}/${reason.name}`)}) needs one of ${who}`;
  }
  return undefined;
}

const REFUSAL_ORDER: readonly IgnoredBecause[] = ["author", "not-an-approver", "insufficient-access", "review-not-accepted", "stale"];

function accessRefusal(role: RepoRole | "unknown", min: MinPermission, pr: PullRequestRef): string {
  const repo = escapeMarkdown(`${pr.owner}/${pr.repo}`);
  const needs = `approving needs ${min} access to ${repo} or more`;
  if (role === "unknown") return `${needs}, and GitHub did not say what access you have; try again later`;
  if (role === "none") return `${needs}, and you are not a collaborator on it`;
  return `${needs}, and you have ${role} access`;
}

/** An approver from the config, for a reply: shown as a mention, notifying nobody. */
export function describeApprover(entry: string): string {
  return entry.startsWith(TEAM_PREFIX) ? `team ${mention(entry.slice(TEAM_PREFIX.length))}` : mention(entry);
}

function orList(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} or ${items[items.length - 1]}`;
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}
