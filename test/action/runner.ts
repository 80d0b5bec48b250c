/**
 * The runner's side of an in-process Action run: the step's `INPUT_*` variables, the
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files @actions/core writes to, and standard output,
 * where the runner reads log lines, annotations, groups and masks. @actions/core takes all of
 * them from the process (and keeps the summary file's path once it has seen it), so the runs
 * of one test process take turns, on one pair of files emptied before each run.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ActionEnvironment } from "../../action/src/environment.js";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { parseOutputFile } from "./demo-repo.js";

export interface RunnerView<T> {
  result: T;
  /** Everything written to standard output, as the runner reads it. */
  stdout: string;
  /** The GITHUB_STEP_SUMMARY file after the run. */
  summary: string;
  /** The GITHUB_OUTPUT file after the run, as written. */
  outputFile: string;
  /** The GITHUB_OUTPUT file parsed the way the runner parses it. */
  outputs: Record<string, string>;
}

let files: { output: string; summary: string } | undefined;
let turn: Promise<unknown> = Promise.resolve();

/** The runner's name for an input: `fail-on` is INPUT_FAIL-ON. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}

/**
 * Runs `body` (an Action run) with these inputs set as the runner sets them, `null` leaving
 * GITHUB_OUTPUT and GITHUB_STEP_SUMMARY unset (a local run); waits for earlier runs first.
 */
export function onRunner<T>(inputs: Readonly<Record<string, string>>, body: () => Promise<T>, options: { files?: boolean } = {}): Promise<RunnerView<T>> {
  const mine = turn.then(() => runOnce(inputs, body, options.files ?? true));
  turn = mine.catch(() => undefined);
  return mine;
}

async function runOnce<T>(inputs: Readonly<Record<string, string>>, body: () => Promise<T>, withFiles: boolean): Promise<RunnerView<T>> {
  files ??= makeFiles();
  writeFileSync(files.output, "");
  writeFileSync(files.summary, "");
  const saved = { ...process.env };
  for (const key of Object.keys(process.env)) if (key.startsWith("INPUT_")) delete process.env[key];
  for (const [name, value] of Object.entries(inputs)) process.env[inputVariable(name)] = value;
  if (withFiles) {
    process.env.GITHUB_OUTPUT = files.output;
    process.env.GITHUB_STEP_SUMMARY = files.summary;
  } else {
    delete process.env.GITHUB_OUTPUT;
    delete process.env.GITHUB_STEP_SUMMARY;
  }
  let stdout = "";
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => {
    stdout += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    return true;
  }) as typeof process.stdout.write;
  let result: T;
  try {
    result = await body();
  } finally {
    process.stdout.write = write;
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
  const outputFile = await readFile(files.output, "utf8");
  return { result, stdout, summary: await readFile(files.summary, "utf8"), outputFile, outputs: parseOutputFile(outputFile) };
}

function makeFiles(): { output: string; summary: string } {
  const dir = mkdtempSync(join(tmpdir(), "shipshape-runner-"));
  process.once("exit", () => rmSync(dir, { recursive: true, force: true }));
  return { output: join(dir, "output"), summary: join(dir, "summary.md") };
}

/** An ActionEnvironment for a run on the demo's fake runner: the fields every test sets alike. */
export function actionEnvironment(fields: Pick<ActionEnvironment, "workspace" | "runnerTemp"> & Partial<ActionEnvironment>): ActionEnvironment {
  return {
    eventName: "pull_request",
    repository: "Codertocat/Hello-World",
    apiUrl: "https://api.github.com",
    serverUrl: "https://github.com",
    path: "",
    cpus: 2,
    today: "2026-11-23",
    tmpDir: fields.runnerTemp!,
    toolsDir: join(PROJECT_ROOT, "tools", "bin"),
    version: "0.1.0",
    ...fields,
  };
}
