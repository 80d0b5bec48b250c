/**
 * The Action's `chart-credentials` input: every value in it is masked in the runner's log before
 * anything else is printed and appears nowhere else; a malformed value fails the step at start
 * (exit 2) with an error naming the input, never the value.
 */
import { mkdir, mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../action/src/main.js";
import { parseInputs } from "../../action/src/inputs.js";
import { createDemoRepo, pullRequestPayload, writePayload, type DemoRepo } from "../action/demo-repo.js";
import { actionEnvironment, inputVariable, onRunner } from "../action/runner.js";

const PASSWORD = "canary-action-pw-3b9e77d1";
const TOKEN = "canary-action-token-c05a12";
const VALID = JSON.stringify({ "charts.example.com": { username: "ci", password: PASSWORD }, "registry.example.com:5000": { token: TOKEN } });

let demo: DemoRepo;
let eventPath: string;
beforeAll(async () => {
  demo = await createDemoRepo();
  eventPath = await writePayload(demo.root, pullRequestPayload(demo.base, demo.head));
});
afterAll(async () => {
  await demo.cleanup();
});

async function runAction(inputs: Record<string, string>) {
  const dir = await mkdtemp(join(demo.root, "run-"));
  const runnerTemp = join(dir, "temp");
  await mkdir(runnerTemp);
  const env = actionEnvironment({ eventName: "pull_request", eventPath, workspace: demo.checkout, sha: demo.head, runnerTemp });
  const view = await onRunner({ "working-directory": ".", comment: "false", "check-run": "false", "fail-on": "never", ...inputs }, () => run(env));
  return { code: view.result, stdout: view.stdout, summary: view.summary };
}

describe("the Action's chart-credentials input", () => {
  it("is parsed into the run's credentials, keyed by host", () => {
    process.env[inputVariable("chart-credentials")] = VALID;
    try {
      const parsed = parseInputs();
      expect(parsed.ok && [...(parsed.inputs.chartCredentials?.entries() ?? [])]).toEqual([
        ["charts.example.com", { kind: "basic", username: "ci", password: PASSWORD }],
        ["registry.example.com:5000", { kind: "token", token: TOKEN }],
      ]);
    } finally {
      delete process.env[inputVariable("chart-credentials")];
    }
  });

  it("masks every value first, and shows it nowhere else", async () => {
    const r = await runAction({ "chart-credentials": VALID });
    expect(r.code, r.stdout).toBe(0);
    const masks = r.stdout.split("\n").filter((l) => l.startsWith("::add-mask::"));
    for (const secret of [PASSWORD, TOKEN, Buffer.from(`ci:${PASSWORD}`).toString("base64")]) {
      expect(masks).toContain(`::add-mask::${secret}`);
      const elsewhere = r.stdout.split("\n").filter((l) => !l.startsWith("::add-mask::") && l.includes(secret));
      expect(elsewhere).toEqual([]);
      expect(r.summary).not.toContain(secret);
    }
  }, 120_000);

  it("a malformed value fails the step at start (exit 2), naming the input, never the value", async () => {
    const r = await runAction({ "chart-credentials": `{"charts.example.com": {"username": "ci", "password": "${PASSWORD}", "extra": 1}}` });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('input chart-credentials: charts.example.com: unknown field "extra"');
    // Its whole text is masked (the runner hides it), and no other line holds the password.
    expect(r.stdout.split("\n").filter((l) => !l.startsWith("::add-mask::") && l.includes(PASSWORD))).toEqual([]);
    expect(r.stdout).toContain(`::add-mask::{"charts.example.com"`);
  }, 60_000);
});
