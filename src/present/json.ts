/**
 * The machine-readable report. Keys come out in a fixed order, whatever order the
 * pipeline built the objects in, so two runs on the same input diff cleanly and the
 * JSON reads top-down like the other formats.
 */
import type { CostReport } from "../core/model/cost.js";
import type { Finding } from "../core/model/finding.js";
import type { Report } from "../core/model/report.js";
import type { RiskReport } from "../core/model/risk.js";
import { controllerOf } from "../core/model/target.js";

const REPORT_KEYS = ["schemaVersion", "base", "head", "targets", "changes", "findings", "resolved", "cost", "risk", "coverage", "outcome"];
const OUTCOME_KEYS = ["exitCode", "failOn", "reason"];
const TARGET_KEYS = ["id", "type", "controller", "kind", "path", "affected", "status", "renderer", "resources", "durationMs", "error", "standaloneFor", "handover", "movedFrom"];
const RENDERER_KEYS = ["name", "version", "path"];
const COUNT_KEYS = ["base", "head"];
const CHANGE_KEYS = ["target", "action", "apiVersion", "kind", "namespace", "name", "previousName", "hook", "summary", "diff"];
const FINDING_KEYS = [
  "id",
  "source",
  "ruleId",
  "severity",
  "message",
  "target",
  "resource",
  "path",
  "file",
  "line",
  "introduced",
  "waived",
];
const REF_KEYS = ["apiVersion", "kind", "namespace", "name"];
const COST_KEYS = [
  "currency",
  "baseMonthly",
  "headMonthly",
  "deltaMonthly",
  "deltaPercent",
  "baseMonthlyMax",
  "headMonthlyMax",
  "threshold",
  "items",
];
const THRESHOLD_KEYS = ["monthly", "percent", "minimumMonthly", "exceeded"];
const COST_ITEM_KEYS = [
  "target",
  "apiVersion",
  "kind",
  "namespace",
  "name",
  "baseMonthly",
  "headMonthly",
  "deltaMonthly",
  "baseMonthlyMax",
  "headMonthlyMax",
  "note",
];
const RISK_KEYS = ["level", "requiresApproval", "digest", "reasons", "changes"];
const REASON_KEYS = [
  "ruleId",
  "level",
  "category",
  "target",
  "apiVersion",
  "kind",
  "namespace",
  "name",
  "message",
  "itemHash",
  "approvers",
  "approval",
];
const COVERAGE_KEYS = ["changedFiles", "reviewed", "notInfrastructure", "notReviewed"];
const REVIEWED_KEYS = ["file", "targets"];
const NOT_REVIEWED_KEYS = ["file", "reason", "message", "targets"];
const APPROVAL_KEYS = ["count", "allowAuthor", "acceptReviews", "minPermission"];
const CHANGE_RISK_KEYS = ["target", "apiVersion", "kind", "namespace", "name", "level"];

export function renderJson(report: Report): string {
  return `${JSON.stringify(orderReport(report), null, 2)}\n`;
}

function orderReport(report: Report): Record<string, unknown> {
  const ordered = orderKeys(report, REPORT_KEYS);
  ordered.base = orderKeys(report.base, ["ref"]);
  ordered.head = orderKeys(report.head, ["ref"]);
  ordered.targets = report.targets.map((t) => {
    // GitOps targets name their controller (the group the other formats list them under).
    const controller = controllerOf(t.type);
    const target = orderKeys(controller ? { ...t, controller } : t, TARGET_KEYS);
    target.renderer = orderKeys(t.renderer, RENDERER_KEYS);
    target.resources = orderKeys(t.resources, COUNT_KEYS);
    return target;
  });
  ordered.changes = report.changes.map((c) => orderKeys(c, CHANGE_KEYS));
  ordered.findings = report.findings.map(orderFinding);
  if (report.resolved) ordered.resolved = report.resolved.map(orderFinding);
  if (report.outcome) ordered.outcome = orderKeys(report.outcome, OUTCOME_KEYS);
  if (report.cost) ordered.cost = orderCost(report.cost);
  if (report.risk) ordered.risk = orderRisk(report.risk);
  if (report.coverage) {
    const coverage = orderKeys(report.coverage, COVERAGE_KEYS);
    coverage.reviewed = report.coverage.reviewed.map((r) => orderKeys(r, REVIEWED_KEYS));
    coverage.notReviewed = report.coverage.notReviewed.map((r) => orderKeys(r, NOT_REVIEWED_KEYS));
    ordered.coverage = coverage;
  }
  return ordered;
}

function orderFinding(f: Finding): Record<string, unknown> {
  const finding = orderKeys(f, FINDING_KEYS);
  if (f.resource) finding.resource = orderKeys(f.resource, REF_KEYS);
  return finding;
}

function orderCost(cost: CostReport): Record<string, unknown> {
  const ordered = orderKeys(cost, COST_KEYS);
  if (cost.threshold) ordered.threshold = orderKeys(cost.threshold, THRESHOLD_KEYS);
  if (Array.isArray(cost.items)) ordered.items = cost.items.map((i) => orderKeys(i, COST_ITEM_KEYS));
  return ordered;
}

function orderRisk(risk: RiskReport): Record<string, unknown> {
  const ordered = orderKeys(risk, RISK_KEYS);
  if (Array.isArray(risk.reasons)) {
    ordered.reasons = risk.reasons.map((r) => {
      const reason = orderKeys(r, REASON_KEYS);
      if (r.approval) reason.approval = orderKeys(r.approval, APPROVAL_KEYS);
      return reason;
    });
  }
  if (Array.isArray(risk.changes)) ordered.changes = risk.changes.map((c) => orderKeys(c, CHANGE_RISK_KEYS));
  return ordered;
}

/**
 * Known keys first in the given order, then any others (added by later features) sorted
 * by name. Values are kept as they are.
 */
function orderKeys(value: object, known: readonly string[]): Record<string, unknown> {
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of known) {
    if (Object.hasOwn(source, key)) out[key] = source[key];
  }
  const rest = Object.keys(source)
    .filter((k) => !known.includes(k))
    .sort();
  for (const key of rest) out[key] = source[key];
  return out;
}
