/**
 * The Action with a token that may write, in-process on the demo pull request (a local git
 * history), against a fake GitHub behind nock: the same sticky comment and check runs as the
 * App, posted as github-actions[bot]; on an `issue_comment` event a `/shipshape approve` is
 * judged and the approval check updated. No request is left pending or unexpected.
 */
import { mkdir, mkdtemp } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGitHubPublisher } from "../../action/src/github-publisher.js";
import { createOctokitApi } from "../../action/src/octokit.js";
import { run } from "../../action/src/main.js";
import { decodeState } from "../../src/github/state.js";
import { FakeGitHub } from "../app/helpers/fake-github.js";
import { nock, stopApp } from "../app/helpers/github.js";
import { PROJECT_ROOT } from "../helpers/cli.js";
import { pullFiles } from "../app/helpers/demo-repo.js";
import { createDemoRepo, pullRequestPayload, webhookExample, writePayload, type DemoRepo } from "./demo-repo.js";
import { actionEnvironment, onRunner } from "./runner.js";

const ACTIONS = { login: "github-actions[bot]", type: "Bot" };
const TOKEN = "ghs_actionTestToken0123456789";
let demo: DemoRepo;
let gh: FakeGitHub;

beforeAll(async () => {
  demo = await createDemoRepo();
}, 60_000);

afterAll(async () => {
  await demo.cleanup();
});

beforeEach(async () => {
  nock.disableNetConnect();
  gh = new FakeGitHub();
  gh.actor = ACTIONS;
  gh.pull = { headSha: demo.head, baseSha: demo.base, author: "alice-author" };
  gh.files = await pullFiles(join(PROJECT_ROOT, "fixtures/demo/base"), join(PROJECT_ROOT, "fixtures/demo/head"));
  gh.install();
});

afterEach(() => {
  const { pending } = stopApp();
  expect(pending).toEqual([]);
  expect(gh.unexpected).toEqual([]);
});

function pointAtTestRepo(payload: any): any {
  payload.repository = { ...payload.repository, name: "demo", full_name: "octo/demo", owner: { ...payload.repository.owner, login: "octo" } };
  return payload;
}

async function runAction(eventName: string, payload: unknown): Promise<{ code: number; stdout: string }> {
  const dir = await mkdtemp(join(demo.root, "publish-"));
  const temp = join(dir, "temp");
  await mkdir(temp);
  const env = actionEnvironment({ eventName, eventPath: await writePayload(dir, payload), workspace: demo.checkout, repository: "octo/demo", sha: demo.head, runnerTemp: temp });
  // The real publisher, with retries and throttling off as in every GitHub test here.
  const publish = createGitHubPublisher({ api: (ctx) => createOctokitApi(ctx.apiUrl, ctx.token, { retry: false, throttle: false }) });
  const inputs = { "github-token": TOKEN, "working-directory": ".", comment: "true", "check-run": "true", "fail-on": "error" };
  const view = await onRunner(inputs, () => run(env, { publish }));
  expect(view.summary).toContain("## Shipshape");
  return { code: view.result, stdout: view.stdout };
}

function prPayload(): any {
  const p = pointAtTestRepo(pullRequestPayload(demo.base, demo.head));
  p.number = 7;
  Object.assign(p.pull_request, { number: 7, user: { login: "alice-author", type: "User" } });
  return p;
}

describe("the Action publishing with a token", () => {
  it("posts the sticky comment, both check runs and the inline review as github-actions[bot]", async () => {
    const { code, stdout } = await runAction("pull_request", prPayload());
    expect(code).toBe(0);
    expect(stdout.split(TOKEN)).toHaveLength(2); // only in ::add-mask::
    expect(gh.comments.map((c) => c.user.login)).toEqual(["github-actions[bot]"]);
    const sticky = gh.comments[0]!.body;
    expect(sticky).toContain("<!-- shipshape:sticky -->");
    expect(decodeState(sticky).ok).toBe(true);
    expect(gh.checkRuns.map((c) => [c.name, c.head_sha, c.conclusion])).toEqual([
      ["Shipshape", demo.head, "success"],
      ["Shipshape / approval", demo.head, "action_required"],
    ]);
    // No Approve button: only the App receives requested_action events.
    expect(gh.check("Shipshape / approval", demo.head)!.actions).toBeUndefined();
    expect(gh.reviewComments.map((c) => c.path)).toEqual(["apps/api/overlays/prod/servicemonitor.yaml"]);
  }, 60_000);

  it("judges a /shipshape approve comment and completes the approval check", async () => {
    await runAction("pull_request", prPayload());
    const comment = pointAtTestRepo(webhookExample("issue_comment", "created")) as any;
    comment.issue.number = 7;
    comment.issue.pull_request = { url: "https://api.github.com/repos/octo/demo/pulls/7" };
    comment.comment = { ...comment.comment, id: 9001, body: "/shipshape approve reviewed with the DBA", user: { login: "bob", type: "User" } };
    // With no approvers configured, an approval needs write access (asked from GitHub).
    gh.permissions.set("bob", "write");
    const { code } = await runAction("issue_comment", comment);
    expect(code).toBe(0);
    expect(gh.check("Shipshape / approval", demo.head)!.conclusion).toBe("success");
    const state = decodeState(gh.comments.find((c) => c.body.includes("<!-- shipshape:sticky -->"))!.body);
    expect(state.ok && state.state.approvals.map((a) => [a.user, a.via, a.reason])).toEqual([["bob", "command", "reviewed with the DBA"]]);
    expect(gh.reactions).toEqual([{ kind: "issues", commentId: 9001, content: "+1" }]);
    // Still one Shipshape comment.
    expect(gh.comments.filter((c) => c.body.includes("<!-- shipshape:sticky"))).toHaveLength(1);
  }, 60_000);
});
