/**
 * Go (RE2) regular expressions as JavaScript RegExps: named groups `(?P<n>...)` and leading
 * inline flags `(?i)` are rewritten; the rest of RE2's syntax is a subset of JavaScript's.
 */
const cache = new Map<string, RegExp>();

export function goRegex(pattern: string, global = false): RegExp {
  const key = `${global ? "g" : ""}:${pattern}`;
  let re = cache.get(key);
  if (re) return re;
  let source = pattern.replace(/\(\?P</g, "(?<").replace(/\\A/g, "^").replace(/\\z/g, "$");
  let flags = global ? "gu" : "u";
  const inline = /^\(\?([imsU]+)\)/.exec(source);
  if (inline) {
    source = source.slice(inline[0].length);
    for (const f of inline[1]!) if (f !== "U" && !flags.includes(f)) flags += f;
  }
  try {
    re = new RegExp(source, flags);
  } catch {
    // Some RE2 escapes are invalid under the "u" flag; retry without it.
    re = new RegExp(source, flags.replace("u", ""));
  }
  if (cache.size > 2000) cache.clear();
  cache.set(key, re);
  return re;
}

/** Go's Regexp.ReplaceAllString replacement syntax ($1, ${1}, ${name}) in JavaScript's. */
export function goReplacement(template: string): string {
  return template.replace(/\$\{(\d+)\}/g, "$$$1").replace(/\$\{([A-Za-z_]\w*)\}/g, "$$<$1>");
}
