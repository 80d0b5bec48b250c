/**
 * Where each YAML document of a Helm template starts, read from the template source (not
 * its output), so a rendered resource can point at its template line. Templates are text,
 * not YAML, so this is a heuristic: documents are split on `---` lines as helm splits its
 * output, and a document's first line is its first line of YAML rather than of template
 * logic (`{{- if … }}`) or comments.
 */

export interface TemplateDocument {
  /** 1-based line in the template file. */
  line: number;
  /** The kind, when the template writes it literally (`kind: Deployment`). */
  kind?: string;
}

const SEPARATOR = /^---/;
const ACTION_ONLY = /^\s*\{\{.*\}\}\s*$/;
const COMMENT = /^\s*#/;
const LITERAL_KIND = /^kind:\s*["']?([A-Za-z0-9]+)["']?\s*(#.*)?$/;

export function templateDocuments(text: string): TemplateDocument[] {
  const lines = text.split("\n");
  const docs: TemplateDocument[] = [];
  let start = 0;
  for (let i = 0; i <= lines.length; i++) {
    if (i < lines.length && !SEPARATOR.test(lines[i]!)) continue;
    const doc = describe(lines, start, i);
    if (doc) docs.push(doc);
    start = i + 1;
  }
  return docs;
}

/** Lines [from, to) as one document; undefined when blank (helm drops empty documents). */
function describe(lines: readonly string[], from: number, to: number): TemplateDocument | undefined {
  let firstText: number | undefined;
  let firstYaml: number | undefined;
  let kind: string | undefined;
  for (let i = from; i < to; i++) {
    const line = lines[i]!;
    if (line.trim() === "") continue;
    firstText ??= i;
    if (firstYaml === undefined && !COMMENT.test(line) && !ACTION_ONLY.test(line)) firstYaml = i;
    kind ??= LITERAL_KIND.exec(line)?.[1];
  }
  if (firstText === undefined) return undefined;
  return { line: (firstYaml ?? firstText) + 1, ...(kind ? { kind } : {}) };
}

/**
 * The template document the `index`-th output document of this template came from, given the
 * kinds of all its output documents in output order. Helm sorts its output by kind, so output
 * documents are matched to template documents of the same literal kind in order; a `range`
 * that repeats one document maps every repetition to it.
 */
export function matchDocuments(docs: readonly TemplateDocument[], outputKinds: readonly (string | undefined)[]): (number | undefined)[] {
  const seenOfKind = new Map<string, number>();
  return outputKinds.map((kind, index) => {
    const sameKind = kind === undefined ? [] : docs.filter((d) => d.kind === kind);
    if (sameKind.length === 0) return docs[index]?.line;
    const n = seenOfKind.get(kind!) ?? 0;
    seenOfKind.set(kind!, n + 1);
    return (sameKind[n] ?? sameKind[sameKind.length - 1])!.line;
  });
}

/**
 * The template line that line `index` (0-based) of a rendered document comes from: a template
 * line that writes it literally (ignoring indentation), or a line mixing text and actions
 * (`failureThreshold: {{ .Values.x }}`) whose text matches. Lines that are only actions
 * (`{{ include … | nindent 4 }}`) expand to any number of lines and place nothing. In a
 * template of one document, rendered lines are aligned with the template in order, each to
 * the nearest matching line after the previous match, so the second of two identical lines (a
 * duplicate key) maps to the second; in a template of several documents only a line written
 * literally once in the whole template is placed.
 */
export function literalLine(template: string, rendered: readonly string[], index: number): number | undefined {
  const want = meaningful(rendered[index]);
  if (want === undefined) return undefined;
  const lines = template.split("\n").map(lineMatcher);
  if (templateDocuments(template).length > 1) {
    const literal = lines.flatMap((m, i) => (m?.literal === want ? [i + 1] : []));
    return literal.length === 1 ? literal[0] : undefined;
  }
  let next = 0;
  let found: number | undefined;
  for (let i = 0; i <= index; i++) {
    const text = meaningful(rendered[i]);
    if (text === undefined) continue;
    const at = lines.findIndex((m, j) => j >= next && m !== undefined && m.test(text));
    found = at === -1 ? undefined : at + 1;
    if (at !== -1) next = at + 1;
  }
  return found;
}

interface LineMatcher {
  /** The line's text when it has no template action. */
  literal?: string;
  test(text: string): boolean;
}

const ACTION = /\{\{.*?\}\}/g;

function lineMatcher(line: string): LineMatcher | undefined {
  const text = line.trim();
  if (text === "" || text === "---" || text.startsWith("#")) return undefined;
  if (!text.includes("{{")) return { literal: text, test: (t) => t === text };
  const parts = text.split(ACTION);
  if (parts.join("").trim() === "") return undefined;
  const pattern = new RegExp(`^${parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
  return { test: (t) => pattern.test(t) };
}

/** A rendered line's text, when it can be looked for in a template. */
function meaningful(line: string | undefined): string | undefined {
  const text = line?.trim();
  return !text || text === "---" || text.startsWith("#") ? undefined : text;
}
