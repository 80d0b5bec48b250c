/**
 * Pairs base and head resources of one target. Identity is (group, kind, namespace, name);
 * what is left unpaired is checked for Kustomize generator renames: a ConfigMap or Secret
 * whose name differs only in the 10-character content hash kustomize appends is the same
 * object with new content, not a removal plus an addition.
 *
 * One identity can appear several times in a target (a folder of alternative install bundles,
 * a file copied next to another). Such copies are paired by where they come from, then by
 * equal content, then in order; a copy left over while the identity still exists on the other
 * side is neither added nor removed: the object is still there, and the duplicate itself is a
 * `render/duplicate-resource` finding.
 */
import { deepEqual } from "./deep-equal.js";
import { apiGroup, identityKey, type Resource } from "../model/resource.js";

export interface Pairing {
  pairs: { base: Resource; head: Resource; renamed: boolean }[];
  added: Resource[];
  removed: Resource[];
}

type Pair = Pairing["pairs"][number];

/** kustomize's hash encoding maps hex digits onto this alphabet (api/hasher). */
const GENERATOR_SUFFIX = /^(.+)-([2456789bcdfghkmt]{10})$/;

export function pairResources(base: readonly Resource[], head: readonly Resource[]): Pairing {
  const baseById = groupByIdentity(base);
  const headById = groupByIdentity(head);
  const pairs: Pair[] = [];
  const removed: Resource[] = [];
  const added: Resource[] = [];
  for (const [key, copies] of baseById) {
    const heads = headById.get(key);
    if (!heads) removed.push(...copies);
    else pairs.push(...pairCopies(copies, heads));
  }
  for (const [key, copies] of headById) if (!baseById.has(key)) added.push(...copies);
  return matchGeneratorRenames({ pairs, added, removed });
}

/** Resources by identity, each group in render order. */
export function groupByIdentity(resources: readonly Resource[]): Map<string, Resource[]> {
  const out = new Map<string, Resource[]>();
  for (const r of resources) {
    const key = identityKey(r);
    const group = out.get(key);
    if (group) group.push(r);
    else out.set(key, [r]);
  }
  return out;
}

/** Copies of one identity on both sides: by origin, then equal content, then in order. */
function pairCopies(bases: readonly Resource[], heads: readonly Resource[]): Pair[] {
  if (bases.length === 1 && heads.length === 1) return [{ base: bases[0]!, head: heads[0]!, renamed: false }];
  const pairs: Pair[] = [];
  const left = { base: [...bases], head: [...heads] };
  const take = (match: (b: Resource, h: Resource) => boolean): void => {
    for (const b of [...left.base]) {
      const i = left.head.findIndex((h) => match(b, h));
      if (i === -1) continue;
      pairs.push({ base: b, head: left.head[i]!, renamed: false });
      left.head.splice(i, 1);
      left.base.splice(left.base.indexOf(b), 1);
    }
  };
  const origin = originKeys(bases, heads);
  take((b, h) => origin.get(b) === origin.get(h));
  take((b, h) => deepEqual(b.body, h.body));
  take(() => true);
  return pairs;
}

/**
 * Where each copy comes from: its source file and how many copies of the same identity come
 * before it in that file. Copies without a known source share the empty file, so they are
 * told apart by order alone.
 */
function originKeys(bases: readonly Resource[], heads: readonly Resource[]): Map<Resource, string> {
  const out = new Map<Resource, string>();
  for (const side of [bases, heads]) {
    const seen = new Map<string, number>();
    for (const r of side) {
      const file = r.source?.file ?? "";
      const n = seen.get(file) ?? 0;
      seen.set(file, n + 1);
      out.set(r, `${file}#${n}`);
    }
  }
  return out;
}

function matchGeneratorRenames(p: Pairing): Pairing {
  const stemKey = (r: Resource): string | undefined => {
    if (apiGroup(r.apiVersion) !== "" || (r.kind !== "ConfigMap" && r.kind !== "Secret")) return undefined;
    const m = GENERATOR_SUFFIX.exec(r.name);
    return m ? `${r.kind}|${r.namespace}|${m[1]}` : undefined;
  };
  const addedByStem = new Map<string, Resource[]>();
  for (const a of p.added) {
    const stem = stemKey(a);
    if (stem) addedByStem.set(stem, [...(addedByStem.get(stem) ?? []), a]);
  }
  const taken = new Set<Resource>();
  const removed: Resource[] = [];
  const pairs = [...p.pairs];
  for (const r of p.removed) {
    const stem = stemKey(r);
    const candidates = stem ? addedByStem.get(stem) : undefined;
    // Only an unambiguous one-to-one match is a rename; otherwise report honestly.
    if (candidates && candidates.length === 1 && !taken.has(candidates[0]!)) {
      pairs.push({ base: r, head: candidates[0]!, renamed: true });
      taken.add(candidates[0]!);
    } else {
      removed.push(r);
    }
  }
  return { pairs, added: p.added.filter((a) => !taken.has(a)), removed };
}
