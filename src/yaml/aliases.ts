/**
 * An alias inside the node its anchor names (`&m {self: *m}`) makes a value that contains
 * itself: go-yaml refuses it ("anchor 'm' value contains itself"), and a structure without an
 * end would make every later walk over the resource recurse forever.
 */
import { visit, type Document, type LineCounter } from "yaml";

/** The line of the first alias that names one of its own ancestors, if any. */
export function selfContainingAlias(doc: Document.Parsed, lineCounter: LineCounter): { name: string; line: number } | undefined {
  let found: { name: string; line: number } | undefined;
  visit(doc, {
    Alias(_, node, path) {
      const target = node.resolve(doc);
      if (!target || !path.includes(target)) return undefined;
      found = { name: node.source, line: lineCounter.linePos(node.range?.[0] ?? 0).line };
      return visit.BREAK;
    },
  });
  return found;
}

