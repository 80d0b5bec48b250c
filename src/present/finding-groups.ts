/**
 * Findings folded into one row per rule and source place. Overlays that share a base (dev,
 * staging, prod) report the base's problem once each; a reviewer needs it once, with the
 * targets named. Findings without a file stay per target: their place is the target.
 */
import type { Finding } from "../core/model/finding.js";
import { findingLocation, plural } from "./format.js";

export interface FindingGroup {
  /** The first finding of the group, in the order given: its message and severity stand for all. */
  first: Finding;
  findings: Finding[];
  /** Distinct targets, in order of first appearance. */
  targets: string[];
}

export function groupFindings(findings: readonly Finding[]): FindingGroup[] {
  const groups = new Map<string, FindingGroup>();
  for (const f of findings) {
    const place = findingLocation(f) ?? `target:${f.target}`;
    const key = [f.severity, f.ruleId, place].join("\u0000");
    const group = groups.get(key);
    if (!group) {
      groups.set(key, { first: f, findings: [f], targets: [f.target] });
      continue;
    }
    group.findings.push(f);
    if (!group.targets.includes(f.target)) group.targets.push(f.target);
  }
  return [...groups.values()];
}

/** "in apps/api/overlays/dev" or "in 3 targets: a, b, c"; `code` wraps each name (Markdown). */
export function targetsPhrase(targets: readonly string[], code: (name: string) => string = (n) => n): string {
  if (targets.length === 1) return `in ${code(targets[0]!)}`;
  return `in ${plural(targets.length, "target")}: ${targets.map(code).join(", ")}`;
}

export interface RuleCount {
  ruleId: string;
  severity: Finding["severity"];
  count: number;
}

/** Findings counted by rule, most frequent first (ties by rule id), for the short text form. */
export function countByRule(findings: readonly Finding[]): RuleCount[] {
  const counts = new Map<string, RuleCount>();
  for (const f of findings) {
    const c = counts.get(f.ruleId);
    if (c) c.count += 1;
    else counts.set(f.ruleId, { ruleId: f.ruleId, severity: f.severity, count: 1 });
  }
  return [...counts.values()].sort((a, b) => b.count - a.count || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
}
