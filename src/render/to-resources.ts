/**
 * Turning parsed YAML documents into Resources: identity pulled out, `kind: List`
 * flattened, documents that are not Kubernetes objects reported rather than dropped.
 */
import type { Resource } from "../core/model/resource.js";
import type { InputProblem } from "../core/ports.js";
import { isPlainObject, parseYamlStream } from "../yaml/parse.js";

export interface ToResourcesResult {
  resources: Resource[];
  problems: InputProblem[];
}

/**
 * Parses a YAML stream of objects. `file` and line numbers are recorded on each resource
 * when the stream comes straight from a repository file.
 */
export function yamlToResources(text: string, file?: string): ToResourcesResult {
  const parsed = parseYamlStream(text);
  const resources: Resource[] = [];
  const problems: InputProblem[] = parsed.errors.map((e) => ({
    ruleId: "input/yaml-invalid",
    severity: "error" as const,
    message: `${file ?? "rendered output"}${e.line ? `:${e.line}` : ""}: invalid YAML: ${e.message}`,
    ...(file ? { file } : {}),
    ...(e.line ? { line: e.line } : {}),
  }));
  for (const doc of parsed.docs) {
    collect(doc.value, doc.line, file, resources, problems);
  }
  return { resources, problems };
}

function collect(value: unknown, line: number, file: string | undefined, out: Resource[], problems: InputProblem[]): void {
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
    for (const item of value.items) collect(item, line, file, out, problems);
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
  });
}

function problem(file: string | undefined, line: number, message: string): InputProblem {
  return {
    ruleId: "input/not-a-resource",
    severity: "warning",
    message: `${file ?? "rendered output"}:${line}: ${message}`,
    ...(file ? { file, line } : {}),
  };
}
