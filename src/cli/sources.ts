/** Turning --base/--head into Trees: a directory when one exists, else a git revision. */
import { resolve } from "node:path";
import type { LazyTree } from "../repo/lazy-tree.js";
import { isDirectory, openDirectory } from "../repo/dir-source.js";
import { openRevision } from "../repo/git-source.js";

/** `into` is the private folder files are materialised into when a tool needs them. */
export async function openSource(spec: string, repo: string, cwd: string, into: string): Promise<LazyTree> {
  const asDir = resolve(cwd, spec);
  if (await isDirectory(asDir)) return openDirectory(asDir, spec, into);
  return openRevision(resolve(cwd, repo), spec, into);
}
