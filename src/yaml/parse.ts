/**
 * Parsing YAML streams safely. Every YAML Shipshape reads (rendered output, manifests,
 * kustomizations, charts, compose files) goes through here so the same limits apply:
 * a cap on alias expansion (alias bombs fail fast), duplicate keys rejected, and line
 * numbers kept for messages.
 */
import { LineCounter, parseAllDocuments, isMap, type Document } from "yaml";

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
  lineCounter: LineCounter;
}

/** Aliases allowed per document before we call it a resource-exhaustion attack. */
const MAX_ALIAS_COUNT = 100;

export function parseYamlStream(text: string): YamlParseResult {
  const lineCounter = new LineCounter();
  const docs: YamlDoc[] = [];
  const errors: YamlError[] = [];
  let parsed: Document.Parsed[];
  try {
    parsed = parseAllDocuments(text, { lineCounter, uniqueKeys: true, prettyErrors: false }) as Document.Parsed[];
  } catch (err) {
    return { docs, errors: [{ message: (err as Error).message }], lineCounter };
  }
  if (!Array.isArray(parsed)) parsed = [parsed];
  for (const doc of parsed) {
    if (doc.errors.length > 0) {
      for (const e of doc.errors) errors.push({ message: yamlErrorText(e.message), line: e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line });
      continue;
    }
    if (doc.contents === null) continue;
    const start = doc.contents.range?.[0] ?? 0;
    try {
      const value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
      if (value === null || value === undefined) continue;
      docs.push({ value, line: lineCounter.linePos(start).line, doc });
    } catch (err) {
      errors.push({ message: yamlErrorText((err as Error).message), line: lineCounter.linePos(start).line });
    }
  }
  return { docs, errors, lineCounter };
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
  const node = path.length === 0 ? doc.doc.contents : doc.doc.getIn(path, true);
  const range = (node as { range?: [number, number, number] } | undefined)?.range;
  if (range) return lineCounter.linePos(range[0]).line;
  // Scalars come back unwrapped when keepScalar is false; look the pair up instead.
  const parent = path.length > 1 ? doc.doc.getIn(path.slice(0, -1), true) : doc.doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === path[path.length - 1]);
    const kr = (pair?.key as { range?: [number, number, number] } | undefined)?.range;
    if (kr) return lineCounter.linePos(kr[0]).line;
  }
  return undefined;
}

/**
 * The first line of a parser message, without the source text some messages end with: an
 * unresolved alias is named by what follows `*`, which may be a value (`password: *x…`).
 */
export function yamlErrorText(message: string): string {
  const i = message.indexOf("\n");
  const first = i === -1 ? message : message.slice(0, i);
  return first.replace(/^(Unresolved alias[^:]*):.*$/, "$1");
}

