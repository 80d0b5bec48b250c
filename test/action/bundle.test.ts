/**
 * The committed bundle, run the way the runner runs it: `node action/dist/index.js` with
 * INPUT_* and GITHUB_* variables, in a workspace that is a shallow clone, without a token.
 * Build it first with `npm run build:action` (CI checks it is current).
 */
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { createDemoRepo, parseOutputFile, pullRequestPayload, writePayload, type DemoRepo } from "./demo-repo.js";

let demo: DemoRepo;
let eventPath: string;

beforeAll(async () => {
  demo = await createDemoRepo();
  eventPath = await writePayload(demo.root, pullRequestPayload(demo.base, demo.head));
});

afterAll(async () => {
  await demo.cleanup();
});

interface BundleRun {
  code: number | null;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
}

async function runBundle(inputs: Record<string, string>): Promise<BundleRun> {
  const dir = await mkdtemp(join(demo.root, "bundle-"));
  const runnerTemp = join(dir, "temp");
  await mkdir(runnerTemp);
  const files = { GITHUB_OUTPUT: join(dir, "output"), GITHUB_STEP_SUMMARY: join(dir, "summary.md") };
  await Promise.all(Object.values(files).map((f) => writeFile(f, "")));
  const env: Record<string, string> = {
    // git from the machine; helm and kubectl from tools/bin, found through the package root.
    PATH: process.env.PATH ?? "",
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: "true",
    GITHUB_EVENT_NAME: "pull_request",
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_WORKSPACE: demo.checkout,
    GITHUB_REPOSITORY: "Codertocat/Hello-World",
    GITHUB_SHA: demo.head,
    RUNNER_TEMP: runnerTemp,
    ...files,
    "INPUT_GITHUB-TOKEN": "",
    "INPUT_WORKING-DIRECTORY": ".",
    INPUT_COMMENT: "true",
    "INPUT_CHECK-RUN": "true",
    "INPUT_FAIL-ON": "error",
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const child = spawn(process.execPath, [join(PROJECT_ROOT, "action/dist/index.js")], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
  child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  return {
    code,
    stdout,
    stderr,
    summary: await readFile(files.GITHUB_STEP_SUMMARY, "utf8"),
    outputs: parseOutputFile(await readFile(files.GITHUB_OUTPUT, "utf8")),
  };
}

describe("the committed bundle (action/dist/index.js)", () => {
  let passing: BundleRun;
  let failing: BundleRun;
  beforeAll(async () => {
    // One after the other: the first run fetches the base commit into the shallow checkout.
    passing = await runBundle({ sarif: "reports/shipshape.sarif" });
    failing = await runBundle({ "fail-on": "critical" });
  });

  it("writes the summary, the outputs and SARIF, and exits 0 at fail-on error", async () => {
    expect(passing.code, passing.stdout + passing.stderr).toBe(0);
    expect(passing.summary).toContain("## Shipshape");
    expect(passing.summary).toContain("approval required");
    expect(passing.outputs).toMatchObject({ "risk-level": "critical", "requires-approval": "true", "cost-delta": "+62.11 USD", findings: "2" });
    expect(JSON.parse(await readFile(passing.outputs["report-json"]!, "utf8"))).toMatchObject({ schemaVersion: 1, head: { ref: demo.head } });
    const sarif = JSON.parse(await readFile(join(demo.checkout, "reports/shipshape.sarif"), "utf8")) as { version: string; runs: { tool: { driver: { name: string; semanticVersion?: string } } }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.tool.driver).toMatchObject({ name: "Shipshape", semanticVersion: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    // @actions/core writes the title first; the runner reads the properties in any order.
    expect(passing.stdout).toMatch(/^::warning (?:[^:\n]*,)?file=apps\/api\/base\/service\.yaml,line=1[,:]/m);
  });

  it("exits 1 at fail-on critical, saying why", () => {
    expect(failing.code, failing.stdout + failing.stderr).toBe(1);
    expect(failing.stdout).toContain("::error title=Shipshape%3A check failed::the change's risk level is critical");
    expect(failing.outputs["risk-level"]).toBe("critical");
  });

  it("exits 2 on a bad input, naming it", async () => {
    const r = await runBundle({ "fail-on": "loud" });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('input fail-on: "loud" is not allowed');
  });
});
