/**
 * How deep repository data may nest. Everything Shipshape does with a parsed document (secret
 * collection, redaction, policies, schema validation, canonical JSON, digests, the diff) walks
 * it recursively, each level taking a few stack frames; JSON.parse takes any depth, so 20,000
 * nested arrays (40 KB) overflowed the stack and ended the run. Documents deeper than this are
 * refused where they are parsed, as invalid input with the file and line, so no walk ever sees
 * one. Real manifests stay far below it (a CRD's OpenAPI schema nests a few dozen levels); Go's
 * encoding/json, which kubectl uses, stops at 10,000.
 */
export const MAX_NESTING_DEPTH = 256;

/** The message of the finding, the same for every format. */
export function tooDeepMessage(max = MAX_NESTING_DEPTH): string {
  return `nested more than ${max} levels deep (Shipshape reads no deeper; flatten the data)`;
}

/**
 * True when a parsed value nests objects or arrays more than `max` levels deep. Iterative, so
 * it cannot overflow itself. Heights are remembered per node: YAML aliases share nodes, and
 * a chain of aliases each nesting the previous one is deeper than any single path the text
 * shows (a hundred aliases of 200 levels each make 20,000), while every walk after parsing
 * follows all of them. A cycle counts as too deep.
 */
export function nestsDeeperThan(value: unknown, max = MAX_NESTING_DEPTH): boolean {
  if (!isContainer(value)) return false;
  const height = new Map<object, number>();
  const open = new Set<object>();
  const stack: { node: object; children: unknown[]; next: number; best: number }[] = [];
  const enter = (node: object) => {
    open.add(node);
    stack.push({ node, children: Array.isArray(node) ? node : Object.values(node), next: 0, best: 0 });
  };
  enter(value);
  while (stack.length > 0) {
    if (stack.length > max) return true;
    const top = stack[stack.length - 1]!;
    if (top.next < top.children.length) {
      const child = top.children[top.next++];
      if (!isContainer(child)) continue;
      const known = height.get(child);
      if (known !== undefined) {
        if (stack.length + known > max) return true;
        top.best = Math.max(top.best, known);
      } else if (open.has(child)) {
        return true;
      } else {
        enter(child);
      }
      continue;
    }
    stack.pop();
    open.delete(top.node);
    const h = top.best + 1;
    height.set(top.node, h);
    const parent = stack[stack.length - 1];
    if (parent) parent.best = Math.max(parent.best, h);
  }
  return false;
}

function isContainer(value: unknown): value is object {
  return typeof value === "object" && value !== null;
}

/**
 * The offset of the first bracket that opens a level deeper than `max` in JSON text, skipping
 * strings; undefined when the text stays within it.
 */
export function jsonTooDeepAt(text: string, start = 0, end = text.length, max = MAX_NESTING_DEPTH): number | undefined {
  let depth = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: to the next quote not escaped by a backslash.
      for (i += 1; i < end && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i += 1;
    } else if (c === 0x7b || c === 0x5b) {
      depth += 1;
      if (depth > max) return i;
    } else if (c === 0x7d || c === 0x5d) {
      depth -= 1;
    }
  }
  return undefined;
}
