/** A base or head given as a directory: copied into a private snapshot before use. */
import { cp, stat } from "node:fs/promises";
import { basename, resolve } from "node:path";
import { SourceError } from "./errors.js";
import { scanSnapshot, SnapshotTree } from "./snapshot-tree.js";

export async function isDirectory(path: string): Promise<boolean> {
  const info = await stat(path).catch(() => undefined);
  return info?.isDirectory() ?? false;
}

export async function snapshotDirectory(dir: string, ref: string, into: string): Promise<SnapshotTree> {
  const src = resolve(dir);
  if (!(await isDirectory(src))) throw new SourceError(`${dir}: not a directory`);
  // verbatimSymlinks keeps links as written; scanSnapshot then drops those that escape.
  await cp(src, into, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (from) => basename(from) !== ".git",
  });
  const scan = await scanSnapshot(into);
  return new SnapshotTree(ref, into, scan.files, scan.removedSymlinks);
}
