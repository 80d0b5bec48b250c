/**
 * Pattern keys with anchors: `(k)` conditional, `<(k)` global, `=(k)` equality, `X(k)` negation,
 * `^(k)` existence, `+(k)` add-if-missing (mutate only). Parsed once per key and cached.
 */
export type AnchorKind = "condition" | "global" | "equality" | "negation" | "existence" | "add";

export interface Anchor {
  kind: AnchorKind;
  key: string;
}

const SHAPE = /^([+<=X^]?)\((.+)\)$/;
const KINDS: Record<string, AnchorKind> = { "": "condition", "<": "global", "=": "equality", X: "negation", "^": "existence", "+": "add" };
const cache = new Map<string, Anchor | null>();

export function parseAnchor(key: string): Anchor | undefined {
  let hit = cache.get(key);
  if (hit === undefined) {
    const m = SHAPE.exec(key.trim());
    hit = m ? { kind: KINDS[m[1]!]!, key: m[2]! } : null;
    if (cache.size > 10_000) cache.clear();
    cache.set(key, hit);
  }
  return hit ?? undefined;
}

/** The key without its anchor, and the anchor's prefix (`=(`...) to put it back. */
export function removeAnchor(key: string): { key: string; anchor?: Anchor } {
  const a = parseAnchor(key);
  return a ? { key: a.key, anchor: a } : { key };
}

export function restoreAnchor(key: string, anchor: Anchor): string {
  const prefix = Object.entries(KINDS).find(([, k]) => k === anchor.kind)?.[0] ?? "";
  return `${prefix}(${key})`;
}
