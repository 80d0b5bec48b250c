/**
 * Turning `helm template` output into resources that know their template file and line. Helm
 * puts a `# Source: <chart>/templates/x.yaml` comment before each document; the first segment
 * is the chart name, the rest is the path inside the chart folder. Problems in the output
 * (invalid YAML such as duplicate keys, documents that are not resources) are reported on
 * that template too, at its line when the template writes the offending line literally.
 */
import type { InputProblem, Tree } from "../../core/ports.js";
import type { Resource } from "../../core/model/resource.js";
import { yamlToResources, type ProblemPlacer } from "../to-resources.js";
import { joinPath } from "./chart-file.js";
import { literalLine, matchDocuments, templateDocuments } from "./template-documents.js";

const SOURCE_PREFIX = "# Source: ";

interface Segment {
  source?: string;
  text: string;
}

export function splitBySource(stdout: string): Segment[] {
  const segments: Segment[] = [];
  let current: Segment = { text: "" };
  const lines: string[] = [];
  const flush = (): void => {
    current.text = lines.join("\n");
    // Helm writes "---" before each "# Source:"; a segment of separators alone is empty.
    if (current.text.replace(/^---\s*$/gm, "").trim() !== "") segments.push(current);
    lines.length = 0;
  };
  for (const line of stdout.split("\n")) {
    if (line.startsWith(SOURCE_PREFIX)) {
      flush();
      current = { source: line.slice(SOURCE_PREFIX.length).trim(), text: "" };
    }
    lines.push(line);
  }
  flush();
  return segments;
}

/**
 * The repository file a `# Source:` path came from: the template itself when the chart
 * (or subchart) is a folder, the vendored archive when the subchart is a .tgz.
 */
export function sourceFile(source: string, chartDir: string, tree: Tree): string | undefined {
  const slash = source.indexOf("/");
  if (slash === -1) return undefined;
  const inChart = source.slice(slash + 1);
  const direct = joinPath(chartDir, inChart);
  if (tree.hasFile(direct)) return direct;
  const sub = /^charts\/([^/]+)\//.exec(inChart);
  if (!sub) return undefined;
  const archivePrefix = joinPath(chartDir, `charts/${sub[1]}-`);
  return tree.files().find((f) => f.startsWith(archivePrefix) && f.endsWith(".tgz") && !f.slice(archivePrefix.length).includes("/"));
}

export async function helmOutputToResources(
  stdout: string,
  chartDir: string,
  tree: Tree,
): Promise<{ resources: Resource[]; problems: InputProblem[] }> {
  const resources: Resource[] = [];
  const problems: InputProblem[] = [];
  const files = new Map<string, string | undefined>();
  const texts = new Map<string, Promise<string | undefined>>();
  const bySource = new Map<string, { kind: string | undefined; resources: Resource[] }[]>();
  for (const segment of splitBySource(stdout)) {
    if (segment.source === undefined) {
      const parsed = yamlToResources(segment.text);
      problems.push(...parsed.problems);
      resources.push(...parsed.resources);
      continue;
    }
    if (!files.has(segment.source)) files.set(segment.source, sourceFile(segment.source, chartDir, tree));
    const file = files.get(segment.source);
    if (file && !texts.has(file)) texts.set(file, file.endsWith(".tgz") ? Promise.resolve(undefined) : tree.read(file).catch(() => undefined));
    const template = file ? await texts.get(file) : undefined;
    const parsed = yamlToResources(segment.text, undefined, file ? placeOnTemplate(segment as Required<Segment>, file, template) : undefined);
    problems.push(...parsed.problems);
    const located = parsed.resources.map((r) => (file ? { ...r, source: { file } } : r));
    resources.push(...located);
    if (!file) continue;
    const documents = bySource.get(file) ?? [];
    documents.push({ kind: located[0]?.kind, resources: located });
    bySource.set(file, documents);
  }
  for (const [file, documents] of bySource) addTemplateLines(file, await texts.get(file), documents);
  return { resources, problems };
}

/**
 * Where a problem at a line of one output document is reported: the template's line when it
 * writes that line literally, else the template file, with the line in helm's output counted
 * from the document's `# Source:` comment (the first line of the segment).
 */
function placeOnTemplate(segment: Required<Segment>, file: string, template: string | undefined): ProblemPlacer {
  const rendered = segment.text.split("\n");
  return (line) => {
    if (line === undefined) return { label: file, file };
    const inTemplate = template === undefined ? undefined : literalLine(template, rendered, line - 1);
    if (inTemplate !== undefined) return { label: `${file}:${inTemplate}`, file, line: inTemplate };
    return { label: `${file} (line ${line - 1} after "${SOURCE_PREFIX}${segment.source}" in helm's output)`, file };
  };
}

/**
 * Sets the line each output document starts on in its template (best effort, see
 * template-documents.ts); line 1 when the template cannot be matched. Archived subcharts
 * (.tgz) have no lines.
 */
function addTemplateLines(file: string, text: string | undefined, documents: { kind: string | undefined; resources: Resource[] }[]): void {
  if (file.endsWith(".tgz")) return;
  const lines = text === undefined ? [] : matchDocuments(templateDocuments(text), documents.map((d) => d.kind));
  documents.forEach((d, i) => {
    for (const r of d.resources) if (r.source) r.source.line = lines[i] ?? 1;
  });
}
