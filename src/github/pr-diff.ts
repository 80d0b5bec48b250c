/**
 * Which head lines a pull request's diff shows: GitHub accepts a review comment only on a
 * line inside a hunk (added or context lines on the RIGHT side).
 */
import type { GitHubApi, PullRequestRef } from "./api.js";
import { listAll } from "./paginate.js";

export interface PullFile {
  filename: string;
  status: string;
  patch?: string;
}

/** Head-side line numbers inside the hunks of a unified diff patch. */
export function rightSideLines(patch: string): Set<number> {
  const lines = new Set<number>();
  let next = 0;
  for (const line of patch.split("\n")) {
    const hunk = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      next = Number(hunk[1]);
      continue;
    }
    if (next === 0 || line.startsWith("-") || line.startsWith("\\")) continue;
    lines.add(next++);
  }
  return lines;
}

export type DiffLines = Map<string, Set<number>>;

export function diffLines(files: readonly PullFile[]): DiffLines {
  const out: DiffLines = new Map();
  for (const f of files) if (f.patch && f.status !== "removed") out.set(f.filename, rightSideLines(f.patch));
  return out;
}

/** GitHub lists at most 3,000 files of a pull request; that bound is ours too. */
export async function loadDiffLines(api: GitHubApi, pr: PullRequestRef): Promise<DiffLines> {
  const files = await listAll<PullFile>(api, "GET /repos/{owner}/{repo}/pulls/{pull_number}/files", { owner: pr.owner, repo: pr.repo, pull_number: pr.number }, 30);
  return diffLines(files);
}
