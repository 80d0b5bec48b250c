/** Risk classification and approvals: who must look at a change before it merges. */
export { approvalStatus, type Approval, type ApprovalState, type IgnoredApproval, type IgnoredBecause, type ReasonApproval } from "./approval-status.js";
export { isRepoRole, meetsMinimum, MIN_PERMISSIONS, REPO_ROLES, type RepoRole } from "./permission.js";
export { RISK_CATEGORIES, type RiskCategory } from "./categories.js";
export { classifyRisk, type RiskInput, type RiskTargetInput } from "./classify-risk.js";
export type { ApprovalsConfig, ApproverRule, ConfigurableRiskLevel, RiskConfig, RiskEnvironment, RiskRuleSetting } from "./config.js";
export { RISK_RULES, UnknownRiskRuleError } from "./registry.js";
export type { ChangeContext, ChangeRule, ReportContext, ReportHit, ReportRule, RiskRule } from "./rule.js";
