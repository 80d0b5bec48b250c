/** Turning input and render problems into findings, and deciding which ones the PR introduced. */
import { makeFinding, type Finding, type FindingSource } from "../model/finding.js";
import type { InputProblem } from "../ports.js";

/**
 * Rules about the target as a whole: one per target and side, whatever the tool's message
 * says, so a target that keeps failing with new words is still the same problem.
 */
const TARGET_WIDE_RULES: ReadonlySet<string> = new Set([
  "render/failed",
  "render/timeout",
  "render/output-too-large",
  "render/memory-limit",
  "render/base-failed",
  "render/budget-exhausted",
  "config/target-missing",
]);

export function problemToFinding(p: InputProblem, target: string): Finding {
  const key = p.key ?? (TARGET_WIDE_RULES.has(p.ruleId) ? "" : undefined);
  return makeFinding({
    source: sourceOf(p.ruleId),
    ruleId: p.ruleId,
    severity: p.severity,
    message: p.message,
    target,
    ...(p.file ? { file: p.file } : {}),
    ...(p.line ? { line: p.line } : {}),
    ...(key !== undefined ? { key } : {}),
  });
}

/** Rule prefixes of render-time problems; Compose normaliser rules are render findings too. */
const SOURCE_BY_PREFIX: Readonly<Record<string, FindingSource>> = { render: "render", compose: "render", input: "input", config: "config" };

function sourceOf(ruleId: string): FindingSource {
  return SOURCE_BY_PREFIX[ruleId.slice(0, ruleId.indexOf("/"))] ?? "render";
}

/**
 * A head finding is pre-existing when the base has one with the same id: the same rule,
 * target, resource, JSON path and offending content (see makeFinding). Where it was seen
 * (file, line) does not count, so renames and moves introduce nothing. Copies of one
 * finding (the same resource defined twice in a target) are reported once.
 */
export function markIntroduced(head: Finding[], base: Finding[]): Finding[] {
  const seen = new Set(base.map(introducedKey));
  return once(head).map((f) => ({ ...f, introduced: !seen.has(introducedKey(f)) }));
}

/** What makes two findings "the same problem" across base and head: their id. */
export function introducedKey(f: Finding): string {
  return f.id;
}

function once(findings: Finding[]): Finding[] {
  const ids = new Set<string>();
  return findings.filter((f) => {
    if (ids.has(f.id)) return false;
    ids.add(f.id);
    return true;
  });
}
