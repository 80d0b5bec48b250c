/**
 * Small wording helpers shared by the text and Markdown renderers. Everything here is
 * locale-free on purpose: `toLocaleString` would make output depend on the machine.
 */
import type { Change } from "../core/model/change.js";
import type { Finding, Severity } from "../core/model/finding.js";
import { describeRef } from "../core/model/resource.js";
import type { RendererInfo, Report } from "../core/model/report.js";
import { SEVERITIES_DESC, type Counts } from "./summary.js";

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}

/** "info" has no plural that reads well, so it stays "3 info". */
export function severityCount(count: number, severity: Severity): string {
  return severity === "info" ? `${count} info` : plural(count, severity);
}

/** "1 error, 2 warnings" — zero counts left out; empty string when all are zero. */
export function severityBreakdown(counts: Counts<Severity>): string {
  return SEVERITIES_DESC.filter((s) => counts[s] > 0)
    .map((s) => severityCount(counts[s], s))
    .join(", ");
}

/** "2 added, 1 removed" from ordered keys — zero counts left out. */
export function countBreakdown<K extends string>(keys: readonly K[], counts: Counts<K>): string {
  return keys
    .filter((k) => counts[k] > 0)
    .map((k) => `${counts[k]} ${k}`)
    .join(", ");
}

/** `file:line`, `file`, or undefined when the finding has no file. */
export function findingLocation(finding: Finding): string | undefined {
  if (!finding.file) return undefined;
  return finding.line ? `${finding.file}:${finding.line}` : finding.file;
}

/** "Deployment prod/api". */
export function describeChange(change: Change): string {
  return describeRef(change);
}

/** " (hook: pre-install)" for Helm hooks, "" for ordinary objects. */
export function hookNote(change: Change): string {
  return change.hook === undefined ? "" : ` (hook: ${change.hook})`;
}

/** The name a renamed resource had in the base, with its namespace like describeRef. */
export function previousRef(change: Change): string | undefined {
  if (change.previousName === undefined) return undefined;
  return change.namespace ? `${change.namespace}/${change.previousName}` : change.previousName;
}

export function rendererLabel(renderer: RendererInfo): string {
  return renderer.version ? `${renderer.name} ${renderer.version}` : renderer.name;
}

/** "850ms" below a second, "1.2s" above: enough precision to spot a slow render. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "-";
  if (ms < 1000) return `${Math.round(ms)}ms`;
  return `${(ms / 1000).toFixed(1)}s`;
}

/** Lines in a unified diff, not counting the empty string after a trailing newline. */
export function diffLineCount(diff: string): number {
  if (diff === "") return 0;
  const lines = diff.split("\n");
  return lines[lines.length - 1] === "" ? lines.length - 1 : lines.length;
}

export interface TargetChanges {
  target: string;
  changes: Change[];
}

/**
 * Changes grouped by target, in the report's target order. Changes naming a target the
 * report does not list still show up, after the known ones, rather than vanish.
 */
export function groupChangesByTarget(report: Report): TargetChanges[] {
  const groups = new Map<string, Change[]>();
  for (const t of report.targets) groups.set(t.id, []);
  for (const c of report.changes) {
    const group = groups.get(c.target);
    if (group) group.push(c);
    else groups.set(c.target, [c]);
  }
  return [...groups].filter(([, changes]) => changes.length > 0).map(([target, changes]) => ({ target, changes }));
}

/** Most severe first; the sort is stable so the report's order holds within a severity. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITIES_DESC.indexOf(a.severity) - SEVERITIES_DESC.indexOf(b.severity));
}
