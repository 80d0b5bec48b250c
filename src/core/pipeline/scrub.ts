/**
 * The last step of a review: every string of the report and of the tool errors goes through
 * the run's secret set. Fields that code downstream reads as enumerations or identifiers are
 * kept as they are, so a pull request cannot break the report's meaning (a severity, a
 * conclusion, a waiver id) by making a secret out of one of those words.
 */
import type { Report } from "../model/report.js";
import type { SecretSet } from "../secrets/secret-set.js";

const REPORT_KEYS: ReadonlySet<string> = new Set([
  "schemaVersion",
  "id",
  "source",
  "ruleId",
  "severity",
  "status",
  "type",
  "action",
  "level",
  "category",
  "currency",
  "digest",
  "itemHash",
]);

export function scrubReview(report: Report, toolErrors: readonly string[], secrets: SecretSet): { report: Report; toolErrors: string[] } {
  return { report: secrets.scrubDeep(report, { keep: REPORT_KEYS }), toolErrors: toolErrors.map((e) => secrets.scrub(e)) };
}
