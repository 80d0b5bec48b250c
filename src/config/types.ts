import type { FailOn } from "../core/outcome.js";
import type { CostConfig } from "../core/cost/config.js";
import type { TargetType } from "../core/model/target.js";
import type { MinPermission } from "../core/model/risk.js";
import type { RiskCategory } from "../core/risk/categories.js";
import type { ConfigurableRiskLevel, RiskConfig } from "../core/risk/config.js";

/** The config as written by users: everything optional. Mirrors schema/shipshape-config.schema.json. */
export interface RawConfig {
  kubernetesVersion?: string;
  discovery?: boolean;
  ignore?: string[];
  targets?: RawTarget[];
  render?: {
    timeoutSeconds?: number;
    maxOutputBytes?: number;
    maxTotalOutputBytes?: number;
    concurrency?: number;
    maxMemoryMiB?: number;
    budgetSeconds?: number;
  };
  helm?: { includeTests?: boolean };
  gitops?: RawGitOpsConfig;
  diff?: { ignoreFields?: string[]; defaultIgnoreFields?: boolean };
  schema?: { strict?: boolean; missingSchema?: "info" | "warning" | "error"; crds?: string[]; builtinCrds?: boolean; localSchemas?: string };
  cost?: RawCostConfig;
  risk?: RawRiskConfig;
  policies?: RawPoliciesConfig;
  waivers?: RawWaiver[];
  github?: RawGitHubConfig;
}

/** GitOps applications (Argo CD, Flux): which sources are this repository. */
export interface RawGitOpsConfig {
  /** URLs of this repository as Applications name it (`spec.source.repoURL`): those sources are read from the snapshot. */
  repositoryUrls?: string[];
  /** Hosts (`host` or `host:port`) Flux HelmRelease charts may be pulled from; read from the base side only. */
  allowedHosts?: string[];
}

export interface RawGitHubConfig {
  failOn?: FailOn;
  drafts?: boolean;
  reviewComments?: boolean;
  requestReviews?: boolean;
  maxAnnotations?: number;
}

export interface RawPoliciesConfig {
  builtin?: boolean | Record<string, boolean>;
  paths?: string[];
  severity?: Record<string, "error" | "warning" | "info">;
  parameters?: Record<string, unknown>;
  owners?: string[];
  admission?: boolean;
}

export interface RawWaiver {
  policy: string;
  resource?: { kind?: string; namespace?: string; name?: string };
  target?: string;
  reason: string;
  expires?: string;
}

export interface RawCostPrices {
  cpuCoreHour?: number;
  memoryGiBHour?: number;
  storageGiBMonth?: Record<string, number>;
  loadBalancerHour?: number;
}

export interface RawCostConfig {
  enabled?: boolean;
  currency?: string;
  hoursPerMonth?: number;
  daemonSetNodes?: number;
  includeJobs?: boolean;
  prices?: RawCostPrices;
  environments?: { match: string | string[]; prices: RawCostPrices }[];
  threshold?: { monthly?: number; percent?: number; minimumMonthly?: number };
}

export interface RawApproverRule {
  users?: string[];
  teams?: string[];
  count?: number;
  allowAuthor?: boolean;
  acceptReviews?: boolean;
  minPermission?: MinPermission;
}

export type RawApprovals = {
  requiredAt?: ConfigurableRiskLevel;
  count?: number;
  allowAuthor?: boolean;
  acceptReviews?: boolean;
  minPermission?: MinPermission;
  default?: RawApproverRule;
} & { [C in RiskCategory]?: RawApproverRule };

export interface RawRiskConfig {
  enabled?: boolean;
  rules?: Record<string, { enabled?: boolean; level?: ConfigurableRiskLevel }>;
  environments?: { name?: string; match: string | string[]; raise?: number }[];
  approvals?: RawApprovals;
}

export interface RawTarget {
  path: string;
  type: TargetType;
  name?: string;
  releaseName?: string;
  namespace?: string;
  valueFiles?: string[];
  composeFiles?: string[];
  composeProfiles?: string[];
  composeEnv?: Record<string, string | number | boolean>;
  kubernetesVersion?: string;
}

/** The config after defaults: every field present. Built only by applyDefaults. */
export interface ShipshapeConfig {
  /** Where it came from, for messages ("defaults" when no file exists). */
  source: string;
  kubernetesVersion?: string;
  discovery: boolean;
  ignore: string[];
  targets: RawTarget[];
  render: {
    timeoutSeconds: number;
    maxOutputBytes: number;
    /** All renders of one review together (render/output-budget-exhausted). */
    maxTotalOutputBytes: number;
    concurrency: number;
    /** Per renderer process tree, watched and enforced (render/memory-limit). */
    maxMemoryMiB: number;
    /** All renders of one review together (render/budget-exhausted). */
    budgetSeconds: number;
  };
  /** includeTests: Helm test hooks are reviewed too (left out by default). */
  helm: { includeTests: boolean };
  gitops: Required<RawGitOpsConfig>;
  diff: { ignoreFields: string[] };
  schema: { strict: boolean; missingSchema: "info" | "warning" | "error"; crds: string[]; builtinCrds: boolean; localSchemas?: string };
  cost: CostConfig;
  risk: RiskConfig;
  policies: {
    /** Built-in policies switched off by name; `all` when the whole pack is off. */
    builtinDisabled: "all" | string[];
    paths: string[];
    severity: Record<string, "error" | "warning" | "info">;
    parameters: Record<string, unknown>;
    /** Who may waive besides people with write access: logins and teams ("org/team", "team:slug"). */
    owners: string[];
    /** ValidatingAdmissionPolicies (and bindings) in the base side's rendered targets judge the change. */
    admission: boolean;
  };
  github: Required<RawGitHubConfig>;
  /** Waivers with the line they are written on, for "where" in the report. */
  waivers: (RawWaiver & { line?: number })[];
}
