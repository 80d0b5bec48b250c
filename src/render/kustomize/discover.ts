/**
 * Kustomize targets by convention: every directory with a kustomization file, except
 * those another kustomization uses (bases, components, nested resources). Those render
 * through their users; rendering them alone would report the same objects twice and
 * often fails (a base with no namespace, a Component that cannot build on its own).
 */
import type { Tree } from "../../core/ports.js";
import type { TargetSpec } from "../../core/model/target.js";
import { findKustomizationFile, isKustomizationFile, readKustomization } from "./kustomization-file.js";
import { extractReferences } from "./references.js";
import { dirOf, resolveRepoPath } from "../repo-path.js";

export async function discoverKustomizations(tree: Tree): Promise<TargetSpec[]> {
  const dirs = [...new Set(tree.files().filter(isKustomizationFile).map(dirOf))].sort();
  const known = new Set(dirs);
  const used = new Set<string>();
  for (const dir of dirs) {
    const file = findKustomizationFile(tree, dir);
    if (!file) continue;
    const parsed = await readKustomization(tree, file);
    // An unparsable kustomization stays a target, so its error gets reported.
    if (!parsed.ok) continue;
    const k = parsed.kustomization.value;
    if (k.kind === "Component") used.add(dir);
    for (const ref of extractReferences(k)) {
      if (ref.kind !== "resource") continue;
      const path = resolveRepoPath(dir, ref.value);
      if (path !== undefined && path !== dir && known.has(path)) used.add(path);
    }
  }
  return dirs.filter((dir) => !used.has(dir)).map((dir) => ({ id: dir, type: "kustomize", path: dir }));
}
