/**
 * The Action in-process, on the demo pull request as a real git history: a shallow checkout
 * (the base commit is fetched), a pull_request payload, INPUT_* values, no token.
 */
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/core/model/report.js";
import { run, type ActionDependencies } from "../../action/src/main.js";
import type { ActionPublishContext } from "../../action/src/publisher.js";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { createDemoRepo, pullRequestPayload, writePayload, type DemoRepo } from "./demo-repo.js";
import { actionEnvironment, onRunner } from "./runner.js";

let demo: DemoRepo;
let eventPath: string;

beforeAll(async () => {
  demo = await createDemoRepo();
  eventPath = await writePayload(demo.root, pullRequestPayload(demo.base, demo.head));
});

afterAll(async () => {
  await demo.cleanup();
});

interface Captured {
  code: number;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
  runnerTemp: string;
}

async function runAction(inputs: Record<string, string>, options: { event?: string; eventName?: string; deps?: ActionDependencies } = {}): Promise<Captured> {
  const dir = await mkdtemp(join(demo.root, "run-"));
  const runnerTemp = join(dir, "temp");
  await mkdir(runnerTemp);
  const env = actionEnvironment({
    eventName: options.eventName ?? "pull_request",
    eventPath: options.event ?? eventPath,
    workspace: demo.checkout,
    sha: demo.head,
    runnerTemp,
  });
  const view = await onRunner({ "working-directory": ".", comment: "true", "check-run": "true", ...inputs }, () => run(env, options.deps));
  return { code: view.result, stdout: view.stdout, summary: view.summary, outputs: view.outputs, runnerTemp };
}

describe("the Action on the demo pull request, without a token", () => {
  let never: Captured;
  let published = false;
  beforeAll(async () => {
    never = await runAction({ "fail-on": "never", sarif: "out/shipshape.sarif" }, { deps: { publish: async () => void (published = true) } });
  });

  it("writes the Markdown report to the job summary", () => {
    expect(never.code, never.stdout).toBe(0);
    expect(never.summary).toContain("## Shipshape");
    expect(never.summary).toContain("critical");
    expect(never.summary).toContain(`<code>${demo.base}</code> → <code>${demo.head}</code>`);
  });

  it("sets the outputs", async () => {
    expect(never.outputs).toMatchObject({ "risk-level": "critical", "requires-approval": "true", "cost-delta": "+62.11 USD", findings: "2" });
    const reportPath = never.outputs["report-json"]!;
    expect(reportPath.startsWith(never.runnerTemp)).toBe(true);
    const report = JSON.parse(await readFile(reportPath, "utf8")) as Report;
    expect(report.changes).toHaveLength(23);
    expect(report.base.ref).toBe(demo.base);
    expect(await readFile(join(reportPath, "..", "shipshape-report.md"), "utf8")).toBe(never.summary);
  });

  it("writes SARIF below the working directory", async () => {
    const sarif = JSON.parse(await readFile(join(demo.checkout, "out/shipshape.sarif"), "utf8")) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.results.map((r) => r.ruleId).sort()).toEqual(["policy/restrict-service-exposure/flag-external-service-types", "schema/no-schema"]);
    await rm(join(demo.checkout, "out"), { recursive: true });
  });

  it("annotates the introduced findings at their file and line", () => {
    expect(never.stdout).toContain("::warning title=Shipshape%3A policy/restrict-service-exposure/flag-external-service-types,file=apps/api/base/service.yaml,line=1::");
    expect(never.stdout).toContain("::notice title=Shipshape%3A schema/no-schema,file=apps/api/overlays/prod/servicemonitor.yaml,line=3::");
    // Pre-existing findings are in the report, not annotated.
    const annotations = never.stdout.split("\n").filter((l) => /^::(error|warning|notice) /.test(l));
    expect(annotations).toHaveLength(2);
  });

  it("does not publish without a token", () => {
    expect(published).toBe(false);
  });

  it("fetches the base commit the shallow checkout lacks", () => {
    expect(never.stdout).toContain(`comparing ${demo.base} (base) with ${demo.head} (head)`);
  });

  it("exits per fail-on: error passes the demo (its new findings are a warning and an info), critical fails it", async () => {
    const [error, critical] = await Promise.all([runAction({ "fail-on": "error" }), runAction({ "fail-on": "critical" })]);
    expect(error.code, error.stdout).toBe(0);
    expect(error.stdout).not.toContain("check failed");
    expect(critical.code).toBe(1);
    expect(critical.stdout).toContain("::error title=Shipshape%3A check failed::the change's risk level is critical, at or above critical");
  });

  it("takes fail-on from the config's github.failOn when the input is empty", async () => {
    const dir = await mkdtemp(join(demo.root, "config-"));
    const config = join(dir, "shipshape.yml");
    const baseConfig = await readFile(join(PROJECT_ROOT, "fixtures/demo/base/.github/shipshape.yml"), "utf8");
    await writeFile(config, `${baseConfig}\ngithub:\n  failOn: warning\n`);
    const r = await runAction({ "fail-on": "", config });
    expect(r.code, r.stdout).toBe(1);
    expect(r.stdout).toContain("::error title=Shipshape%3A check failed::1 finding introduced by this change at or above severity warning (fail-on: warning)");
  });
});

describe("bad inputs and checkouts", () => {
  it("names the input and the allowed values (exit 2)", async () => {
    const r = await runAction({ "fail-on": "sometimes", comment: "yes" });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('input fail-on: "sometimes" is not allowed; allowed values: never, info, warning, error, low, medium, high, critical');
    expect(r.stdout).toContain('input comment: "yes" is not a boolean; allowed values: true, false');
  });

  it("says to set fetch-depth: 0 when the base commit cannot be fetched (exit 2)", async () => {
    const r = await runAction({ "base-ref": "0123456789abcdef0123456789abcdef01234567" });
    expect(r.code).toBe(2);
    expect(r.stdout).toContain("set `fetch-depth: 0` on actions/checkout");
    expect(r.summary).toContain("Shipshape could not review this change");
  });

  it("reports a config error with its file and line (exit 2)", async () => {
    const config = join(demo.root, "bad-config.yml");
    await writeFile(config, "kubernetesVersion: '1.31'\nrender:\n  timeoutSecond: 5\n");
    const r = await runAction({ config });
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^::error title=Shipshape%3A config error,file=[^,]*bad-config\.yml,line=3::/m);
  });
});

describe("publishing", () => {
  const token = "ghs_fakeToken0123456789";

  it("calls the publisher with the pull request's context when a token is present, and masks the token", async () => {
    const calls: ActionPublishContext[] = [];
    const r = await runAction({ "github-token": token, "fail-on": "never", "check-run": "false" }, { deps: { publish: async (ctx) => void calls.push(ctx) } });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(`::add-mask::${token}\n`)).toBe(true);
    expect(r.stdout.split(token)).toHaveLength(2); // only in the mask command
    expect(calls).toHaveLength(1);
    const ctx = calls[0]!;
    expect(ctx).toMatchObject({
      apiUrl: "https://api.github.com",
      token,
      owner: "Codertocat",
      repo: "Hello-World",
      pullNumber: 2,
      baseSha: demo.base,
      headSha: demo.head,
      author: "Codertocat",
      failOn: "never",
      comment: true,
      checkRun: false,
      eventName: "pull_request",
      toolErrors: [],
    });
    expect(ctx.report.risk?.level).toBe("critical");
    expect(ctx.config.source).toBe(".github/shipshape.yml");
    expect((ctx.payload as { action?: string }).action).toBe("opened");
  });

  it("warns and carries on when the token may not write (a fork's pull request)", async () => {
    const denied = Object.assign(new Error("Resource not accessible by integration"), { status: 403 });
    const r = await runAction({ "github-token": token, "fail-on": "error" }, { deps: { publish: async () => Promise.reject(denied) } });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("::warning title=Shipshape%3A not published::Shipshape could not publish the pull request comment or check run");
    expect(r.outputs["risk-level"]).toBe("critical");
  });

  it("reads the commits of an issue_comment's pull request through the API", async () => {
    const comment = { action: "created", issue: { number: 2, pull_request: { url: "https://api.github.com/repos/Codertocat/Hello-World/pulls/2" }, user: { login: "Codertocat" } }, repository: { full_name: "Codertocat/Hello-World" } };
    const event = await writePayload(demo.root, comment);
    const seen: number[] = [];
    const calls: ActionPublishContext[] = [];
    const r = await runAction(
      { "github-token": token, "fail-on": "never" },
      {
        event,
        eventName: "issue_comment",
        deps: {
          lookupPullRequest: async ({ number }) => (seen.push(number), { baseSha: demo.base, headSha: demo.head, author: "Codertocat" }),
          publish: async (ctx) => void calls.push(ctx),
        },
      },
    );
    expect(r.code, r.stdout).toBe(0);
    expect(seen).toEqual([2]);
    expect(calls[0]).toMatchObject({ eventName: "issue_comment", pullNumber: 2, headSha: demo.head });
  });

  it("does nothing for a comment on a plain issue", async () => {
    const event = await writePayload(demo.root, { action: "created", issue: { number: 7 } });
    const r = await runAction({}, { event, eventName: "issue_comment" });
    expect(r.code).toBe(0);
    expect(r.summary).toBe("");
    expect(await readdir(r.runnerTemp)).toEqual([]);
  });
});
