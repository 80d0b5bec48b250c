/**
 * Turning parsed YAML documents into Resources: identity pulled out, `kind: List`
 * flattened, documents that are not Kubernetes objects reported rather than dropped.
 */
import { isAlias, isMap, isSeq, parseDocument, type Document, type LineCounter, type Node } from "yaml";
import type { Resource } from "../core/model/resource.js";
import type { InputProblem } from "../core/ports.js";
import { fastStream } from "../yaml/fast-stream.js";
import { findPair } from "../yaml/merge-keys.js";
import { isPlainObject, parseYamlStream, type YamlDoc } from "../yaml/parse.js";

/**
 * A mapping whose value depends on the tool that reads its `<<`: an error, but the resources are
 * still reported as kubectl reads them, so their risk and policy findings are not lost.
 */
export const MERGE_CONFLICT_RULE = "input/yaml-merge-conflict";

export interface ToResourcesResult {
  resources: Resource[];
  problems: InputProblem[];
}

type FieldPath = readonly (string | number)[];

/** Where a document sits in its file, so a field's line can be found later (see `locator`). */
interface DocSpan {
  text: string;
  /** Offset of the start of the line the document's content starts on, and of its end. */
  start: number;
  end: number;
  lineCounter: LineCounter;
}

/**
 * Parses a YAML stream of objects. `file` and line numbers are recorded on each resource
 * when the stream comes straight from a repository file, and so is `locate`.
 */
export function yamlToResources(text: string, file?: string): ToResourcesResult {
  const resources: Resource[] = [];
  const fast = fastStream(text);
  if (fast) {
    const problems: InputProblem[] = [];
    for (const doc of fast.docs) {
      const span = file ? { text, start: doc.start, end: doc.end, lineCounter: fast.lineCounter } : undefined;
      collect(doc.value, doc.line, file, resources, problems, span, []);
    }
    return { resources, problems };
  }
  const parsed = parseYamlStream(text);
  const problems: InputProblem[] = parsed.errors.map((e) => ({
    ruleId: "input/yaml-invalid",
    severity: "error" as const,
    message: `${file ?? "rendered output"}${e.line ? `:${e.line}` : ""}: invalid YAML: ${e.message}`,
    ...(file ? { file } : {}),
    ...(e.line ? { line: e.line } : {}),
  }));
  for (const c of parsed.mergeConflicts) {
    problems.push({
      ruleId: MERGE_CONFLICT_RULE,
      severity: "error",
      message: `${file ?? "rendered output"}${c.line ? `:${c.line}` : ""}: ${c.message}.`,
      ...(file ? { file } : {}),
      ...(c.line ? { line: c.line } : {}),
    });
  }
  for (const doc of parsed.docs) {
    const span = file ? spanOf(doc, text, parsed.lineCounter) : undefined;
    collect(doc.value, doc.line, file, resources, problems, span, []);
  }
  return { resources, problems };
}

function collect(
  value: unknown,
  line: number,
  file: string | undefined,
  out: Resource[],
  problems: InputProblem[],
  span: DocSpan | undefined,
  prefix: (string | number)[],
): void {
  if (!isPlainObject(value)) {
    problems.push(problem(file, line, "document is not a mapping"));
    return;
  }
  const { apiVersion, kind } = value;
  if (typeof apiVersion !== "string" || typeof kind !== "string" || !apiVersion || !kind) {
    problems.push(problem(file, line, "document has no apiVersion and kind"));
    return;
  }
  if (kind.endsWith("List") && Array.isArray(value.items)) {
    value.items.forEach((item, i) => collect(item, line, file, out, problems, span, [...prefix, "items", i]));
    return;
  }
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  const name = typeof metadata.name === "string" ? metadata.name : typeof metadata.generateName === "string" ? metadata.generateName : "";
  if (!name) {
    problems.push(problem(file, line, `${kind} has no metadata.name`));
    return;
  }
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "";
  out.push({
    apiVersion,
    kind,
    namespace,
    name,
    body: value,
    ...(file ? { source: { file, line } } : {}),
    ...(span ? { locate: locator(span, prefix) } : {}),
  });
}

function spanOf(doc: YamlDoc, text: string, lineCounter: LineCounter): DocSpan | undefined {
  const range = doc.doc.contents?.range;
  if (!range) return undefined;
  // From the start of the line, so an indented document keeps its columns when re-read.
  const start = lineCounter.lineStarts[lineCounter.linePos(range[0]).line - 1] ?? range[0];
  return { text, start, end: range[2], lineCounter };
}

/**
 * The line of a field, found only when asked: most resources are never asked, so nothing
 * is computed up front and no syntax tree is kept. The first call re-reads this document
 * alone (not the whole file) and keeps its tree for later calls. Gives the line of the
 * deepest part of the path that exists (the parent of a missing field), or undefined when
 * not even the first key does.
 */
function locator(span: DocSpan, prefix: readonly (string | number)[]): (path: FieldPath) => number | undefined {
  let doc: Document.Parsed | undefined;
  return (path) => {
    doc ??= parseDocument(span.text.slice(span.start, span.end));
    const { depth, offset } = walk(doc, [...prefix, ...path]);
    if (offset === undefined || (path.length > 0 && depth <= prefix.length)) return undefined;
    return span.lineCounter.linePos(span.start + offset).line;
  };
}

function walk(doc: Document.Parsed, path: FieldPath): { depth: number; offset: number | undefined } {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  let depth = 0;
  for (const segment of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      // Fields may come from a merge key: their line is where the merged mapping writes them.
      const pair = findPair(doc, node, String(segment));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === "number" && segment < node.items.length) {
      node = node.items[segment];
      offset = (node as Node | null)?.range?.[0] ?? offset;
    } else {
      break;
    }
    depth++;
  }
  return { depth, offset };
}

function problem(file: string | undefined, line: number, message: string): InputProblem {
  return {
    ruleId: "input/not-a-resource",
    severity: "warning",
    message: `${file ?? "rendered output"}:${line}: ${message}`,
    ...(file ? { file, line } : {}),
  };
}
