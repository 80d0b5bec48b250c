/**
 * The risk settings the classifier works with, every field present. Built from the user's
 * config by src/config/defaults.ts; rule levels themselves live with the rules (registry.ts).
 */
import type { MinPermission, RiskLevel } from "../model/risk.js";
import type { RiskCategory } from "./categories.js";

/** Levels a rule or a threshold can be set to: "none" would mean off, which is `enabled: false`. */
export type ConfigurableRiskLevel = Exclude<RiskLevel, "none">;

export interface RiskRuleSetting {
  enabled?: boolean;
  level?: ConfigurableRiskLevel;
}

/** Targets whose id or path matches are raised by `raise` levels (capped at critical). */
export interface RiskEnvironment {
  name?: string;
  match: string[];
  raise: number;
}

/** Who may approve one category, and how. */
export interface ApproverRule {
  users: string[];
  /** Team slugs ("platform" or "org/platform"). */
  teams: string[];
  count: number;
  allowAuthor: boolean;
  acceptReviews: boolean;
  /** The least repository access an approver needs, named users and team members included. */
  minPermission: MinPermission;
}

export interface ApprovalsConfig {
  /** Reasons at or above this level need approval. */
  requiredAt: ConfigurableRiskLevel;
  /** For categories without an entry of their own. Empty users and teams: anyone with `minPermission`. */
  default: ApproverRule;
  categories: Partial<Record<RiskCategory, ApproverRule>>;
}

export interface RiskConfig {
  enabled: boolean;
  /** Overrides by rule id; rules not named keep their defaults. */
  rules: Record<string, RiskRuleSetting>;
  environments: RiskEnvironment[];
  approvals: ApprovalsConfig;
}
