/**
 * The last step of a review: every string of the report and of the tool errors goes through
 * the run's secret set. Fields that code downstream reads as enumerations or identifiers are
 * kept as they are, so a pull request cannot break the report's meaning (a severity, a
 * conclusion, a waiver id) by making a secret out of one of those words.
 *
 * Before that, two things the scrub alone would miss:
 * - credentials a tool quoted in a message in a form credentialSpans recognises (a URL's
 *   password, `--db-password=…`, `Authorization: Bearer …`) join the set, whatever produced
 *   them (a template computing a URL, a value under a plain key);
 * - a finding whose message held a secret gets its id again from the scrubbed message: the
 *   id is published (JSON, SARIF fingerprints, comment markers), and a digest of a secret lets
 *   anyone test guesses of it offline.
 */
import { findingId, withoutPlace, type Finding } from "../model/finding.js";
import type { Report } from "../model/report.js";
import { unambiguousCredentials } from "../secrets/credential-values.js";
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
  for (const text of [...report.findings.map((f) => f.message), ...report.targets.map((t) => t.error ?? ""), ...toolErrors]) addQuotedCredentials(text, secrets);
  const reidentified = { ...report, findings: report.findings.map((f) => reidentify(f, secrets)) };
  return { report: secrets.scrubDeep(reidentified, { keep: REPORT_KEYS }), toolErrors: toolErrors.map((e) => secrets.scrub(e)) };
}

function addQuotedCredentials(text: string, secrets: SecretSet): void {
  for (const value of unambiguousCredentials(text)) secrets.addCredential(value);
}

/**
 * A finding whose message quotes a secret may have an id derived from it (its key is the message
 * or a part of it): such a finding gets an id from the scrubbed message without its place, so
 * the id is the same whatever the secret was and is no digest of it.
 */
function reidentify(f: Finding, secrets: SecretSet): Finding {
  const scrubbed = secrets.scrub(f.message);
  return scrubbed === f.message ? f : { ...f, id: findingId(f, withoutPlace(scrubbed, f.file)) };
}
