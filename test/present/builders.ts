/** Small builders for Report objects in presentation tests: defaults plus overrides. */
import type { Change } from "../../src/core/model/change.js";
import type { RiskReason } from "../../src/core/model/risk.js";
import type { Finding } from "../../src/core/model/finding.js";
import type { Report, TargetReport } from "../../src/core/model/report.js";

export function target(id: string, overrides: Partial<TargetReport> = {}): TargetReport {
  return {
    id,
    type: "kustomize",
    path: id,
    affected: true,
    status: "rendered",
    renderer: { name: "kustomize", version: "5.4.3" },
    resources: { base: 2, head: 2 },
    durationMs: 120,
    ...overrides,
  };
}

export function change(targetId: string, name: string, overrides: Partial<Change> = {}): Change {
  return {
    target: targetId,
    action: "modified",
    apiVersion: "apps/v1",
    kind: "Deployment",
    namespace: "prod",
    name,
    summary: [],
    diff: "",
    ...overrides,
  };
}

export function finding(ruleId: string, overrides: Partial<Finding> = {}): Finding {
  return {
    id: `id-${ruleId}`,
    source: "policy",
    ruleId,
    severity: "warning",
    message: `${ruleId} fired`,
    target: "apps/api",
    introduced: true,
    ...overrides,
  };
}

export function report(overrides: Partial<Report> = {}): Report {
  return {
    schemaVersion: 1,
    base: { ref: "main" },
    head: { ref: "feature/bump" },
    targets: [],
    changes: [],
    findings: [],
    ...overrides,
  };
}

/** A unified diff of `lines` changed lines for `name`, each line `width` characters wide. */
export function bigDiff(name: string, lines: number, width = 60): string {
  const out = [`--- a/${name}`, `+++ b/${name}`, `@@ -1,${lines} +1,${lines} @@`];
  for (let i = 0; i < lines; i++) out.push(`+${`${name} line ${i} `.padEnd(width, "x")}`);
  return `${out.join("\n")}\n`;
}

/** A risk reason on the demo's StatefulSet; tests override what they are about. */
export function reason(overrides: Partial<RiskReason> = {}): RiskReason {
  return {
    ruleId: "statefulset-immutable-fields",
    level: "critical",
    category: "statefulset",
    target: "platform/db",
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    namespace: "data",
    name: "postgres",
    message: "StatefulSet data/postgres changes spec.volumeClaimTemplates",
    itemHash: "a".repeat(64),
    approvers: ["alice", "team:org/dba"],
    approval: { count: 2, allowAuthor: false, acceptReviews: true, minPermission: "write" },
    ...overrides,
  };
}

