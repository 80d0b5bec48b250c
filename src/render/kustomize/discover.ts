/**
 * Kustomize targets by convention: every directory with a kustomization file, except
 * those another kustomization uses (bases, components, nested resources). Those render
 * through their users; rendering them alone would report the same objects twice and
 * often fails (a base with no namespace, a Component that cannot build on its own).
 * A cycle that nothing else uses (a lists ../b, b lists ../a) would leave no target at all,
 * so one of its folders becomes the target, and its input walk reports the cycle.
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
  const components = new Set<string>();
  /** Kustomization folders each one names, itself included. */
  const edges = new Map<string, string[]>();
  for (const dir of dirs) {
    const file = findKustomizationFile(tree, dir);
    if (!file) continue;
    const parsed = await readKustomization(tree, file);
    // An unparsable kustomization stays a target, so its error gets reported.
    if (!parsed.ok) continue;
    const k = parsed.kustomization.value;
    if (k.kind === "Component") components.add(dir);
    const named: string[] = [];
    for (const ref of extractReferences(k)) {
      if (ref.kind !== "resource") continue;
      const path = resolveRepoPath(dir, ref.value);
      if (path === undefined || !known.has(path)) continue;
      named.push(path);
      if (path !== dir) used.add(path);
    }
    edges.set(dir, named);
  }
  const roots = dirs.filter((dir) => !used.has(dir) && !components.has(dir));
  // A Component cannot build alone: the folder a cycle is reported from is another one when it can be.
  const byPreference = [...dirs.filter((d) => !components.has(d)), ...dirs.filter((d) => components.has(d))];
  return [...roots, ...unreachedCycles(byPreference, roots, edges)].sort().map((dir) => ({ id: dir, type: "kustomize", path: dir }));
}

/** One folder of each cycle no target reaches (the first in `dirs`), so the cycle is reported. */
function unreachedCycles(dirs: string[], roots: string[], edges: Map<string, string[]>): string[] {
  const reached = new Set<string>();
  const reach = (from: string) => {
    const pending = [from];
    for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
      for (const next of edges.get(dir) ?? []) {
        if (reached.has(next)) continue;
        reached.add(next);
        pending.push(next);
      }
    }
  };
  for (const root of roots) {
    reached.add(root);
    reach(root);
  }
  const extra: string[] = [];
  for (const dir of dirs) {
    if (reached.has(dir) || !reachesItself(dir, edges)) continue;
    extra.push(dir);
    reach(dir);
  }
  return extra;
}

function reachesItself(start: string, edges: Map<string, string[]>): boolean {
  const seen = new Set<string>();
  const pending = [...(edges.get(start) ?? [])];
  for (let dir = pending.pop(); dir !== undefined; dir = pending.pop()) {
    if (dir === start) return true;
    if (seen.has(dir)) continue;
    seen.add(dir);
    pending.push(...(edges.get(dir) ?? []));
  }
  return false;
}
