/**
 * Issue 11, found items 5 and 6, through the GitHub App and the Action: with the pull
 * request of secrets-repo.ts (secret values in three error messages and four kinds of
 * credential in a diff) and the operator's own token, key and webhook secret in the process
 * environment, no request body sent to GitHub, no log line, no step output, summary, report
 * file, SARIF file or workflow command holds any of them — while the comment and the checks
 * still report the broken inputs and the changes.
 */
import { mkdir, mkdtemp, readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { Writable } from "node:stream";
import pino from "pino";
import { Probot, ProbotOctokit } from "probot";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createGitHubPublisher } from "../../action/src/github-publisher.js";
import { run } from "../../action/src/main.js";
import { createOctokitApi } from "../../action/src/octokit.js";
import { createShipshapeApp } from "../../src/app/app.js";
import { operatorSecretValues } from "../../src/core/secrets/operator.js";
import { pullFiles, tarballOf } from "../app/helpers/demo-repo.js";
import { FakeGitHub } from "../app/helpers/fake-github.js";
import { API, nock, stopApp, testEnvironment } from "../app/helpers/github.js";
import { BASE_SHA, HEAD_SHA, INSTALLATION, pullRequestPayload } from "../app/helpers/payloads.js";
import { pullRequestPayload as actionPullRequestPayload, writePayload } from "../action/demo-repo.js";
import { actionEnvironment, onRunner, type RunnerView } from "../action/runner.js";
import { CANARY, leaked, leakyGitRepo, leakyRepo, OPERATOR, type LeakyRepo } from "./secrets-repo.js";

/** The operator's environment: what the App and the Action read their secrets from. */
const OPERATOR_ENV = { PRIVATE_KEY: OPERATOR.pem, WEBHOOK_SECRET: OPERATOR.webhookSecret, GITHUB_TOKEN: OPERATOR.token, APP_ID: "1", PATH: "/usr/bin" };

/** A file of the pull request holding the operator's secrets, as if a tool had echoed them. */
const ECHO = {
  "leak/kustomization.yaml": "resources:\n  - cm.yaml\n",
  "leak/cm.yaml": `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: leak\ndata:\n  token: ${OPERATOR.token}\n  hook: ${OPERATOR.webhookSecret}\n  key: |\n${OPERATOR.pem.split("\n").map((l) => `    ${l}`).join("\n")}\n`,
};

const CONFIG = "discovery: true\nrender:\n  timeoutSeconds: 60\n";

describe("the App", () => {
  let repo: LeakyRepo;
  let gh: FakeGitHub;
  const logLines: string[] = [];

  beforeAll(async () => {
    repo = await leakyRepo(ECHO);
    nock.disableNetConnect();
    gh = new FakeGitHub();
    gh.config = CONFIG;
    gh.tarballs.set(BASE_SHA, await tarballOf(repo.base, BASE_SHA));
    gh.tarballs.set(HEAD_SHA, await tarballOf(repo.head, HEAD_SHA));
    gh.files = await pullFiles(repo.base, repo.head);
    // Before the fake GitHub's catch-all: the installation token, asked once.
    nock(API).post(`/app/installations/${INSTALLATION}/access_tokens`).reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} }).persist();
    gh.install();
    const log = pino({ level: "trace" }, new Writable({ write: (chunk, _enc, done) => (logLines.push(String(chunk)), done()) }));
    const probot = new Probot({
      appId: 1,
      privateKey: await testKey(),
      secret: "test-webhook-secret",
      log,
      Octokit: ProbotOctokit.defaults((o: any) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
    });
    const app = createShipshapeApp({ env: testEnvironment({ operatorSecrets: operatorSecretValues(OPERATOR_ENV) }) });
    await probot.load(app);
    await probot.receive({ id: "evt-secrets", name: "pull_request", payload: pullRequestPayload() });
    await app.idle();
  }, 120_000);

  afterAll(async () => {
    const { pending } = stopApp();
    expect(pending).toEqual([]);
    expect(gh.unexpected).toEqual([]);
    await repo.cleanup();
  });

  it("sends no secret value in any request to GitHub", () => {
    const posted = gh.requests.filter((r) => r.method !== "GET");
    expect(posted.length).toBeGreaterThan(4);
    for (const r of posted) expect(leaked(JSON.stringify(r.body)), `${r.method} ${r.path}`).toEqual([]);
  });

  it("still reports the broken inputs and the changes on the pull request", () => {
    const sticky = gh.comments[0]!.body;
    expect(sticky).toContain("gen");
    const main = gh.check("Shipshape")!;
    const text = JSON.stringify(main.output) + JSON.stringify(main.annotations);
    expect(text).toContain("invalid literal source");
    expect(text).toContain("unterminated quoted value of API_TOKEN");
    expect(text).toContain("a \\\"${\\\" is never closed");
  });

  it("writes no secret value to the log", () => {
    expect(logLines.length).toBeGreaterThan(0);
    expect(leaked(logLines.join(""))).toEqual([]);
  });
});

describe("the Action", () => {
  let git: Awaited<ReturnType<typeof leakyGitRepo>>;
  let gh: FakeGitHub;
  let stdout = "";
  let code: number;
  let dir: string;
  let view: RunnerView<number>;
  const TOKEN = "ghs_CanaryActionToken0123456789abcdef";

  beforeAll(async () => {
    git = await leakyGitRepo();
    nock.disableNetConnect();
    gh = new FakeGitHub();
    gh.actor = { login: "github-actions[bot]", type: "Bot" };
    gh.pull = { headSha: git.head, baseSha: git.base, author: "alice-author" };
    gh.install();
    dir = await mkdtemp(join(git.root, "run-"));
    const temp = join(dir, "temp");
    await mkdir(temp);
    const payload = actionPullRequestPayload(git.base, git.head) as any;
    payload.repository = { ...payload.repository, name: "demo", full_name: "octo/demo", owner: { ...payload.repository.owner, login: "octo" } };
    payload.number = 7;
    Object.assign(payload.pull_request, { number: 7, user: { login: "alice-author", type: "User" } });
    const env = actionEnvironment({
      eventPath: await writePayload(dir, payload),
      workspace: git.origin,
      repository: "octo/demo",
      sha: git.head,
      runnerTemp: temp,
      operatorSecrets: operatorSecretValues({ ...OPERATOR_ENV, "INPUT_GITHUB-TOKEN": TOKEN }),
    });
    const publish = createGitHubPublisher({ api: (ctx) => createOctokitApi(ctx.apiUrl, ctx.token, { retry: false, throttle: false }) });
    const inputs = { "github-token": TOKEN, "working-directory": ".", comment: "true", "check-run": "true", "fail-on": "never", sarif: "out/shipshape.sarif" };
    view = await onRunner(inputs, () => run(env, { publish }));
    ({ stdout, result: code } = view);
  }, 120_000);

  afterAll(async () => {
    const { pending } = stopApp();
    expect(pending).toEqual([]);
    expect(gh.unexpected).toEqual([]);
    await git.cleanup();
  });

  it("runs and publishes", () => {
    expect(code, stdout).toBe(0);
    expect(gh.comments).toHaveLength(1);
    expect(gh.check("Shipshape", git.head)?.conclusion).toBeDefined();
  });

  it("sends no secret value in any request to GitHub", () => {
    const posted = gh.requests.filter((r) => r.method !== "GET");
    expect(posted.length).toBeGreaterThan(3);
    for (const r of posted) expect(leaked(JSON.stringify(r.body)), `${r.method} ${r.path}`).toEqual([]);
  });

  it("prints no secret value in workflow commands and the log; the runner is told to mask them (::add-mask::, never shown)", () => {
    const lines = stdout.split("\n");
    const masks = lines.filter((l) => l.startsWith("::add-mask::")).map((l) => l.slice("::add-mask::".length));
    const shown = lines.filter((l) => !l.startsWith("::add-mask::")).join("\n");
    expect(shown).not.toContain(TOKEN);
    expect(leaked(shown)).toEqual([]);
    // The operator's secrets and the token before any other line; then what the analysis found in the pull request.
    expect(lines.findIndex((l) => !l.startsWith("::add-mask::"))).toBeGreaterThan(lines.indexOf(`::add-mask::${TOKEN}`));
    expect(masks).toContain(OPERATOR.token);
    expect(masks).toContain(CANARY.dbPasswordArgHead);
    expect(stdout).toMatch(/^::error title=[^,\n]*,file=compose-envfile\/app\.env,line=2::/m);
  });

  it("writes no secret value to the summary, the outputs, the report files or SARIF", async () => {
    const reportDir = join(view.outputs["report-json"]!, "..");
    const files = [join(git.origin, "out/shipshape.sarif"), ...(await readdir(reportDir)).map((f) => join(reportDir, f))];
    expect(files).toHaveLength(3);
    const texts: [string, string][] = [["job summary", view.summary], ["GITHUB_OUTPUT", view.outputFile]];
    for (const f of files) texts.push([f, await readFile(f, "utf8")]);
    for (const [where, text] of texts) {
      expect(text.length, where).toBeGreaterThan(0);
      expect(leaked(text), where).toEqual([]);
      expect(text, where).not.toContain(TOKEN);
    }
    expect(view.summary).toContain(`--db-password=<redacted: changed, ${CANARY.dbPasswordArgHead.length} bytes>`);
  });
});

let key: string | undefined;
async function testKey(): Promise<string> {
  const { generateKeyPairSync } = await import("node:crypto");
  key ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return key;
}
