import type { Change } from "./change.js";
import type { CostReport } from "./cost.js";
import type { Finding } from "./finding.js";
import type { RiskReport } from "./risk.js";
import type { TargetType } from "./target.js";

export type TargetStatus = "rendered" | "unchanged" | "failed" | "skipped";

export interface RendererInfo {
  name: string;
  /** Version string the tool printed, or null when it could not be determined. */
  version: string | null;
  /** Absolute path of the binary used, for `doctor` and --verbose; absent for built-ins. */
  path?: string;
}

export interface TargetReport {
  id: string;
  type: TargetType;
  /** GitOps targets: the kind of the application object (Application, ApplicationSet, Kustomization, HelmRelease). */
  kind?: string;
  path: string;
  affected: boolean;
  status: TargetStatus;
  renderer: RendererInfo;
  resources: { base: number; head: number };
  durationMs: number;
  error?: string;
  /**
   * Set when this kustomization is not a target of its own (other kustomizations build on it)
   * and was rendered alone because none of these users rendered: the change it holds is
   * reviewed here instead of not at all.
   */
  standaloneFor?: string[];
  /**
   * A folder target on one side only because GitOps applications render its folder on the
   * other: from the head on (`side: "head"`, the change hands the folder to them) or until the
   * head (they are gone). Its objects are reviewed through those applications: it lists no
   * changes and no cost of its own (pipeline/handover.ts).
   */
  handover?: { side: "base" | "head"; applications: string[] };
  /**
   * Objects that moved here from other folder targets (removed there, added here, the same
   * kind, namespace and name): how many from each. Listed as one `modified` change here when
   * their content changed, not at all when it did not (pipeline/moved-objects.ts).
   */
  movedFrom?: { target: string; objects: number }[];
}

/** Why a changed file was not reviewed. */
export type NotReviewedReason =
  /** Every target reading it failed or is blocked (and no kustomization between built alone). */
  | "users-failed"
  /** Its targets render on the head only: their changes could not be listed. */
  | "base-failed"
  /** The review's time budget ran out before its targets rendered. */
  | "budget-exhausted"
  /** It lives with infrastructure (a Component, a kustomization's folder) that no target reads it through. */
  | "unused"
  /** The config's `ignore` globs leave it out. */
  | "ignored"
  /** One of the repository's own policy files: called out by policy/files-changed, not rendered. */
  | "policy-file"
  /** Discovery is off and no configured target reads it. */
  | "not-configured";

export interface ReviewedFile {
  file: string;
  /** Targets that read it and rendered on both sides. */
  targets: string[];
}

export interface NotReviewedFile {
  file: string;
  reason: NotReviewedReason;
  /** One sentence: what happened and what to do. */
  message: string;
  /** The targets involved (the users that failed), when there are any. */
  targets?: string[];
}

/**
 * Every file the change touches, accounted for: reviewed, not infrastructure (counted), or
 * not reviewed with the reason. Nothing the change touches is skipped silently.
 */
export interface CoverageReport {
  /** Files added, removed or edited between base and head. */
  changedFiles: number;
  reviewed: ReviewedFile[];
  /** Changed files no target reads and that are not infrastructure (docs, code, CI config). */
  notInfrastructure: number;
  notReviewed: NotReviewedFile[];
}

export interface Report {
  schemaVersion: 1;
  base: { ref: string };
  head: { ref: string };
  targets: TargetReport[];
  changes: Change[];
  findings: Finding[];
  /** What the change does to the monthly bill; absent when cost estimation is off. */
  cost?: CostReport;
  /** Who must look at the change before it merges; absent when risk classification is off. */
  risk?: RiskReport;
  /** Which changed files the review covers; absent only in reports not built by the pipeline. */
  coverage?: CoverageReport;
  /**
   * Findings the base has and the head no longer has, on targets that rendered on both sides:
   * what the change fixes. Absent in reports not built by the pipeline.
   */
  resolved?: Finding[];
  /** Why the check passes or fails; set by the entry point, which knows the threshold. */
  outcome?: ReportOutcome;
}

/** The exit status of a check and the one sentence that explains it. */
export interface ReportOutcome {
  /** The threshold: a finding severity, a risk level, or "never". */
  failOn: string;
  /** 0 passed, 1 something is at or above the threshold, 3 Shipshape or a tool failed. */
  exitCode: number;
  /** e.g. "3 error findings introduced (policy/require-probes ×2, schema/required) at --fail-on=error". */
  reason: string;
}
