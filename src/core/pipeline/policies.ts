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

export async function evaluateSide(
  evaluator: PolicyEvaluator,
  target: TargetSpec,
  side: "base" | "head",
  resources: readonly Resource[] | undefined,
  allResources: readonly Resource[],
): Promise<Finding[]> {
  if (!resources || resources.length === 0) return [];
  const issues = await evaluator.evaluate({ side, target, resources, allResources });
  return issues.map((i) => policyIssueToFinding(i, target.id));
}

export function policyIssueToFinding(issue: PolicyIssue, target: string): Finding {
  const segments = issue.path ? pathSegments(issue.path) : [];
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
