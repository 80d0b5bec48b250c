/**
 * Reading what a kyverno-test.yaml names: policies, resources, values and userInfo files. Any
 * file that is missing, unreadable or not valid YAML is a SetupError for the whole test file
 * (reported once, not once per expected result). Resources are loaded as the Kyverno CLI
 * loads them: a namespaced object without a namespace lands in `default`; so does a namespaced
 * `Policy` (or `NamespacedValidatingPolicy`) without one.
 */
import { readFile } from "node:fs/promises";
import { relative } from "node:path";
import { isClusterScoped } from "../../core/namespaces.js";
import { yamlToResources } from "../../render/to-resources.js";
import { isPlainObject, parseYamlMapping, parseYamlStream } from "../../yaml/parse.js";
import { loadPolicies } from "../load.js";
import type { LoadedPolicy, PolicyResource } from "../model.js";
import { resolveInside } from "./files.js";
import type { TestIo } from "./run.js";

export class SetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SetupError";
  }
}

const DEFAULT_NAMESPACE = "default";

async function readText(root: string, path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : (err as Error).message;
    throw new SetupError(`${what} ${relative(root, path) || path}: ${why}`);
  }
}

export async function readYamlFile(root: string, base: string, ref: string, what: string): Promise<unknown> {
  const path = await resolveInside(root, base, ref);
  const parsed = parseYamlMapping(await readText(root, path, what));
  if (parsed.error) throw new SetupError(`${what} ${relative(root, path)}${parsed.error.line ? `:${parsed.error.line}` : ""}: invalid YAML: ${parsed.error.message}`);
  return parsed.value;
}

export async function loadTestPolicies(root: string, base: string, refs: readonly string[], io: TestIo): Promise<LoadedPolicy[]> {
  const out: LoadedPolicy[] = [];
  for (const ref of refs) {
    const path = await resolveInside(root, base, ref);
    const shown = relative(root, path);
    const text = await readText(root, path, "policy file");
    const syntax = parseYamlStream(text).errors[0];
    if (syntax) throw new SetupError(`policy file ${shown}${syntax.line ? `:${syntax.line}` : ""}: invalid YAML: ${syntax.message}`);
    const { policies, problems } = loadPolicies(text, shown);
    for (const p of problems) io.stderr(`${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}\n`);
    out.push(...policies.map((p) => ((p.kind === "Policy" || p.kind === "NamespacedValidatingPolicy") && p.namespace === "" ? { ...p, namespace: DEFAULT_NAMESPACE } : p)));
  }
  return out;
}

export async function loadTestResources(root: string, base: string, refs: readonly string[]): Promise<PolicyResource[]> {
  const out: PolicyResource[] = [];
  for (const ref of refs) {
    const path = await resolveInside(root, base, ref);
    const shown = relative(root, path);
    const { resources, problems } = yamlToResources(await readText(root, path, "resource file"), shown);
    const bad = problems.find((p) => p.severity === "error");
    if (bad) throw new SetupError(`resource file ${bad.message}`);
    for (const r of resources) out.push({ object: withDefaultNamespace(r.body) });
  }
  return out;
}

function withDefaultNamespace(object: Record<string, unknown>): Record<string, unknown> {
  const metadata = isPlainObject(object.metadata) ? object.metadata : {};
  if (typeof metadata.namespace === "string" && metadata.namespace !== "") return object;
  const kind = { apiVersion: String(object.apiVersion ?? ""), kind: String(object.kind ?? "") };
  if (isClusterScoped(kind)) return object;
  return { ...object, metadata: { ...metadata, namespace: DEFAULT_NAMESPACE } };
}
