/**
 * Compose targets by convention: one per directory holding a main Compose file. Override
 * files belong to their directory's target and are never targets themselves.
 */
import { posix } from "node:path";
import type { TargetSpec } from "../../core/model/target.js";
import type { Tree } from "../../core/ports.js";
import { isMainFileName } from "./compose-files.js";

export function discoverComposeProjects(tree: Tree): TargetSpec[] {
  const dirs = new Set<string>();
  for (const file of tree.files()) {
    if (isMainFileName(posix.basename(file))) dirs.add(posix.dirname(file));
  }
  return [...dirs].sort().map((dir) => ({ id: dir, type: "compose", path: dir }));
}
