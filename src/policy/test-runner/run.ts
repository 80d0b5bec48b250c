/**
 * `shipshape policy test <dir>`: runs every kyverno-test.yaml below `dir` the way `kyverno test`
 * does and reports one record per expected result entry (text, JSON or JUnit). Entries on
 * policies or rules we cannot evaluate are counted as unsupported with their reason, never as
 * passes. Exit codes: 0 all entries agree; 1 a mismatch, or nothing was evaluated at all;
 * 2 the directory is missing or holds no test; 3 a test could not be set up (a missing file, bad
 * YAML, a path leaving the tree), reported once per test file.
 */
import { readFile, realpath } from "node:fs/promises";
import { basename, dirname, relative } from "node:path";
import { isPlainObject, parseYamlMapping } from "../../yaml/parse.js";
import { imagesOf } from "../cel/kyverno-library.js";
import { evaluatePolicies } from "../engine/evaluate.js";
import type { ClusterData, PolicyResource } from "../model.js";
import { compareEntry, type Row } from "./compare.js";
import { findTestFiles, RefusedPathError, TEST_FILE_NAME } from "./files.js";
import { loadTestPolicies, loadTestResources, readYamlFile, SetupError } from "./inputs.js";
import { formatReport, type ReportFormat } from "./report.js";
import { operationVariables, parseUserInfo, requesterVariables, updateRequest } from "./request.js";
import { policiesForTest } from "./test-context.js";
import { parseTestSpec, parseValues, type TestSpec, type TestValues } from "./test-file.js";

export interface TestIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export interface EntryRecord extends Row {
  /** The kyverno-test.yaml, relative to the tested tree. */
  file: string;
  test: string;
  kind: string;
  expected: string;
}

export interface SetupProblem {
  file: string;
  message: string;
}

export interface TestSummary {
  /** Expected result entries of the test files that could run. */
  entries: number;
  passed: number;
  failed: number;
  skipped: number;
  unsupported: number;
  /** Test files that could not be set up. */
  errors: number;
  /** Why entries were not evaluated, most frequent first. */
  unsupportedReasons: { reason: string; count: number }[];
  exitCode: number;
}

export interface TestReport {
  files: { file: string; test: string; entries: EntryRecord[] }[];
  setupErrors: SetupProblem[];
  summary: TestSummary;
}

export const TEST_EXIT = { ok: 0, mismatch: 1, usage: 2, setup: 3 } as const;

export interface RunOptions {
  format?: ReportFormat;
}

export async function runPolicyTests(dir: string, io: TestIo, options: RunOptions = {}): Promise<TestSummary> {
  const report = await collectReport(dir, io);
  if (report.summary.exitCode === TEST_EXIT.usage) return report.summary;
  io.stdout(formatReport(report, options.format ?? "text"));
  if (report.summary.exitCode === TEST_EXIT.mismatch && report.summary.failed === 0) {
    io.stderr(`${dir}: nothing was evaluated (${report.summary.unsupported} unsupported entries); a run that checks nothing does not pass\n`);
  }
  return report.summary;
}

function emptySummary(): TestSummary {
  return { entries: 0, passed: 0, failed: 0, skipped: 0, unsupported: 0, errors: 0, unsupportedReasons: [], exitCode: TEST_EXIT.ok };
}

/**
 * The tree whose files a test may read. A suite's own `.kyverno-test/` folder names its policy
 * as `../policy.yaml`, so when pointed at such a folder, its parent is the tree.
 */
function treeOf(real: string): string {
  return basename(real) === ".kyverno-test" ? dirname(real) : real;
}

export async function collectReport(dir: string, io: TestIo): Promise<TestReport> {
  let start: string;
  try {
    start = await realpath(dir);
  } catch {
    io.stderr(`${dir}: no such directory\n`);
    return { files: [], setupErrors: [], summary: { ...emptySummary(), exitCode: TEST_EXIT.usage } };
  }
  const root = treeOf(start);
  const testFiles = await findTestFiles(start);
  if (testFiles.length === 0) {
    io.stderr(`${dir}: no ${TEST_FILE_NAME} files found\n`);
    return { files: [], setupErrors: [], summary: { ...emptySummary(), exitCode: TEST_EXIT.usage } };
  }
  const files: TestReport["files"] = [];
  const setupErrors: SetupProblem[] = [];
  for (const file of testFiles) {
    const shown = relative(root, file) || file;
    try {
      const { test, entries } = await runTestFile(root, file, shown, io);
      files.push({ file: shown, test, entries });
    } catch (err) {
      if (!(err instanceof SetupError || err instanceof RefusedPathError)) throw err;
      setupErrors.push({ file: shown, message: err.message });
    }
  }
  return { files, setupErrors, summary: summarize(files.flatMap((f) => f.entries), setupErrors) };
}

function summarize(entries: readonly EntryRecord[], setupErrors: readonly SetupProblem[]): TestSummary {
  const s = emptySummary();
  const reasons = new Map<string, number>();
  s.entries = entries.length;
  s.errors = setupErrors.length;
  for (const e of entries) {
    if (e.outcome === "pass") s.passed++;
    else if (e.outcome === "skip") s.skipped++;
    else if (e.outcome === "fail") s.failed++;
    else {
      s.unsupported++;
      reasons.set(e.detail, (reasons.get(e.detail) ?? 0) + 1);
    }
  }
  s.unsupportedReasons = [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
  const evaluated = s.passed + s.failed + s.skipped;
  if (s.errors > 0) s.exitCode = TEST_EXIT.setup;
  else if (s.failed > 0 || evaluated === 0) s.exitCode = TEST_EXIT.mismatch;
  return s;
}

async function runTestFile(root: string, file: string, shown: string, io: TestIo): Promise<{ test: string; entries: EntryRecord[] }> {
  let spec: TestSpec;
  const parsed = parseYamlMapping(await readFile(file, "utf8"));
  if (parsed.error) throw new SetupError(`invalid YAML${parsed.error.line ? ` at line ${parsed.error.line}` : ""}: ${parsed.error.message}`);
  try {
    spec = parseTestSpec(parsed.value);
  } catch (err) {
    throw new SetupError((err as Error).message);
  }
  const base = dirname(file);
  const policies = policiesForTest(await loadTestPolicies(root, base, spec.policies, io));
  const resources = await loadTestResources(root, base, spec.resources);
  const values = spec.variables ? parseValues(await readYamlFile(root, base, spec.variables, "values file")) : parseValues(spec.inlineValues ?? {});
  const requester = spec.userInfo ? parseUserInfoFile(await readYamlFile(root, base, spec.userInfo, "userInfo file")) : undefined;
  const clusterData = spec.context ? clusterDataOf(await readYamlFile(root, base, spec.context, "context file")) : undefined;
  const results = evaluatePolicies(policies, resources, {
    requestFor: updateRequest(values.global["request.operation"], (name) => resourceOperation(values, name)),
    variables: { ...values.global, ...requesterVariables(requester) },
    allResources: resources,
    namespaceLabels: values.namespaceLabels,
    valuesFor: valuesLookup(values),
    ...(clusterData ? { clusterData } : {}),
    ...(requester ? { userInfo: requester.userInfo } : {}),
    namespaces: values.namespaces,
  });
  const entries = spec.results.flatMap((expected) =>
    expected.resources.map((name) => ({ expected, rows: compareEntry(expected, name, results, policies, resources) })),
  );
  return {
    test: spec.name,
    entries: entries.flatMap(({ expected, rows }) => rows.map((row) => ({ ...row, file: shown, test: spec.name, kind: expected.kind, expected: expected.result }))),
  };
}

/** A `cli.kyverno.io` Context file: `spec.resources` (cluster objects) and `spec.images` (image metadata). */
function clusterDataOf(value: unknown): ClusterData {
  const spec = isPlainObject(value) && isPlainObject(value.spec) ? value.spec : {};
  const resources = Array.isArray(spec.resources) ? spec.resources.filter(isPlainObject) : [];
  return { resources, images: imagesOf(spec.images) };
}

function parseUserInfoFile(value: unknown) {
  try {
    return parseUserInfo(value);
  } catch (err) {
    throw new SetupError((err as Error).message);
  }
}

/** `request.operation` set for a resource under any policy of the values file. */
function resourceOperation(values: TestValues, name: string): unknown {
  for (const byResource of values.resources.values()) {
    const op = byResource.get(name)?.["request.operation"];
    if (op !== undefined) return op;
  }
  return undefined;
}

function valuesLookup(values: TestValues): (policy: string, rule: string, resource: PolicyResource) => Record<string, unknown> | undefined {
  return (policy, rule, resource) => {
    const byRule = values.rules.get(policy);
    const byResource = values.resources.get(policy);
    const operation = values.global["request.operation"];
    if (!byRule && !byResource) return operation ? operationVariables(operation, resource) : undefined;
    const baseRule = rule.replace(/^autogen-cronjob-/, "").replace(/^autogen-/, "");
    const meta = (resource.object.metadata ?? {}) as Record<string, unknown>;
    const name = String(meta.name ?? "");
    const merged = { ...(byRule?.get(rule) ?? byRule?.get(baseRule) ?? {}), ...(byResource?.get(name) ?? {}) };
    return { ...merged, ...operationVariables(merged["request.operation"] ?? operation, resource) };
  };
}
