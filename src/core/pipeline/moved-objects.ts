/**
 * Objects that move between folder targets (a folder split in two, a file moved to another
 * overlay, a renamed folder) are, target by target, removed from one and added to another: a
 * Namespace "removed: everything in it is deleted", a StatefulSet removed and added. Folder
 * targets stand for one cluster applied folder by folder, where such a move deletes nothing.
 * An object removed from exactly one folder target and added to exactly one other is paired
 * here: the pair becomes one `modified` change in the target it moved to (summary "moved from
 * …") when its content changed, and nothing when it did not; for cost and risk the object's
 * base counts in the target it moved to, and its findings the old target had are not new.
 *
 * GitOps applications are not paired: moving an object from one Application to another is a
 * prune and a create by the controller (and may cross clusters). Nor are Compose projects: one
 * in another folder has another project name, and so new containers, networks and volumes.
 */
import type { Change } from "../model/change.js";
import type { Finding } from "../model/finding.js";
import { identityKey, type Resource } from "../model/resource.js";
import { compareChanges, diffTarget, type StripNoise } from "../diff/diff-target.js";

export interface ComparableTarget {
  id: string;
  base?: Resource[];
  head?: Resource[];
}

export interface MovedObject {
  from: string;
  to: string;
  /** identityKey of the object. */
  key: string;
}

export interface MovedObjects {
  changes: Change[];
  moved: MovedObject[];
}

/**
 * `changes` with each moved object's removal and addition replaced (see above). Moves each
 * paired object's base resource from its old target's `base` list to its new target's in
 * `comparable` (new arrays: the rendered lists are shared with the validator and policies).
 */
export function pairMovedObjects(changes: readonly Change[], comparable: ComparableTarget[], eligible: (id: string) => boolean, stripNoise: StripNoise): MovedObjects {
  // Unique among all targets, then both ends allowed: an object a GitOps application also adds is no move.
  const removed = byKey(changes.filter((c) => c.action === "removed"));
  const added = byKey(changes.filter((c) => c.action === "added"));
  const targets = new Map(comparable.map((t) => [t.id, t] as const));
  const replaced = new Set<Change>();
  const fresh: Change[] = [];
  const moved: MovedObject[] = [];
  for (const [key, gone] of removed) {
    const came = added.get(key);
    if (gone.length !== 1 || came?.length !== 1 || gone[0]!.target === came[0]!.target || !eligible(gone[0]!.target) || !eligible(came[0]!.target)) continue;
    const [from, to] = [targets.get(gone[0]!.target), targets.get(came[0]!.target)];
    const base = from?.base?.find((r) => identityKey(r) === key);
    const head = to?.head?.find((r) => identityKey(r) === key);
    if (!from || !to || !base || !head) continue;
    replaced.add(gone[0]!).add(came[0]!);
    from.base = from.base!.filter((r) => r !== base);
    to.base = [...(to.base ?? []), base];
    moved.push({ from: from.id, to: to.id, key });
    for (const change of diffTarget(to.id, [base], [head], stripNoise)) fresh.push({ ...change, summary: [`moved from ${from.id}`, ...change.summary] });
  }
  if (moved.length === 0) return { changes: [...changes], moved };
  // Each target's changes stay in diffTarget's order (the report sorts by target only).
  const kept = [...changes.filter((c) => !replaced.has(c)), ...fresh];
  return { changes: kept.sort((a, b) => (a.target < b.target ? -1 : a.target > b.target ? 1 : compareChanges(a, b))), moved };
}

/** Per target it moved to: where its objects came from and how many. */
export function movedFromOf(moved: readonly MovedObject[]): Map<string, { target: string; objects: number }[]> {
  const out = new Map<string, Map<string, number>>();
  for (const m of moved) {
    const counts = out.get(m.to) ?? new Map<string, number>();
    counts.set(m.from, (counts.get(m.from) ?? 0) + 1);
    out.set(m.to, counts);
  }
  return new Map([...out].map(([to, counts]) => [to, [...counts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([target, objects]) => ({ target, objects }))]));
}

/**
 * Introduced findings about a moved object, cleared where its old target's base had the same
 * (rule, JSON path): the problem moved with it.
 */
export function unmarkMovedObjects(findings: readonly Finding[], moved: readonly MovedObject[], baseFindings: ReadonlyMap<string, readonly Finding[]>): Map<Finding, Finding> {
  const out = new Map<Finding, Finding>();
  if (moved.length === 0) return out;
  const seen = new Set<string>();
  for (const m of moved) for (const f of baseFindings.get(m.from) ?? []) if (f.resource && refKey(f) === m.key) seen.add(findingKey(m.to, f));
  for (const f of findings) if (f.introduced && f.resource && seen.has(findingKey(f.target, f))) out.set(f, { ...f, introduced: false });
  return out;
}

function byKey(changes: readonly Change[]): Map<string, Change[]> {
  const out = new Map<string, Change[]>();
  for (const c of changes) out.set(identityKey(c), [...(out.get(identityKey(c)) ?? []), c]);
  return out;
}

const refKey = (f: Finding) => identityKey(f.resource!);

function findingKey(target: string, f: Finding): string {
  return [target, f.ruleId, refKey(f), f.path ?? ""].join("\u0000");
}
