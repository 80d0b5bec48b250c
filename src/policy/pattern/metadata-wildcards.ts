/**
 * Wildcard keys under `metadata.labels` / `metadata.annotations` of a pattern
 * (`container.apparmor.security.beta.kubernetes.io/*: ...`) stand for the resource's matching
 * keys. Kyverno expands such a key to one matching key; we expand it to every matching key,
 * which is deterministic and never weaker. A wildcard key matching nothing is kept as it is.
 */
import { hasWildcard, wildcardMatch } from "../values/wildcard.js";
import { parseAnchor, removeAnchor, restoreAnchor } from "./anchor.js";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function entryFor(tag: string, map: Obj): [string, unknown] | undefined {
  for (const [k, v] of Object.entries(map)) if (removeAnchor(k).key === tag) return [k, v];
  return undefined;
}

export function expandMetadataWildcards(pattern: Obj, resource: Obj): Obj {
  const patternMeta = entryFor("metadata", pattern);
  const resourceMeta = resource.metadata;
  if (!patternMeta || !isObj(patternMeta[1]) || !isObj(resourceMeta)) return pattern;
  let meta = patternMeta[1];
  let changed = false;
  for (const tag of ["labels", "annotations"]) {
    const patternTag = entryFor(tag, meta);
    const resourceTag = resourceMeta[tag];
    if (!patternTag || !isObj(patternTag[1]) || !isObj(resourceTag)) continue;
    if (!Object.keys(patternTag[1]).some(hasWildcard)) continue;
    meta = { ...meta, [patternTag[0]]: expandTag(patternTag[1], resourceTag) };
    changed = true;
  }
  return changed ? { ...pattern, [patternMeta[0]]: meta } : pattern;
}

function expandTag(pattern: Obj, resource: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(pattern)) {
    const { key, anchor } = removeAnchor(k);
    if (!hasWildcard(key)) {
      out[k] = v;
      continue;
    }
    const matches = Object.keys(resource).filter((rk) => wildcardMatch(key, rk));
    if (matches.length === 0) {
      out[k] = v;
      continue;
    }
    for (const m of matches) out[anchor && parseAnchor(k) ? restoreAnchor(m, anchor) : m] = v;
  }
  return out;
}
