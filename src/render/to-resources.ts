/**
 * Turning a manifest stream into Resources as kubectl reads it: documents cut where kubectl cuts
 * (src/yaml/kubectl-reading.ts), identity pulled out, lists flattened as kubectl flattens them,
 * documents that are not Kubernetes objects reported rather than dropped.
 */
import { isAlias, isMap, isSeq, parseDocument, type Document, type LineCounter, type Node } from "yaml";
import type { Resource } from "../core/model/resource.js";
import type { InputProblem } from "../core/ports.js";
import { readLikeKubectl, type ReadProblem } from "../yaml/kubectl-reading.js";
import { findPair } from "../yaml/merge-keys.js";
import { isPlainObject } from "../yaml/parse.js";

/**
 * A mapping whose value depends on the tool that reads its `<<`: an error, but the resources are
 * still reported as kubectl reads them, so their risk and policy findings are not lost.
 */
export const MERGE_CONFLICT_RULE = "input/yaml-merge-conflict";
/** Text kubectl reads one way and other YAML tools another: an error, resources as kubectl reads them. */
export const AMBIGUOUS_RULE = "input/yaml-ambiguous";
/** Errors after which the resources are still known (as kubectl reads them). */
export const READABLE_ERROR_RULES: ReadonlySet<string> = new Set([MERGE_CONFLICT_RULE, AMBIGUOUS_RULE]);

const RULE_OF: Record<ReadProblem["kind"], string> = {
  invalid: "input/yaml-invalid",
  ambiguous: AMBIGUOUS_RULE,
  "merge-conflict": MERGE_CONFLICT_RULE,
};

export interface ToResourcesResult {
  resources: Resource[];
  problems: InputProblem[];
  /**
   * Documents that are Kubernetes objects to kubectl: a mapping with a kind and an apiVersion,
   * or with a kind and `items` (a list), whether or not they became resources.
   */
  objects: number;
  /** The apiVersion and kind of each of those objects (a list's own), in order. */
  identities: { apiVersion: string; kind: string }[];
  /**
   * Part of the stream could not be read, or reads differently to kubectl and YAML tools: it may
   * hold objects the documents above do not show.
   */
  doubtful: boolean;
}

type FieldPath = readonly (string | number)[];

/**
 * Where a problem found at a line of the stream is reported, when the stream is not a
 * repository file: helm output maps it to the template it came from (helm/source-map.ts).
 */
export type ProblemPlacer = (line: number | undefined) => { label: string; file?: string; line?: number };

/** Where a document sits in its file, so a field's line can be found later (see `locator`). */
interface DocSpan {
  text: string;
  /** Offset of the start of the line the document's content starts on, and of its end. */
  start: number;
  end: number;
  lineCounter: LineCounter;
}

interface Collector {
  file: string | undefined;
  place: ProblemPlacer | undefined;
  line: number;
  span: DocSpan | undefined;
  result: ToResourcesResult;
}

/**
 * Parses a YAML (or JSON) stream of objects. `file` and line numbers are recorded on each
 * resource when the stream comes straight from a repository file, and so is `locate`.
 * Problems are reported at `place(line)` when given.
 */
export function yamlToResources(text: string, file?: string, place?: ProblemPlacer): ToResourcesResult {
  const reading = readLikeKubectl(text);
  const where = file ?? "rendered output";
  const result: ToResourcesResult = {
    resources: [],
    problems: reading.problems.map((p) => {
      if (place) return placed(place(p.line), RULE_OF[p.kind], "error", p.message);
      return {
        ruleId: RULE_OF[p.kind],
        severity: "error" as const,
        message: `${where}${p.line ? `:${p.line}` : ""}: ${p.message}`,
        // The finding's id is the problem, not where it is (a moved file, a shifted template).
        key: p.message,
        ...(file ? { file } : {}),
        ...(p.line ? { line: p.line } : {}),
      };
    }),
    objects: 0,
    identities: [],
    doubtful: reading.problems.length > 0,
  };
  for (const doc of reading.docs) {
    const span = file ? { text: reading.text, start: doc.start, end: doc.end, lineCounter: reading.lineCounter } : undefined;
    collectDocument(doc.value, { file, place, line: doc.line, span, result });
  }
  return result;
}

/**
 * One document as apimachinery's unstructured decoder reads it: any mapping with a top-level
 * `items` field is a list, whatever its kind, and kubectl applies its items, not the mapping.
 */
function collectDocument(value: unknown, c: Collector): void {
  if (!isPlainObject(value)) return warn(c, "document is not a mapping");
  if (Object.hasOwn(value, "items")) return collectList(value, c);
  const { apiVersion, kind } = value;
  if (!isName(apiVersion) || !isName(kind)) return warn(c, "document has no apiVersion and kind");
  c.result.objects += 1;
  c.result.identities.push({ apiVersion, kind });
  addObject(value, c, []);
}

function collectList(list: Record<string, unknown>, c: Collector): void {
  const { kind, items } = list;
  if (!isName(kind)) return warn(c, "document has items but no kind, so kubectl cannot read it");
  c.result.objects += 1;
  c.result.identities.push({ apiVersion: typeof list.apiVersion === "string" ? list.apiVersion : "", kind });
  const typed = kind.endsWith("List");
  const what = `${kind}${nameOf(list) ? ` ${nameOf(list)}` : ""}`;
  if (items === null) {
    if (!typed) warn(c, `${what} has an empty top-level items field, so kubectl reads it as an empty list and applies nothing`);
    return;
  }
  if (!Array.isArray(items)) return warn(c, `${what}: items is not a sequence, so kubectl cannot read this list`);
  if (!typed) warn(c, `${what} has a top-level items field, so kubectl reads it as a list and applies its ${items.length} items, not the ${kind} itself`);
  const refused = items.findIndex((item) => !isPlainObject(item) || Array.isArray(item.items));
  if (refused !== -1) {
    const why = isPlainObject(items[refused]) ? "is a list itself" : "is not a mapping";
    return warn(c, `item ${refused + 1} of ${what} ${why}, so kubectl refuses the whole list`);
  }
  // Items of a typed list may leave out apiVersion and kind; kubectl gives them the list's.
  const itemKind = typed ? kind.slice(0, -"List".length) : kind;
  const apiVersion = typeof list.apiVersion === "string" ? list.apiVersion : "";
  (items as Record<string, unknown>[]).forEach((item, i) => {
    const inherits = !isName(item.apiVersion) && !isName(item.kind);
    const object = inherits ? { apiVersion, kind: itemKind, ...withoutIdentity(item) } : item;
    if (!isName(object.apiVersion) || !isName(object.kind)) return warn(c, `item ${i + 1} of ${what} has no apiVersion and kind`);
    addObject(object, c, ["items", i]);
  });
}

function addObject(value: Record<string, unknown>, c: Collector, prefix: (string | number)[]): void {
  const kind = value.kind as string;
  const name = nameOf(value);
  if (!name) return warn(c, `${kind} has no metadata.name`);
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  const namespace = typeof metadata.namespace === "string" ? metadata.namespace : "";
  c.result.resources.push({
    apiVersion: value.apiVersion as string,
    kind,
    namespace,
    name,
    body: value,
    ...(c.file ? { source: { file: c.file, line: c.line } } : {}),
    ...(c.span ? { locate: locator(c.span, prefix) } : {}),
  });
}

function nameOf(value: Record<string, unknown>): string {
  const metadata = isPlainObject(value.metadata) ? value.metadata : {};
  if (typeof metadata.name === "string") return metadata.name;
  return typeof metadata.generateName === "string" ? metadata.generateName : "";
}

function isName(v: unknown): v is string {
  return typeof v === "string" && v !== "";
}

function withoutIdentity(item: Record<string, unknown>): Record<string, unknown> {
  const { apiVersion: _a, kind: _k, ...rest } = item;
  return rest;
}

function warn(c: Collector, message: string): void {
  c.result.problems.push(c.place ? placed(c.place(c.line), "input/not-a-resource", "warning", message) : problem(c.file, c.line, message));
}

function placed(at: ReturnType<ProblemPlacer>, ruleId: string, severity: InputProblem["severity"], message: string): InputProblem {
  // The key keeps the place out of the finding's id: a template moved or shifted is the same problem.
  return { ruleId, severity, message: `${at.label}: ${message}`, key: message, ...(at.file ? { file: at.file } : {}), ...(at.line !== undefined ? { line: at.line } : {}) };
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
    key: message,
    ...(file ? { file, line } : {}),
  };
}
