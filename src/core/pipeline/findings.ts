/** Turning input and render problems into findings, and deciding which ones the PR introduced. */
import { makeFinding, type Finding, type FindingSource } from "../model/finding.js";
import type { InputProblem } from "../ports.js";

export function problemToFinding(p: InputProblem, target: string): Finding {
  return makeFinding({
    source: sourceOf(p.ruleId),
    ruleId: p.ruleId,
    severity: p.severity,
    message: p.message,
    target,
    ...(p.file ? { file: p.file } : {}),
    ...(p.line ? { line: p.line } : {}),
    // Line numbers move with unrelated edits; the id should not.
    key: p.message.replace(/:\d+(?=[:\s])/g, ""),
  });
}

/** Rule prefixes of render-time problems; Compose normaliser rules are render findings too. */
const SOURCE_BY_PREFIX: Readonly<Record<string, FindingSource>> = { render: "render", compose: "render", input: "input", config: "config" };

function sourceOf(ruleId: string): FindingSource {
  return SOURCE_BY_PREFIX[ruleId.slice(0, ruleId.indexOf("/"))] ?? "render";
}

/**
 * A head finding is pre-existing when the base has one with the same rule, target and
 * resource, and the same JSON path (schema findings) or file (render findings). Messages
 * are not compared: they often quote line numbers or values.
 */
export function markIntroduced(head: Finding[], base: Finding[]): Finding[] {
  const seen = new Set(base.map(introducedKey));
  return head.map((f) => ({ ...f, introduced: ALWAYS_INTRODUCED.has(f.ruleId) || !seen.has(introducedKey(f)) }));
}

/**
 * Findings about this run rather than the code: a target the run did not review must not pass
 * because its base was not reviewed either.
 */
const ALWAYS_INTRODUCED: ReadonlySet<string> = new Set(["render/output-budget-exhausted"]);

/** What makes two findings "the same problem" across base and head. */
export function introducedKey(f: Finding): string {
  return [
    f.ruleId,
    f.target,
    f.resource ? `${f.resource.kind}|${f.resource.namespace}|${f.resource.name}` : "",
    f.path !== undefined ? `path:${f.path}` : `file:${f.file ?? ""}`,
  ].join("\u0000");
}
