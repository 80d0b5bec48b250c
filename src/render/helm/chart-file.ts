/**
 * Reading a chart's metadata: Chart.yaml, and requirements.yaml (where apiVersion v1 charts,
 * and charts with no apiVersion, declare dependencies), with the line of each declared
 * dependency for messages.
 */
import { TreeReadError, type InputProblem, type Tree } from "../../core/ports.js";
import { isPlainObject, lineOf, parseYamlStream } from "../../yaml/parse.js";
import { at } from "../repo-path.js";

export interface ChartDependency {
  name: string;
  version?: string;
  repository?: string;
  /** Where it is declared: Chart.yaml (v2) or requirements.yaml (v1). */
  file: string;
  line?: number;
}

export interface ChartMetadata {
  name?: string;
  /** Line of `name` in Chart.yaml, for messages about it. */
  nameLine?: number;
  apiVersion?: string;
  dependencies: ChartDependency[];
}

export type ChartRead = { ok: true; chart: ChartMetadata } | { ok: false; problem: InputProblem };

export function joinPath(dir: string, name: string): string {
  return dir === "." ? name : `${dir}/${name}`;
}

export async function readChart(tree: Tree, chartDir: string): Promise<ChartRead> {
  const chartFile = joinPath(chartDir, "Chart.yaml");
  if (!tree.hasFile(chartFile)) {
    return { ok: false, problem: { ruleId: "render/missing-file", severity: "error", message: `${chartFile} does not exist`, file: chartFile } };
  }
  const parsed = await readMapping(tree, chartFile);
  if (!parsed.ok) return parsed;
  const meta = parsed.value;
  const nameLine = typeof meta.name === "string" ? parsed.line(["name"]) : undefined;
  const chart: ChartMetadata = {
    ...(typeof meta.name === "string" ? { name: meta.name } : {}),
    ...(nameLine !== undefined ? { nameLine } : {}),
    ...(typeof meta.apiVersion === "string" ? { apiVersion: meta.apiVersion } : {}),
    dependencies: dependenciesOf(parsed, chartFile),
  };
  // v1 charts (apiVersion v1, or none: helm 3 reads a chart without one as v1) declare
  // dependencies in requirements.yaml. Helm reads that file whatever the apiVersion, into
  // the same metadata: a `dependencies` key there replaces Chart.yaml's list.
  const requirementsFile = joinPath(chartDir, "requirements.yaml");
  if (tree.hasFile(requirementsFile)) {
    const req = await readMapping(tree, requirementsFile);
    if (!req.ok) return req;
    if ("dependencies" in req.value) chart.dependencies = dependenciesOf(req, requirementsFile);
  }
  return { ok: true, chart };
}

type MappingRead =
  | { ok: true; value: Record<string, unknown>; line: (path: (string | number)[]) => number | undefined }
  | { ok: false; problem: InputProblem };

async function readMapping(tree: Tree, file: string): Promise<MappingRead> {
  let text: string;
  try {
    text = await tree.read(file);
  } catch (err) {
    if (!(err instanceof TreeReadError)) throw err;
    return { ok: false, problem: err.toProblem() };
  }
  const parsed = parseYamlStream(text);
  const err = parsed.errors[0];
  if (err) return { ok: false, problem: yamlProblem(file, err.message, err.line) };
  const doc = parsed.docs[0];
  if (!doc) return { ok: true, value: {}, line: () => undefined };
  if (!isPlainObject(doc.value)) return { ok: false, problem: yamlProblem(file, "expected a mapping at the top level", doc.line) };
  return { ok: true, value: doc.value, line: (path) => lineOf(doc, path, parsed.lineCounter) };
}

function dependenciesOf(read: Extract<MappingRead, { ok: true }>, file: string): ChartDependency[] {
  const list = read.value.dependencies;
  if (!Array.isArray(list)) return [];
  const deps: ChartDependency[] = [];
  list.forEach((entry, i) => {
    if (!isPlainObject(entry) || typeof entry.name !== "string") return;
    const line = read.line(["dependencies", i]);
    deps.push({
      name: entry.name,
      ...(typeof entry.version === "string" ? { version: entry.version } : {}),
      ...(typeof entry.repository === "string" ? { repository: entry.repository } : {}),
      file,
      ...(line !== undefined ? { line } : {}),
    });
  });
  return deps;
}

function yamlProblem(file: string, message: string, line: number | undefined): InputProblem {
  return {
    ruleId: "input/yaml-invalid",
    severity: "error",
    message: `${at(file, line)}: invalid YAML: ${message}`,
    file,
    ...(line !== undefined ? { line } : {}),
  };
}
