/**
 * What a duplicate key is: the yaml library says only "Map keys must be unique". A finding's
 * id is made of what it is about, so the message names the key, the path of its mapping and
 * the object it is in; twenty different duplicates must not read (and hash) the same. Only
 * keys and names are quoted, never values.
 */
import { isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from "yaml";

export function describeDuplicateKey(doc: Document.Parsed, offset: number): string | undefined {
  let found: string | undefined;
  visit(doc, {
    Pair(_key, pair, ancestors) {
      if (!isScalar(pair.key) || pair.key.range?.[0] !== offset) return undefined;
      const path = [...pathOf(ancestors), String(pair.key.value)];
      found = `key "${path[path.length - 1]}" at ${path.join(".")}${objectOf(doc)}`;
      return visit.BREAK;
    },
  });
  return found;
}

/** `spec.containers[0].env` for the mappings and sequences above a pair. */
function pathOf(ancestors: readonly unknown[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < ancestors.length; i++) {
    const node = ancestors[i];
    if (isPair(node) && isScalar(node.key)) out.push(String(node.key.value));
    const child = ancestors[i + 1];
    if (isSeq(node) && child !== undefined) {
      const index = `[${node.items.indexOf(child as Node)}]`;
      if (out.length > 0) out[out.length - 1] += index;
      else out.push(index);
    }
  }
  return out;
}

/** ` in Kind name` when the document says which object it is. */
function objectOf(doc: Document.Parsed): string {
  if (!isMap(doc.contents)) return "";
  const kind = doc.get("kind");
  const name = doc.getIn(["metadata", "name"]);
  if (typeof kind !== "string" || typeof name !== "string") return "";
  return ` in ${kind} ${name}`;
}
