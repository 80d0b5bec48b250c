/**
 * The findings the change did not introduce, in the terminal: what it fixed (listed, it is
 * news), and what was already there (counted by rule; listed one row per rule and place with
 * --verbose, since a long-standing backlog drowns the new findings above it).
 */
import type { Finding } from "../../core/model/finding.js";
import type { Report } from "../../core/model/report.js";
import { countByRule, groupFindings, targetsPhrase, type FindingGroup } from "../finding-groups.js";
import { findingLocation, plural } from "../format.js";
import { sanitizeForTerminal, type Paint } from "./ansi.js";

export function resolvedSection(resolved: readonly Finding[], paint: Paint): string[] {
  if (resolved.length === 0) return [];
  const lines = [paint("bold", `Fixed by this change (${resolved.length})`), paint("dim", "  on the base, gone on the head")];
  for (const group of groupFindings(resolved)) lines.push(groupLine(group, paint));
  return [...lines, ""];
}

export function preExistingSection(findings: readonly Finding[], verbose: boolean, paint: Paint): string[] {
  if (findings.length === 0) return [];
  if (verbose) {
    const lines = [paint("bold", `Pre-existing (${findings.length}, not introduced by this change)`)];
    for (const group of groupFindings(findings)) lines.push(groupLine(group, paint));
    return [...lines, ""];
  }
  const counts = countByRule(findings);
  const width = Math.max(...counts.map((c) => String(c.count).length));
  const lines = [paint("bold", `Pre-existing (${findings.length}, not introduced by this change; --verbose lists them)`)];
  for (const c of counts) lines.push(`  ${String(c.count).padStart(width)}  ${sanitizeForTerminal(c.ruleId)} ${paint("dim", `(${c.severity})`)}`);
  return [...lines, ""];
}

/** ", 3 fixed" after the summary's finding counts, when the change fixes some. */
export function resolvedSummary(report: Report): string {
  const n = report.resolved?.length ?? 0;
  return n > 0 ? `, ${plural(n, "finding")} fixed` : "";
}

function groupLine(group: FindingGroup, paint: Paint): string {
  const f = group.first;
  const where = findingLocation(f);
  const place = where ? `${sanitizeForTerminal(where)} ${sanitizeForTerminal(targetsPhrase(group.targets))}` : sanitizeForTerminal(f.target);
  const [message = ""] = f.message.split("\n");
  const extra = group.findings.length > group.targets.length ? paint("dim", ` (${group.findings.length} findings)`) : "";
  return `  ${place}: ${sanitizeForTerminal(message)} ${paint("dim", `[${sanitizeForTerminal(f.ruleId)}]`)}${extra}`;
}
