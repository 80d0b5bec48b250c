/**
 * Waivers given on the pull request itself (`/shipshape waive`), as opposed to the config or
 * annotations. They name a rule id (every finding of that rule on this PR) or one finding
 * id (a reply in that finding's review thread). Like other waivers, a waived finding stays
 * in the report and stops failing the check.
 */
import type { Finding } from "./model/finding.js";

export interface CommandWaiver {
  /** A rule id (`policy/require-probes/...`, `schema/...`) or a 12-hex finding id. */
  rule: string;
  /** When set, only this finding. */
  findingId?: string;
  /** Login of who waived it. */
  by: string;
  reason: string;
  /** ISO timestamp. */
  at: string;
}

/** Rule ids and finding ids a waiver can name; risk and tool failures cannot be waived this way. */
export function isWaivable(finding: Finding): boolean {
  return finding.source !== "render" && finding.source !== "risk";
}

export function waiverCovers(w: CommandWaiver, f: Finding): boolean {
  if (w.findingId) return f.id === w.findingId;
  return w.rule === f.ruleId || w.rule === f.id || (w.rule.endsWith("/*") && f.ruleId.startsWith(w.rule.slice(0, -1)));
}

export function applyCommandWaivers(findings: readonly Finding[], waivers: readonly CommandWaiver[]): Finding[] {
  if (waivers.length === 0) return [...findings];
  return findings.map((f) => {
    if (f.waived || !isWaivable(f)) return f;
    const w = waivers.find((x) => waiverCovers(x, f));
    return w ? { ...f, waived: { reason: w.reason, source: "comment", where: `@${w.by} on the pull request` } } : f;
  });
}
