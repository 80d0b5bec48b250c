/**
 * Cases taken from the history of public repositories (fixtures/real/<case>/): a real change,
 * reduced to the smallest subtree that keeps its behaviour, as `base/` and `head/` folders, and
 * a `case.json` that says what a correct review of it shows. Written by someone who had not seen
 * the model's fixes, so the cases check the model, not its tests.
 */
import { createHash } from "node:crypto";
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync } from "node:fs";
import { join } from "node:path";
import { PROJECT_ROOT } from "../helpers/cli.js";

export const REAL_ROOT = join(PROJECT_ROOT, "fixtures", "real");

export type RiskLevel = "none" | "low" | "medium" | "high" | "critical";
export type ChangeAction = "added" | "removed" | "modified" | "renamed";
export type NotReviewedReason =
  | "users-failed"
  | "base-failed"
  | "budget-exhausted"
  | "unused"
  | "ignored"
  | "policy-file"
  | "not-configured";
/** How a correct review accounts for one changed file. */
export type FileAccount = "reviewed" | "not-infrastructure" | { notReviewed: NotReviewedReason };

export interface ExpectedChange {
  /** Left out when the target that shows the change is not the point (any target will do). */
  target?: string;
  kind: string;
  /** Left out when the namespace cannot be known (a custom resource whose scope no CRD gives). */
  namespace?: string;
  name: string;
  action: ChangeAction;
}

export interface FindingPattern {
  ruleId: string;
  /** Repository path the finding must point at (exactly), when it matters. */
  file?: string;
  /** A prefix of the file, for findings that must (not) point into a folder. */
  filePrefix?: string;
}

export interface CaseExpectations {
  /** Every distinct resource change of a correct review, and no other. */
  changes: ExpectedChange[];
  /** The highest risk level the change justifies. */
  maxRisk: RiskLevel;
  /** The level the real changes reach at least (a review that misses them is below it). */
  minRisk?: RiskLevel;
  /** Every file the change touches (base or head side), with its accounting. */
  files: Record<string, FileAccount>;
  /** Findings a correct review has (anywhere, introduced or not). */
  requiredFindings?: FindingPattern[];
  /** Findings a correct review never has. */
  forbiddenFindings?: FindingPattern[];
  /**
   * Rule ids a correct review may mark `introduced`; any other introduced finding is a
   * mismatch. Absent: nothing may be introduced.
   */
  introducedAllowed?: string[];
  /**
   * Lines a change's diff must not have (a regular expression over its `+`/`-` lines): a field
   * that only differs between two renders of the same input (a random password) is no change.
   */
  diffExcludes?: { kind: string; name: string; pattern: string }[];
  /** The CLI's exit code with `--fail-on error`, when it is certain. */
  exitCode?: number;
}

export interface RealCase {
  name: string;
  dir: string;
  source: {
    repo: string;
    license: string;
    notice: string;
    baseCommit: string;
    headCommit: string;
    pullRequest?: string;
  };
  /** What the real change does, in a sentence or two. */
  change: string;
  /** What was cut to make the case small, and what was kept. */
  reduction: string;
  /** The items of issue 12 the case is about. */
  items: number[];
  expect: CaseExpectations;
  /** Expectation name -> why current main fails it (the issue-12 item it shows). */
  failsOnMain?: Record<string, string>;
}

export function loadCases(): RealCase[] {
  if (!existsSync(REAL_ROOT)) return [];
  return readdirSync(REAL_ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(REAL_ROOT, d.name, "case.json")))
    .map((d) => {
      const dir = join(REAL_ROOT, d.name);
      const json = JSON.parse(readFileSync(join(dir, "case.json"), "utf8")) as Omit<RealCase, "name" | "dir">;
      return { ...json, name: d.name, dir };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Repository-relative paths that differ between two folders (added, removed or edited). */
export function changedFiles(base: string, head: string): string[] {
  const a = fingerprints(base);
  const b = fingerprints(head);
  const out = new Set<string>();
  for (const [path, print] of a) if (b.get(path) !== print) out.add(path);
  for (const path of b.keys()) if (!a.has(path)) out.add(path);
  return [...out].sort();
}

function fingerprints(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const full = join(root, path);
      if (entry.isDirectory()) walk(path);
      else if (lstatSync(full).isSymbolicLink()) out.set(path, `link:${readlinkSync(full)}`);
      else out.set(path, createHash("sha256").update(readFileSync(full)).digest("hex"));
    }
  };
  if (existsSync(root)) walk("");
  return out;
}
