/**
 * Problems of the snapshots themselves (a symlink not followed, a path left out), reported only
 * where they can matter to this change: a file the change touches (the problem differs between
 * base and head) or a file in a folder that an affected target reads. Links in unrelated Go test
 * data would otherwise add the same warnings to every report of the repository. Errors are always
 * reported: a file left out of the snapshot for its path may change unseen on both sides.
 */
import type { Finding } from "../model/finding.js";
import type { InputProblem, Tree } from "../ports.js";
import { markIntroduced, problemToFinding } from "./findings.js";

/** The folders an affected target reads: its own, and those of its input files on either side. */
export function foldersRead(paths: Iterable<string>, inputFiles: Iterable<string>): Set<string> {
  const folders = new Set<string>();
  for (const p of paths) folders.add(p === "" ? "." : p);
  for (const f of inputFiles) folders.add(dirOf(f));
  return folders;
}

export function snapshotFindings(base: Tree, head: Tree, folders: ReadonlySet<string>): Finding[] {
  const baseWarnings = base.warnings ?? [];
  const headWarnings = head.warnings ?? [];
  const sameOnBoth = new Set(baseWarnings.filter((b) => headWarnings.some((h) => same(b, h))).map(keyOf));
  const concerns = (p: InputProblem) => p.severity === "error" || p.file === undefined || !sameOnBoth.has(keyOf(p)) || folders.has(dirOf(p.file));
  const toF = (problems: readonly InputProblem[]) => problems.filter(concerns).map((p) => problemToFinding(p, "."));
  return markIntroduced(toF(headWarnings), toF(baseWarnings));
}

function same(a: InputProblem, b: InputProblem): boolean {
  return keyOf(a) === keyOf(b);
}

function keyOf(p: InputProblem): string {
  return `${p.ruleId}\u0000${p.file ?? ""}\u0000${p.message}`;
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i === -1 ? "." : path.slice(0, i);
}
