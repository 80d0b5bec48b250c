/**
 * The Compose override tags. `!reset` removes what earlier files set; `!override` replaces it
 * instead of merging. They only mean something while files are merged, so the loader keeps
 * them as markers in the value tree and the merger consumes them.
 */
export type ComposeTag = "reset" | "override";

export class Tagged {
  constructor(
    readonly tag: ComposeTag,
    readonly value: unknown,
  ) {}
}

export function isTagged(v: unknown): v is Tagged {
  return v instanceof Tagged;
}

/**
 * Drops the markers from a value that has nothing under it to merge with: `!override`
 * keeps its value, `!reset` entries disappear (the spec says they fall back to "unset").
 */
export function stripTags(v: unknown): unknown {
  if (isTagged(v)) return v.tag === "reset" ? undefined : stripTags(v.value);
  if (Array.isArray(v)) return v.filter((e) => !(isTagged(e) && e.tag === "reset")).map(stripTags);
  if (isRecord(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) {
      const s = stripTags(e);
      if (s !== undefined) setKey(out, k, s);
    }
    return out;
  }
  return v;
}

export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Tagged);
}

/** Assigns without letting a YAML key named `__proto__` reach the prototype. */
export function setKey(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}
