/**
 * Shared by the manifests-*.test.ts files: a pull request's head written to a temp folder, the
 * report `shipshape check` makes of it, and what the real kubectl (tools/bin) would apply from the
 * same folder (`kubectl label --local -f DIR -o name` needs no cluster). A manifest is read right
 * when the two name the same objects.
 */
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { expect } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { PROJECT_ROOT, runCli } from "../helpers/cli.js";

export const KUBECTL = join(PROJECT_ROOT, "tools", "bin", "kubectl");

export type Files = Record<string, string | Buffer>;

export async function writeTree(root: string, files: Files): Promise<void> {
  await mkdir(root, { recursive: true });
  for (const [path, data] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), data);
  }
}

/** Checks base → head (folders under `work`) and returns the JSON report and the head folder. */
export async function checkTrees(work: string, base: Files, head: Files): Promise<{ report: Report; headDir: string }> {
  const dir = await mkdtemp(join(work, "case-"));
  await writeTree(join(dir, "base"), base);
  await writeTree(join(dir, "head"), head);
  const run = await runCli(["check", "--base", `dir:${join(dir, "base")}`, "--head", `dir:${join(dir, "head")}`, "--format", "json", "--fail-on", "never"]);
  expect(run.code, run.stderr).toBe(0);
  return { report: JSON.parse(run.stdout) as Report, headDir: join(dir, "head") };
}

/** Objects as `kubectl -o name` prints them: `kind.group/name`, the kind in lower case. */
export function objectName(apiVersion: string, kind: string, name: string): string {
  const slash = apiVersion.indexOf("/");
  const group = slash === -1 ? "" : apiVersion.slice(0, slash);
  return `${kind.toLowerCase()}${group ? `.${group}` : ""}/${name}`;
}

/** What kubectl would apply from `dir` (sorted), and what it complained about. */
export function kubectlObjects(dir: string, recursive = false): { names: string[]; stderr: string } {
  const run = spawnSync(KUBECTL, ["label", "--local", ...(recursive ? ["-R"] : []), "-f", dir, "shipshape-test=1", "-o", "name"], {
    encoding: "utf8",
    env: { HOME: dirname(dir), PATH: "" },
  });
  return { names: run.stdout.split("\n").filter(Boolean).sort(), stderr: run.stderr };
}

/** The objects the report shows the head adding, in `targets` (all targets when absent). */
export function addedObjects(report: Report, targets?: readonly string[]): string[] {
  return report.changes
    .filter((c) => c.action === "added" && (!targets || targets.includes(c.target)))
    .map((c) => objectName(c.apiVersion, c.kind, c.name))
    .sort();
}

export function introducedErrors(report: Report, target: string): { ruleId: string; file?: string; line?: number }[] {
  return report.findings
    .filter((f) => f.target === target && f.introduced && f.severity === "error")
    .map((f) => ({ ruleId: f.ruleId, ...(f.file ? { file: f.file } : {}), ...(f.line ? { line: f.line } : {}) }));
}

export const CRB = (name: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: ${name}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
subjects:
- apiGroup: rbac.authorization.k8s.io
  kind: Group
  name: system:authenticated
`;

export const CONFIG_MAP = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  a: b\n`;
