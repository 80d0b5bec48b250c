/**
 * The policy phase: each rendered side of each affected target goes through the policy
 * evaluator with every resource rendered on that side (for cross-resource rules), and
 * a pull request that edits policy files is called out — its own policies are not the
 * ones that judge it.
 */
import picomatch from "picomatch";
import { makeFinding, type Finding } from "../model/finding.js";
import { refOf, type Resource } from "../model/resource.js";
import type { TargetSpec } from "../model/target.js";
import type { PolicyEvaluator, PolicyIssue, Tree } from "../ports.js";
import { introducedKey } from "./findings.js";

export interface TargetPolicyInput {
  target: TargetSpec;
  base?: readonly Resource[];
  head?: readonly Resource[];
  allBase: readonly Resource[];
  allHead: readonly Resource[];
  /** The base side's resources admission policies come from (allBase plus unaffected targets holding them). */
  admissionBase?: readonly Resource[];
}

/**
 * Both sides of one target. Field lines are looked up only for head findings the base does
 * not have: finding a line re-reads the resource's YAML, and a large pre-existing backlog
 * (thousands of resources without probes) would otherwise cost seconds and memory for lines
 * nobody reads (pre-existing findings are folded away and keep the resource's own line).
 */
export async function evaluateTarget(evaluator: PolicyEvaluator, input: TargetPolicyInput): Promise<{ base: Finding[]; head: Finding[] }> {
  const run = async (side: "base" | "head", resources: readonly Resource[] | undefined, all: readonly Resource[]) => {
    // Removals are judged only when the head rendered (a failed render removes nothing).
    const previous = side === "head" && resources && input.base && input.base.length > 0 ? { previous: input.base } : {};
    if (!resources || (resources.length === 0 && !("previous" in previous))) return [];
    return evaluator.evaluate({ side, target: input.target, resources, allResources: all, baseResources: input.admissionBase ?? input.allBase, ...previous });
  };
  const [baseIssues, headIssues] = await Promise.all([run("base", input.base, input.allBase), run("head", input.head, input.allHead)]);
  const base = baseIssues.map((i) => policyIssueToFinding(i, input.target.id, false));
  const known = new Set(base.map(introducedKey));
  const head = headIssues.map((i) => {
    const f = policyIssueToFinding(i, input.target.id, false);
    return known.has(introducedKey(f)) ? f : policyIssueToFinding(i, input.target.id, true);
  });
  return { base, head };
}

export function policyIssueToFinding(issue: PolicyIssue, target: string, locateField: boolean): Finding {
  const segments = locateField && issue.path ? pathSegments(issue.path) : [];
  const line = (segments.length ? issue.resource.locate?.(segments) : undefined) ?? issue.resource.source?.line;
  const file = issue.resource.source?.file;
  const prefix = issue.status === "skip" ? "not evaluated: " : issue.status === "error" ? "policy error: " : "";
  return makeFinding({
    source: "policy",
    ruleId: `policy/${issue.policy}/${issue.rule}`,
    severity: issue.severity,
    message: `${prefix}${issue.message}`,
    target,
    resource: refOf(issue.resource),
    ...(issue.path ? { path: issue.path } : {}),
    ...(file ? { file } : {}),
    ...(line ? { line } : {}),
    key: `${issue.status}|${issue.path ?? ""}`,
  });
}

/** Policy files (matching the configured globs) that differ between base and head. */
export async function changedPolicyFiles(base: Tree, head: Tree, globs: readonly string[]): Promise<string[]> {
  if (globs.length === 0) return [];
  const isPolicy = picomatch([...globs], { dot: true });
  const files = new Set([...base.files(), ...head.files()].filter((f) => isPolicy(f)));
  const changed: string[] = [];
  for (const f of files) {
    const [a, b] = await Promise.all([base.hasFile(f) ? base.digest(f) : "absent", head.hasFile(f) ? head.digest(f) : "absent"]);
    if (a !== b) changed.push(f);
  }
  return changed.sort();
}

export function policyFilesChangedFinding(files: readonly string[]): Finding {
  const shown = files.slice(0, 10).join(", ") + (files.length > 10 ? `, and ${files.length - 10} more` : "");
  return makeFinding({
    source: "policy",
    ruleId: "policy/policies-changed",
    severity: "warning",
    message: `this change edits policy files (${shown}); they take effect once merged — this pull request was checked with the base branch's versions`,
    target: ".",
    file: files[0]!,
  });
}

/** "spec.containers[0].image" → ["spec", "containers", 0, "image"]. */
function pathSegments(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of path.split(".")) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return out;
    if (m[1]) out.push(m[1]);
    for (const idx of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(idx[1]));
  }
  return out;
}
