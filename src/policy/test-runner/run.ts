/**
 * `shipshape policy test <dir>`: runs every kyverno-test.yaml below `dir` the way `kyverno test`
 * does and prints one line per result entry, then the unsupported count and a closing
 * `N passed, N failed, N skipped` line. Entries on policies or rules we cannot evaluate
 * (CEL, ValidatingPolicy, mutate, generate...) are counted as unsupported, never as passes.
 */
import { readFile, realpath } from "node:fs/promises";
import { dirname, relative } from "node:path";
import { yamlToResources } from "../../render/to-resources.js";
import { parseYamlMapping } from "../../yaml/parse.js";
import { evaluatePolicies } from "../engine/evaluate.js";
import { loadPolicies } from "../load.js";
import type { LoadedPolicy, PolicyResource } from "../model.js";
import { compareEntry, type Row } from "./compare.js";
import { findTestFiles, resolveInside } from "./files.js";
import { parseTestSpec, parseValues, type TestSpec, type TestValues } from "./test-file.js";

export interface TestIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface TestSummary {
  passed: number;
  failed: number;
  skipped: number;
  unsupported: number;
  exitCode: number;
}

const LABELS: Record<Row["outcome"], string> = { pass: "PASS", fail: "FAIL", skip: "SKIP", unsupported: "UNSUPPORTED" };

export async function runPolicyTests(dir: string, io: TestIo): Promise<TestSummary> {
  const summary: TestSummary = { passed: 0, failed: 0, skipped: 0, unsupported: 0, exitCode: 0 };
  let root: string;
  try {
    root = await realpath(dir);
  } catch {
    io.stderr(`${dir}: no such directory\n`);
    return { ...summary, failed: 1, exitCode: 1 };
  }
  const files = await findTestFiles(root);
  if (files.length === 0) io.stderr(`${dir}: no ${"kyverno-test.yaml"} files found\n`);
  for (const file of files) {
    const rows = await runTestFile(root, file, io);
    for (const row of rows) {
      io.stdout(`${LABELS[row.outcome].padEnd(11)} ${row.policy}/${row.rule} ${row.resource} (${row.detail})\n`);
      if (row.outcome === "pass") summary.passed++;
      else if (row.outcome === "skip") summary.skipped++;
      else if (row.outcome === "unsupported") summary.unsupported++;
      else summary.failed++;
    }
  }
  io.stdout(`${summary.unsupported} unsupported (CEL, ValidatingPolicy, mutate, generate... not evaluated)\n`);
  io.stdout(`${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped\n`);
  summary.exitCode = summary.failed > 0 ? 1 : 0;
  return summary;
}

async function runTestFile(root: string, file: string, io: TestIo): Promise<Row[]> {
  const shown = relative(root, file) || file;
  let spec: TestSpec;
  try {
    const parsed = parseYamlMapping(await readFile(file, "utf8"));
    if (parsed.error) throw new Error(`${parsed.error.line ? `line ${parsed.error.line}: ` : ""}${parsed.error.message}`);
    spec = parseTestSpec(parsed.value);
  } catch (err) {
    return [broken(shown, (err as Error).message)];
  }
  io.stdout(`--- ${shown}${spec.name ? ` (${spec.name})` : ""}\n`);
  try {
    const base = dirname(file);
    const policies = await loadAllPolicies(root, base, spec.policies, io);
    const resources = await loadAllResources(root, base, spec.resources, io);
    const values = spec.variables ? parseValues(await readYaml(await resolveInside(root, base, spec.variables))) : parseValues(spec.inlineValues ?? {});
    const results = evaluatePolicies(policies, resources, {
      variables: values.global,
      allResources: resources,
      namespaceLabels: values.namespaceLabels,
      valuesFor: valuesLookup(values),
    });
    return spec.results.flatMap((expected) => expected.resources.flatMap((name) => compareEntry(expected, name, results, policies)));
  } catch (err) {
    const entries = Math.max(1, spec.results.reduce((n, r) => n + Math.max(1, r.resources.length), 0));
    return Array.from({ length: entries }, () => broken(shown, (err as Error).message));
  }
}

function broken(file: string, message: string): Row {
  return { outcome: "fail", policy: "-", rule: "-", resource: file, detail: `test could not run: ${message}` };
}

async function readYaml(path: string): Promise<unknown> {
  const parsed = parseYamlMapping(await readFile(path, "utf8"));
  if (parsed.error) throw new Error(`${path}:${parsed.error.line ?? ""} ${parsed.error.message}`);
  return parsed.value;
}

async function loadAllPolicies(root: string, base: string, refs: string[], io: TestIo): Promise<LoadedPolicy[]> {
  const out: LoadedPolicy[] = [];
  for (const ref of refs) {
    const path = await resolveInside(root, base, ref);
    const { policies, problems } = loadPolicies(await readFile(path, "utf8"), relative(root, path));
    for (const p of problems) io.stderr(`${p.file}${p.line ? `:${p.line}` : ""}: ${p.message}\n`);
    out.push(...policies);
  }
  return out;
}

async function loadAllResources(root: string, base: string, refs: string[], io: TestIo): Promise<PolicyResource[]> {
  const out: PolicyResource[] = [];
  for (const ref of refs) {
    const path = await resolveInside(root, base, ref);
    const { resources, problems } = yamlToResources(await readFile(path, "utf8"), relative(root, path));
    for (const p of problems) if (p.severity === "error") io.stderr(`${p.message}\n`);
    for (const r of resources) out.push({ object: r.body });
  }
  return out;
}

function valuesLookup(values: TestValues): (policy: string, rule: string, resource: PolicyResource) => Record<string, unknown> | undefined {
  return (policy, rule, resource) => {
    const byRule = values.rules.get(policy);
    const byResource = values.resources.get(policy);
    if (!byRule && !byResource) return undefined;
    const baseRule = rule.replace(/^autogen-cronjob-/, "").replace(/^autogen-/, "");
    const meta = (resource.object.metadata ?? {}) as Record<string, unknown>;
    const name = String(meta.name ?? "");
    return { ...(byRule?.get(rule) ?? byRule?.get(baseRule) ?? {}), ...(byResource?.get(name) ?? {}) };
  };
}
