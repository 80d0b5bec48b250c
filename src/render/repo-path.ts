/**
 * Paths in and out of the repository: resolving a path written in a repository file (a
 * kustomization entry, a values file) against its directory, and the absolute folders to
 * keep out of messages. Shared by the kustomize and helm renderers.
 */
import { realpathSync } from "node:fs";
import { posix } from "node:path";
import type { Tree } from "../core/ports.js";
import type { ToolOptions } from "./tool-options.js";

/**
 * The repo-relative POSIX path `ref` names from `baseDir`, or undefined when it is
 * absolute or climbs above the repository root: renderers must never read outside the
 * snapshot.
 */
export function resolveRepoPath(baseDir: string, ref: string): string | undefined {
  if (ref.startsWith("/") || ref.includes("\0")) return undefined;
  const joined = posix.normalize(posix.join(baseDir, ref));
  if (joined === ".." || joined.startsWith("../")) return undefined;
  const trimmed = joined.length > 1 && joined.endsWith("/") ? joined.slice(0, -1) : joined;
  return trimmed === "" ? "." : trimmed;
}

/** posix.dirname, with "." for files at the root. */
export function dirOf(path: string): string {
  return posix.dirname(path);
}

/** `file:line` or just `file`, for messages. */
export function at(file: string, line: number | undefined): string {
  return line === undefined ? file : `${file}:${line}`;
}

/** The absolute folders to strip from tool messages; tools print resolved (real) paths. */
export function rootsOf(tree: Tree, opts: ToolOptions): string[] {
  const roots = [tree.root, opts.scratchDir];
  for (const dir of [tree.root, opts.scratchDir]) {
    try {
      roots.push(realpathSync(dir));
    } catch {
      // The folder may not exist; nothing to add.
    }
  }
  return roots;
}
