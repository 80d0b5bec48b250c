/**
 * Turning `helm template` output into resources that know their template file. Helm puts
 * a `# Source: <chart>/templates/x.yaml` comment before each document; the first segment
 * is the chart name, the rest is the path inside the chart folder.
 */
import type { InputProblem, Tree } from "../../core/ports.js";
import type { Resource } from "../../core/model/resource.js";
import { yamlToResources } from "../to-resources.js";
import { joinPath } from "./chart-file.js";

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

export function helmOutputToResources(stdout: string, chartDir: string, tree: Tree): { resources: Resource[]; problems: InputProblem[] } {
  const resources: Resource[] = [];
  const problems: InputProblem[] = [];
  const files = new Map<string, string | undefined>();
  for (const segment of splitBySource(stdout)) {
    const parsed = yamlToResources(segment.text);
    problems.push(...parsed.problems);
    if (segment.source === undefined) {
      resources.push(...parsed.resources);
      continue;
    }
    if (!files.has(segment.source)) files.set(segment.source, sourceFile(segment.source, chartDir, tree));
    const file = files.get(segment.source);
    for (const r of parsed.resources) resources.push(file ? { ...r, source: { file } } : r);
  }
  return { resources, problems };
}
