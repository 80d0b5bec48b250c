/**
 * What the step hands to later steps (outputs) and to the pull request's "Files changed" tab
 * (annotations). Pure: the entry point hands the results to the toolkit.
 */
import type { CostReport } from "../../src/core/model/cost.js";
import type { Finding, Severity } from "../../src/core/model/finding.js";
import type { Report } from "../../src/core/model/report.js";
import type { Annotation, AnnotationLevel } from "./toolkit.js";

/** GitHub refuses a step summary over 1 MiB. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

export interface ActionOutputs {
  "risk-level": string;
  "requires-approval": string;
  "cost-delta": string;
  findings: string;
  "report-json": string;
}

/**
 * GitHub shows at most 10 annotations of each level per step (and 50 per job); the rest are
 * dropped from the UI without a word, so Shipshape stops there and says so in the summary.
 * (actions/toolkit docs/problem-matchers.md, "Limitations".)
 */
export const ANNOTATIONS_PER_LEVEL = 10;

const LEVEL: Record<Severity, AnnotationLevel> = { error: "error", warning: "warning", info: "notice" };
const ORDER: readonly Severity[] = ["error", "warning", "info"];

/** Findings the change brings and no waiver covers: the ones a reviewer must act on. */
export function actionableFindings(report: Report): Finding[] {
  return report.findings.filter((f) => f.introduced && !f.waived);
}

export function actionOutputs(report: Report, reportJsonPath: string): ActionOutputs {
  return {
    "risk-level": report.risk?.level ?? "",
    "requires-approval": String(report.risk?.requiresApproval ?? false),
    "cost-delta": formatCostDelta(report.cost),
    findings: String(actionableFindings(report).length),
    "report-json": reportJsonPath,
  };
}

/** "+62.11 USD", "-4.00 USD", "0.00 USD"; empty when cost estimation is off. */
export function formatCostDelta(cost: CostReport | undefined): string {
  if (!cost) return "";
  const amount = cost.deltaMonthly.toFixed(2);
  const sign = cost.deltaMonthly > 0 ? "+" : "";
  return `${sign}${amount === "-0.00" ? "0.00" : amount} ${cost.currency}`;
}

export interface CappedLevel {
  level: AnnotationLevel;
  shown: number;
  total: number;
}

export interface Annotations {
  /** For the toolkit, errors first. */
  list: Annotation[];
  /** Levels with more findings than annotations shown. */
  capped: CappedLevel[];
}

/** One annotation per actionable finding, errors first, at most `cap` per level. */
export function findingAnnotations(report: Report, cap = ANNOTATIONS_PER_LEVEL): Annotations {
  const findings = actionableFindings(report);
  const list: Annotation[] = [];
  const capped: CappedLevel[] = [];
  for (const severity of ORDER) {
    const level = LEVEL[severity];
    const ofLevel = findings.filter((f) => f.severity === severity);
    for (const f of ofLevel.slice(0, cap)) {
      const where = f.file ? { file: f.file, ...(f.line !== undefined ? { startLine: f.line } : {}) } : {};
      list.push({ level, message: annotationMessage(f), properties: { title: `Shipshape: ${f.ruleId}`, ...where } });
    }
    if (ofLevel.length > cap) capped.push({ level, shown: cap, total: ofLevel.length });
  }
  return { list, capped };
}

/** Where the finding is when the annotation cannot point at a file: the target and resource. */
function annotationMessage(f: Finding): string {
  const where = f.resource ? `${f.target}: ${f.resource.kind} ${f.resource.namespace ? `${f.resource.namespace}/` : ""}${f.resource.name}` : f.target;
  return `${f.message} (${where})`;
}

/** The summary's note when annotations were capped; empty when none were. */
export function cappedNote(capped: readonly CappedLevel[]): string {
  if (capped.length === 0) return "";
  const parts = capped.map((c) => `${c.shown} of ${c.total} ${c.level} annotations`);
  return `> [!NOTE]\n> Annotations shown: ${parts.join(", ")} (GitHub shows at most ${ANNOTATIONS_PER_LEVEL} per level and step). Every finding is in the JSON report (output report-json).\n`;
}
