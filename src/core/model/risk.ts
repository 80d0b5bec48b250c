/**
 * Who must look at a change before it merges. Every reason names the rule, the resource
 * and a hash of exactly what was judged, so an approval can be tied to that content and
 * goes stale when it changes.
 */
export type RiskLevel = "none" | "low" | "medium" | "high" | "critical";

/** Lowest first. */
export const RISK_LEVELS: readonly RiskLevel[] = ["none", "low", "medium", "high", "critical"];

export function riskRank(level: RiskLevel): number {
  return RISK_LEVELS.indexOf(level);
}

export function maxRiskLevel(levels: Iterable<RiskLevel>): RiskLevel {
  let best: RiskLevel = "none";
  for (const l of levels) if (riskRank(l) > riskRank(best)) best = l;
  return best;
}

export function isRiskLevel(value: string): value is RiskLevel {
  return (RISK_LEVELS as readonly string[]).includes(value);
}

export interface RiskReport {
  /** The highest level of any reason; "none" when nothing matched. */
  level: RiskLevel;
  /** True when at least one reason is at or above `risk.approvals.requiredAt`. */
  requiresApproval: boolean;
  /** sha256 over the sorted item hashes of all reasons: names exactly what was judged. */
  digest: string;
  reasons: RiskReason[];
  /** The level of every change of the report (the highest of its reasons, else "none"). */
  changes: ChangeRisk[];
}

export interface RiskReason {
  ruleId: string;
  level: RiskLevel;
  category: string;
  target: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  message: string;
  /** sha256 of rule id, target, resource identity and the redacted head content. */
  itemHash: string;
  /** Who may approve this category: logins, and teams as `team:<slug>`. Empty: any reviewer. */
  approvers: string[];
  /** Present when the level is at or above `requiredAt`: the approval this reason needs. */
  approval?: ApprovalRequirement;
}

export interface ApprovalRequirement {
  /** Distinct eligible approvers needed. */
  count: number;
  /** Whether the pull request's author may approve their own change. */
  allowAuthor: boolean;
  /** Whether an approving GitHub review counts (otherwise only explicit approvals do). */
  acceptReviews: boolean;
  /** The least repository access an approver needs, named approvers included. */
  minPermission: MinPermission;
}

/** Repository roles an approval minimum can name: approving is never open to less than write. */
export type MinPermission = "write" | "maintain" | "admin";

export interface ChangeRisk {
  target: string;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  level: RiskLevel;
}
