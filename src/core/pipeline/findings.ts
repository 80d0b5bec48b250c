/** Turning input and render problems into findings, and deciding which ones the PR introduced. */
import { makeFinding, nthFindingId, type Finding, type FindingSource } from "../model/finding.js";
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
 * (file, line) does not count, so renames and moves introduce nothing.
 */
export function markIntroduced(head: Finding[], base: Finding[]): Finding[] {
  const seen = new Set(distinct(base).map(introducedKey));
  return distinct(head).map((f) => ({ ...f, introduced: ALWAYS_INTRODUCED.has(f.ruleId) || !seen.has(introducedKey(f)) }));
}

/**
 * Findings about this run rather than the code: a target the run did not review must not pass
 * because its base was not reviewed either.
 */
const ALWAYS_INTRODUCED: ReadonlySet<string> = new Set(["render/output-budget-exhausted"]);

/** What makes two findings "the same problem" across base and head: their id. */
export function introducedKey(f: Finding): string {
  return f.id;
}

/**
 * One side's findings with one id each. Copies of a resource's finding (the resource is
 * defined twice in the target) are listed once; the same problem without a resource at
 * several places is numbered, in the order found.
 */
function distinct(findings: readonly Finding[]): Finding[] {
  const count = new Map<string, number>();
  const out: Finding[] = [];
  for (const f of findings) {
    const n = count.get(f.id) ?? 0;
    count.set(f.id, n + 1);
    if (n === 0) out.push(f);
    else if (!f.resource) out.push({ ...f, id: nthFindingId(f.id, n) });
  }
  return out;
}
