/**
 * Asking kustomize where each resource came from: `buildMetadata: [originAnnotations]` added
 * to the text of the target's kustomization. The change is made as a text insertion rather
 * than by re-serialising the YAML, so nothing else in the file can change meaning (a YAML
 * library would happily rewrite `0755` or drop a quoting style kustomize depends on), and it
 * is appended at the end when possible, so kustomize's own error messages keep the line
 * numbers of the user's file. The result is parsed again and compared with the original;
 * anything unexpected means no insertion at all.
 */
import { isDeepStrictEqual } from "node:util";
import { isMap, isScalar, isSeq, type Node } from "yaml";
import { isPlainObject, parseYamlStream } from "../../yaml/parse.js";

export const ORIGIN_OPTION = "originAnnotations";
const FIELD = "buildMetadata";

export type OriginRequest =
  /** The text to give kustomize instead of the user's. */
  | { status: "added"; text: string }
  /** The user's kustomization asks for origin annotations itself. */
  | { status: "present" }
  /** A shape we do not rewrite (several documents, an empty file, an odd buildMetadata). */
  | { status: "unsupported" };

export function requestOriginAnnotations(text: string): OriginRequest {
  const parsed = parseYamlStream(text);
  const doc = parsed.docs[0];
  if (parsed.errors.length > 0 || parsed.docs.length !== 1 || !doc || !isPlainObject(doc.value)) return { status: "unsupported" };
  const contents = doc.doc.contents;
  if (!isMap(contents) || !contents.range) return { status: "unsupported" };
  const existing = doc.value[FIELD];
  if (Array.isArray(existing) && existing.includes(ORIGIN_OPTION)) return { status: "present" };

  const pair = contents.items.find((p) => isScalar(p.key) && p.key.value === FIELD);
  const candidates = pair ? extendList(text, pair.value as Node | null) : addField(text, contents.range[0], contents.flow === true);
  // Inserted first in an existing list; the order of buildMetadata options means nothing.
  const expected = { ...doc.value, [FIELD]: [ORIGIN_OPTION, ...(Array.isArray(existing) ? existing : [])] };
  for (const candidate of candidates) {
    if (sameMeaning(candidate, expected)) return { status: "added", text: candidate };
  }
  return { status: "unsupported" };
}

/** Texts with a new `buildMetadata` key, best first. */
function addField(text: string, mapStart: number, flow: boolean): string[] {
  if (flow) return [insert(text, mapStart + 1, `${FIELD}: [${ORIGIN_OPTION}], `)];
  const column = mapStart - lineStart(text, mapStart);
  const atEnd = `${text}${text.endsWith("\n") || text === "" ? "" : "\n"}${FIELD}: [${ORIGIN_OPTION}]\n`;
  const atStart = insert(text, mapStart, `${FIELD}: [${ORIGIN_OPTION}]\n${" ".repeat(column)}`);
  // Appending keeps every line of the user's file where it was; it only works at column 0.
  return column === 0 ? [atEnd, atStart] : [atStart];
}

/** Texts with `originAnnotations` added to an existing `buildMetadata` list. */
function extendList(text: string, value: Node | null): string[] {
  if (!isSeq(value) || !value.range) return [];
  const start = value.range[0];
  if (value.flow) return [insert(text, start + 1, value.items.length > 0 ? `${ORIGIN_OPTION}, ` : ORIGIN_OPTION)];
  const column = start - lineStart(text, start);
  return [insert(text, start, `- ${ORIGIN_OPTION}\n${" ".repeat(column)}`)];
}

function sameMeaning(candidate: string, expected: Record<string, unknown>): boolean {
  const parsed = parseYamlStream(candidate);
  return parsed.errors.length === 0 && parsed.docs.length === 1 && isDeepStrictEqual(parsed.docs[0]!.value, expected);
}

function insert(text: string, at: number, what: string): string {
  return `${text.slice(0, at)}${what}${text.slice(at)}`;
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}
