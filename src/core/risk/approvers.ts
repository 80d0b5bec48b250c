/** The approval a reason needs, from its category's entry in `risk.approvals` (or the default one). */
import type { ApprovalRequirement, RiskLevel } from "../model/risk.js";
import { riskRank } from "../model/risk.js";
import type { RiskCategory } from "./categories.js";
import type { ApprovalsConfig, ApproverRule } from "./config.js";

export const TEAM_PREFIX = "team:";

export function approverRule(config: ApprovalsConfig, category: RiskCategory): ApproverRule {
  return config.categories[category] ?? config.default;
}

/** Logins as they are, teams as `team:<slug>`; empty means anyone with the minimum access. */
export function approverList(rule: ApproverRule): string[] {
  return [...rule.users, ...rule.teams.map((t) => `${TEAM_PREFIX}${t.replace(/^@/, "")}`)];
}

export function approvalRequirement(config: ApprovalsConfig, rule: ApproverRule, level: RiskLevel): ApprovalRequirement | undefined {
  if (riskRank(level) < riskRank(config.requiredAt)) return undefined;
  return { count: rule.count, allowAuthor: rule.allowAuthor, acceptReviews: rule.acceptReviews, minPermission: rule.minPermission };
}
