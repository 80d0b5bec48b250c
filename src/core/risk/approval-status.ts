/**
 * Which risk reasons are approved and which still need someone, and whom. Pure, so the
 * GitHub App can feed it the reviews and `/approve` comments it collected, with each
 * approver's repository role as GitHub reported it. An approval counts for a reason only
 * if it names the reason's current item hash (approving, then pushing a change to that
 * resource, leaves the reason pending again) and only from someone whose role reaches the
 * reason's `minPermission` (write by default), named approvers included.
 */
import type { MinPermission, RiskReason, RiskReport } from "../model/risk.js";
import { TEAM_PREFIX } from "./approvers.js";
import { meetsMinimum, type RepoRole } from "./permission.js";

export interface Approval {
  /** GitHub login of the approver. */
  user: string;
  /** Slugs of the teams the approver belongs to ("platform" or "org/platform"). */
  teams: string[];
  /** The item hashes this approval covers. */
  itemHashes: string[];
  /** True for an approving pull-request review, false for an explicit approval (a command). */
  viaReview: boolean;
  /** The approver's role on the repository now ("none": not a collaborator; "unknown": GitHub did not say). */
  permission: RepoRole | "unknown";
}

/** Why an approval did not count for a reason; the first that applies is given. */
export type IgnoredBecause = "author" | "not-an-approver" | "insufficient-access" | "review-not-accepted" | "stale";

export interface IgnoredApproval {
  user: string;
  because: IgnoredBecause;
  /** For "insufficient-access": the role the approver has. */
  permission?: RepoRole | "unknown";
}

export interface ReasonApproval
  extends Pick<RiskReason, "ruleId" | "level" | "category" | "target" | "apiVersion" | "kind" | "namespace" | "name" | "itemHash"> {
  /** Distinct approvers needed. */
  needed: number;
  /** Approvers who counted, in the order their approvals came. */
  approvedBy: string[];
  /** How many more are needed (0 when satisfied). */
  missing: number;
  /** Who may approve (logins, `team:<slug>`); empty: anyone with `minPermission` but (unless allowed) the author. */
  approvers: string[];
  /** The least repository access an approval needs. */
  minPermission: MinPermission;
  ignored: IgnoredApproval[];
}

export interface ApprovalState {
  /** True when every reason that needs approval has enough. */
  complete: boolean;
  /** The risk report's digest, for tying a status to what was classified. */
  digest: string;
  satisfied: ReasonApproval[];
  pending: ReasonApproval[];
}

export function approvalStatus(risk: RiskReport, approvals: readonly Approval[], prAuthor: string): ApprovalState {
  const satisfied: ReasonApproval[] = [];
  const pending: ReasonApproval[] = [];
  for (const reason of risk.reasons) {
    if (!reason.approval) continue;
    const state = reasonApproval(reason, approvals, prAuthor);
    (state.missing === 0 ? satisfied : pending).push(state);
  }
  return { complete: pending.length === 0, digest: risk.digest, satisfied, pending };
}

function reasonApproval(reason: RiskReason, approvals: readonly Approval[], prAuthor: string): ReasonApproval {
  const requirement = reason.approval!;
  const approvedBy: string[] = [];
  const rejected = new Map<string, IgnoredApproval>();
  for (const a of approvals) {
    const user = login(a.user);
    if (approvedBy.includes(user)) continue;
    const because = whyNot(a, reason, prAuthor);
    if (because === undefined) {
      approvedBy.push(user);
      rejected.delete(user);
    } else if (!rejected.has(user) || RANK[because] < RANK[rejected.get(user)!.because]) {
      rejected.set(user, { user, because, ...(because === "insufficient-access" ? { permission: a.permission } : {}) });
    }
  }
  const needed = requirement.count;
  return {
    ruleId: reason.ruleId,
    level: reason.level,
    category: reason.category,
    target: reason.target,
    apiVersion: reason.apiVersion,
    kind: reason.kind,
    namespace: reason.namespace,
    name: reason.name,
    itemHash: reason.itemHash,
    needed,
    approvedBy,
    missing: Math.max(0, needed - approvedBy.length),
    approvers: reason.approvers,
    minPermission: requirement.minPermission,
    ignored: [...rejected].filter(([user]) => !approvedBy.includes(user)).map(([, ignored]) => ignored),
  };
}

/** The most telling reason comes first: being the author beats every other problem. */
const RANK: Record<IgnoredBecause, number> = { author: 0, "not-an-approver": 1, "insufficient-access": 2, "review-not-accepted": 3, stale: 4 };

function whyNot(a: Approval, reason: RiskReason, prAuthor: string): IgnoredBecause | undefined {
  const req = reason.approval!;
  if (!req.allowAuthor && login(a.user) === login(prAuthor)) return "author";
  if (!mayApprove(a, reason.approvers)) return "not-an-approver";
  if (!meetsMinimum(a.permission, req.minPermission)) return "insufficient-access";
  if (a.viaReview && !req.acceptReviews) return "review-not-accepted";
  if (!a.itemHashes.includes(reason.itemHash)) return "stale";
  return undefined;
}

function mayApprove(a: Approval, approvers: readonly string[]): boolean {
  if (approvers.length === 0) return true;
  const user = login(a.user);
  return approvers.some((entry) =>
    entry.startsWith(TEAM_PREFIX) ? a.teams.some((t) => sameTeam(t, entry.slice(TEAM_PREFIX.length))) : login(entry) === user,
  );
}

/** GitHub logins are case-insensitive; "@alice" is written as often as "alice". */
function login(name: string): string {
  return name.replace(/^@/, "").toLowerCase();
}

/** "org/platform" and "platform" name the same team when one side leaves the org out. */
function sameTeam(a: string, b: string): boolean {
  const x = login(a);
  const y = login(b);
  if (x === y) return true;
  const slug = (t: string) => t.slice(t.lastIndexOf("/") + 1);
  return (!x.includes("/") || !y.includes("/")) && slug(x) === slug(y);
}
