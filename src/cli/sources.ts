/** Turning --base/--head into snapshot Trees: a directory when one exists, else a git revision. */
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { SnapshotTree } from "../repo/snapshot-tree.js";
import { isDirectory, snapshotDirectory } from "../repo/dir-source.js";
import { snapshotRevision } from "../repo/git-source.js";

export async function openSource(spec: string, repo: string, cwd: string, into: string): Promise<SnapshotTree> {
  await mkdir(into, { recursive: true });
  const asDir = resolve(cwd, spec);
  if (await isDirectory(asDir)) return snapshotDirectory(asDir, spec, join(into, "tree"));
  return snapshotRevision(resolve(cwd, repo), spec, join(into, "tree"));
}
