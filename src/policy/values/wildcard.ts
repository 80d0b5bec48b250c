/**
 * Kyverno's wildcard matching: `*` matches any run of characters (also none), `?` exactly one.
 * Everything else is literal. Compiled matchers are cached because the same few patterns are
 * checked against every resource.
 */
const cache = new Map<string, (s: string) => boolean>();
const MAX_CACHE = 5000;

export function wildcardMatch(pattern: string, value: string): boolean {
  let matcher = cache.get(pattern);
  if (!matcher) {
    matcher = compile(pattern);
    if (cache.size >= MAX_CACHE) cache.clear();
    cache.set(pattern, matcher);
  }
  return matcher(value);
}

export function hasWildcard(s: string): boolean {
  return s.includes("*") || s.includes("?");
}

function compile(pattern: string): (s: string) => boolean {
  if (pattern === "") return (s) => s === "";
  if (pattern === "*") return () => true;
  if (!hasWildcard(pattern)) return (s) => s === pattern;
  let source = "^";
  for (const ch of pattern) {
    if (ch === "*") source += "[\\s\\S]*";
    else if (ch === "?") source += "[\\s\\S]";
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  }
  const re = new RegExp(`${source}$`, "u");
  return (s) => re.test(s);
}
