/**
 * Pairs base and head resources of one target. Identity is (group, kind, namespace, name);
 * what is left unpaired is checked for Kustomize generator renames: a ConfigMap or Secret
 * whose name differs only in the 10-character content hash kustomize appends is the same
 * object with new content, not a removal plus an addition.
 */
import { apiGroup, identityKey, type Resource } from "../model/resource.js";

export interface Pairing {
  pairs: { base: Resource; head: Resource; renamed: boolean }[];
  added: Resource[];
  removed: Resource[];
}

/** kustomize's hash encoding maps hex digits onto this alphabet (api/hasher). */
const GENERATOR_SUFFIX = /^(.+)-([2456789bcdfghkmt]{10})$/;

export function pairResources(base: readonly Resource[], head: readonly Resource[]): Pairing {
  const headByKey = new Map(head.map((r) => [identityKey(r), r]));
  const pairs: Pairing["pairs"] = [];
  const removed: Resource[] = [];
  const matched = new Set<string>();
  for (const b of base) {
    const key = identityKey(b);
    const h = headByKey.get(key);
    if (h && !matched.has(key)) {
      pairs.push({ base: b, head: h, renamed: false });
      matched.add(key);
    } else {
      removed.push(b);
    }
  }
  const added = head.filter((h) => !matched.has(identityKey(h)));
  return matchGeneratorRenames({ pairs, added, removed });
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
