/**
 * Parsing YAML streams safely. Every YAML Shipshape reads (rendered output, manifests,
 * kustomizations, charts, compose files) goes through here so the same limits apply:
 * a cap on alias expansion (alias bombs fail fast), duplicate keys rejected, merge keys (`<<`)
 * applied as Kubernetes tools apply them (see merge-keys.ts), and line numbers kept for messages.
 */
import { LineCounter, parseAllDocuments, isAlias, isMap, isSeq, type Document } from "yaml";
import { selfContainingAlias } from "./aliases.js";
import { describeDuplicateKey } from "./duplicate-key.js";
import { nestsDeeperThan, tooDeepMessage } from "./depth.js";
import { applyMergeKeys, findPair, MergeError, takeMergeKeys, type MergeConflict } from "./merge-keys.js";

export interface YamlDoc {
  value: unknown;
  /** 1-based line where the document's content starts. */
  line: number;
  /** The parsed document, for callers that need positions of nested nodes. */
  doc: Document.Parsed;
}

export interface YamlError {
  message: string;
  line?: number;
}

export interface YamlParseResult {
  docs: YamlDoc[];
  errors: YamlError[];
  /** Mappings whose value depends on the tool that reads their `<<` (see merge-keys.ts). */
  mergeConflicts: MergeConflict[];
  lineCounter: LineCounter;
}

/** Aliases allowed per document before we call it a resource-exhaustion attack. */
const MAX_ALIAS_COUNT = 100;

export function parseYamlStream(text: string): YamlParseResult {
  const lineCounter = new LineCounter();
  const docs: YamlDoc[] = [];
  const errors: YamlError[] = [];
  const mergeConflicts: MergeConflict[] = [];
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, merge: false, prettyErrors: false }) as Document.Parsed[];
  } catch (err) {
    return { docs, errors: [{ message: (err as Error).message }], mergeConflicts, lineCounter };
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  for (const doc of parsed) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) {
        const duplicate = e.code === "DUPLICATE_KEY" ? describeDuplicateKey(doc, e.pos[0]) : undefined;
        const message = yamlErrorText(e.message) + (duplicate ? `: ${duplicate}` : "");
        errors.push({ message, line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line });
      }
      continue;
    }
    if (doc.contents === null) continue;
    const start = doc.contents.range?.[0] ?? 0;
    const cycle = text.includes("*") && text.includes("&") ? selfContainingAlias(doc, lineCounter) : undefined;
    if (cycle) {
      errors.push({ message: `alias *${cycle.name} is inside the value of its own anchor; the value would contain itself`, line: cycle.line });
      continue;
    }
    try {
      const merges = text.includes("<<") ? takeMergeKeys(doc) : undefined;
      const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      if (merges) mergeConflicts.push(...applyMergeKeys(doc, value, merges, lineCounter));
      if (value === null || value === undefined) continue;
      if (nestsDeeperThan(value)) {
        errors.push({ message: tooDeepMessage(), line: lineCounter.linePos(start).line });
        continue;
      }
      docs.push({ value, line: lineCounter.linePos(start).line, doc });
    } catch (err) {
      const line = err instanceof MergeError && err.line !== undefined ? err.line : lineCounter.linePos(start).line;
      errors.push({ message: yamlErrorText((err as Error).message), line });
    }
  }
  return { docs, errors, mergeConflicts, lineCounter };
}

/** Parses a file expected to hold exactly one mapping (kustomization.yaml, Chart.yaml, ...). */
export function parseYamlMapping(text: string): { value?: Record<string, unknown>; error?: YamlError; doc?: YamlDoc } {
  const result = parseYamlStream(text);
  if (result.errors.length > 0) return { error: result.errors[0] };
  const first = result.docs[0];
  if (!first) return { value: {} };
  if (!isPlainObject(first.value)) return { error: { message: "expected a mapping at the top level", line: first.line } };
  return { value: first.value, doc: first };
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The 1-based line of a key path inside a document, when the node exists. */
export function lineOf(doc: YamlDoc, path: (string | number)[], lineCounter: LineCounter): number | undefined {
  // A key's own line, not its value's: a block value (`valuesFrom:` then `- kind: ...`) starts
  // on the next line, and a finding about the field belongs on the line that names it.
  const parent = path.length === 0 ? undefined : path.length > 1 ? doc.doc.getIn(path.slice(0, -1), true) : doc.doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[path.length - 1]);
    const kr = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (kr) return lineCounter.linePos(kr[0]).line;
  }
  const node = path.length === 0 ? doc.doc.contents : (doc.doc.getIn(path, true) ?? mergedNode(doc.doc, path));
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  return range ? lineCounter.linePos(range[0]).line : undefined;
}

/** The node at `path` when part of it comes from a merge key, which getIn does not follow. */
function mergedNode(doc: Document.Parsed, path: (string | number)[]): unknown {
  let node: unknown = doc.contents;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) node = findPair(doc, node, String(segment))?.value;
    else if (isSeq(node) && typeof segment === "number") node = node.items[segment];
    else return undefined;
  }
  return node;
}

/**
 * The first line of a parser message, without the source text some messages end with: an
 * unresolved alias is named by what follows `*`, which may be a value (`password: *x…`).
 */
export function yamlErrorText(message: string): string {
  // The parser recurses per level and reports running out of stack as an error of the document.
  if (message.startsWith("Maximum call stack size exceeded")) return tooDeepMessage();
  const i = message.indexOf("\n");
  const first = i === -1 ? message : message.slice(0, i);
  return first.replace(/^(Unresolved alias[^:]*):.*$/, "$1");
}

