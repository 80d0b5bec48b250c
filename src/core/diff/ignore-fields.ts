/**
 * Noise removal before diffing. A pattern is a dotted path; a segment may end in `*` to
 * match by prefix (`checksum/*`), `*` alone matches any key. Keys containing dots
 * (`helm.sh/chart`) are matched greedily against the remaining path, so users can write
 * label and annotation names as they appear.
 */
export function compileIgnoreFields(patterns: readonly string[]): (body: Record<string, unknown>) => Record<string, unknown> {
  if (patterns.length === 0) return (b) => b;
  return (body) => {
    const copy = structuredClone(body);
    for (const p of patterns) removePath(copy, p);
    return copy;
  };
}

function removePath(node: unknown, rest: string): void {
  if (typeof node !== "object" || node === null || Array.isArray(node)) return;
  const obj = node as Record<string, unknown>;
  for (const key of Object.keys(obj)) {
    const remainder = matchKey(key, rest);
    if (remainder === undefined) continue;
    if (remainder === "") delete obj[key];
    else removePath(obj[key], remainder);
  }
}

/** Returns what is left of the pattern after `key` consumed its head, "" when it ends there. */
function matchKey(key: string, pattern: string): string | undefined {
  if (pattern === key) return "";
  if (pattern.startsWith(`${key}.`)) return pattern.slice(key.length + 1);
  const dot = pattern.indexOf(".");
  const head = dot === -1 ? pattern : pattern.slice(0, dot);
  const tail = dot === -1 ? "" : pattern.slice(dot + 1);
  if (head === "*") return tail;
  if (head.endsWith("*") && key.startsWith(head.slice(0, -1)) && !key.includes(".")) return tail;
  // A pattern segment with a wildcard can also swallow a dotted key: checksum/* vs "checksum/a.b".
  if (head.endsWith("*") && key.startsWith(pattern.slice(0, pattern.indexOf("*"))) && tail === "") return "";
  return undefined;
}
