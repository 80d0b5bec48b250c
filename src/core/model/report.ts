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
  path: string;
  affected: boolean;
  status: TargetStatus;
  renderer: RendererInfo;
  resources: { base: number; head: number };
  durationMs: number;
  error?: string;
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
}
