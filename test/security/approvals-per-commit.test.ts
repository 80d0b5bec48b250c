/**
 * Check runs belong to a commit, reviews to a pull request. Three ways that let a risky change
 * show a green `Shipshape / approval` on its head without anyone approving it:
 * - the Approve button of an older commit's check run (GitHub keeps showing it) clicked after a
 *   push added another risky item: it approved the pushed items too;
 * - a pull request retargeted (`pull_request.edited` with `changes.base`) from a branch that
 *   already had the change to main: the green review of the old diff stayed;
 * - a second pull request with the same head against such a branch: its green review became the
 *   head's newest approval check, shown on the first pull request too.
 * The repository: a Deployment whose container becomes privileged (one `privilege` reason that
 * needs a writer's approval).
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { CHECK_NAMES } from "../../src/github/checks.js";
import { decodeState } from "../../src/github/state.js";
import type { FakeGitHub } from "../app/helpers/fake-github.js";
import { startApp, stopApp, type TestApp } from "../app/helpers/github.js";
import { BASE_SHA, HEAD_SHA, issueCommentPayload, pullRequestPayload, requestedActionPayload } from "../app/helpers/payloads.js";
import { CorpusGitHub, pullRequestOf } from "./corpus/harness/app.js";
import { DEPLOYMENT, deployment } from "./approvals-fixture.js";

const PLAIN = { [DEPLOYMENT]: deployment() };
const PRIVILEGED = { [DEPLOYMENT]: deployment({ privileged: true }) };
/** The push after the review: a second privileged Deployment. */
const PUSHED = { ...PRIVILEGED, "deploy/app/admin.yaml": deployment({ privileged: true }).replace("name: web", "name: admin") };
const PUSHED_SHA = "6".repeat(40);
/** A branch that already holds the privileged container. */
const PRIVILEGED_SHA = "8".repeat(40);

let tarballs: Map<string, Buffer>;
let files: FakeGitHub["files"];
let app: TestApp | undefined;
let gh: CorpusGitHub | undefined;

beforeAll(async () => {
  const pr = await pullRequestOf(PLAIN, PRIVILEGED, [[PUSHED_SHA, PUSHED], [PRIVILEGED_SHA, PRIVILEGED]]);
  tarballs = pr.tarballs;
  files = pr.files;
}, 60_000);

afterEach(() => {
  if (gh) {
    // The corpus fake's own routes (roles, teams, the second pull request) persist: not pending work.
    const { pending } = stopApp();
    expect(pending.filter((p) => !/collaborators|memberships|pulls\|issues/.test(p))).toEqual([]);
    expect(gh.unexpected).toEqual([]);
  }
  app = gh = undefined;
});

/** A fresh fake GitHub (bob has write access) and App; `other` is a second open pull request. */
async function start(other?: CorpusGitHub["otherPull"]): Promise<{ app: TestApp; gh: CorpusGitHub }> {
  app = await startApp();
  gh = new CorpusGitHub();
  gh.config = "";
  gh.tarballs = tarballs;
  gh.files = files;
  if (other) gh.otherPull = other;
  gh.install();
  return { app, gh };
}

async function review(a: TestApp, payload: unknown = pullRequestPayload()): Promise<void> {
  await a.receive("pull_request", payload);
  await a.app.idle();
}

const approvalCheck = (g: FakeGitHub, sha = HEAD_SHA) => g.check(CHECK_NAMES.approval, sha);
const state = (g: FakeGitHub) => {
  const decoded = decodeState(g.comments.find((c) => c.body.startsWith("<!-- shipshape:sticky -->"))!.body);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.state;
};
const replies = (g: FakeGitHub) => g.comments.filter((c) => !c.body.startsWith("<!-- shipshape:sticky")).map((c) => c.body);

function buttonOn(sha: string, user = "bob"): unknown {
  const p = requestedActionPayload(user);
  p.check_run.head_sha = sha;
  return p;
}

describe("the Approve button binds to its check run's commit", () => {
  it("refuses a click on the reviewed commit's run after a push added a risky item", async () => {
    const { app, gh } = await start();
    await review(app);
    expect(approvalCheck(gh)?.conclusion).toBe("action_required");
    gh.pull.headSha = PUSHED_SHA;
    await review(app, pullRequestPayload({ action: "synchronize", headSha: PUSHED_SHA }));
    expect(state(gh).reasons).toHaveLength(2);

    await app.receive("check_run", buttonOn(HEAD_SHA));
    await app.app.idle();
    expect(state(gh).approvals).toEqual([]);
    expect(approvalCheck(gh, PUSHED_SHA)?.conclusion).toBe("action_required");
    expect(replies(gh).at(-1)).toContain("@bob your approval was not recorded: you clicked Approve on the check run of 111111111111, but the pull request's head is now 666666666666");
  }, 60_000);

  it("records a click on the head's own run (the control)", async () => {
    const { app, gh } = await start();
    await review(app);
    await app.receive("check_run", buttonOn(HEAD_SHA));
    await app.app.idle();
    expect(state(gh).approvals.map((a) => [a.user, a.via, a.itemHashes.length])).toEqual([["bob", "button", 1]]);
    expect(approvalCheck(gh)?.conclusion).toBe("success");
  }, 60_000);
});

describe("a changed base is reviewed again", () => {
  it("turns the green review of the old base into a pending approval once the base is main", async () => {
    const { app, gh } = await start();
    gh.pull.baseSha = PRIVILEGED_SHA;
    await review(app, pullRequestPayload({ baseSha: PRIVILEGED_SHA }));
    expect(approvalCheck(gh)?.conclusion).toBe("success");

    gh.pull.baseSha = BASE_SHA;
    const edited = pullRequestPayload();
    edited.action = "edited";
    edited.changes = { base: { ref: { from: "feature-base" }, sha: { from: PRIVILEGED_SHA } } };
    await review(app, edited);
    expect(approvalCheck(gh)?.conclusion).toBe("action_required");
    expect(state(gh).reasons.map((r) => r.ruleId)).toHaveLength(1);
  }, 60_000);

  it("ignores an edit of the title or body (nothing reviewed changed)", async () => {
    const { app, gh } = await start();
    const edited = pullRequestPayload();
    edited.action = "edited";
    edited.changes = { title: { from: "old title" } };
    await review(app, edited);
    expect(gh.requests).toEqual([]);
  });
});

describe("one approval check per commit across pull requests", () => {
  it("keeps the shared head from turning green when a second pull request's diff needs no approval", async () => {
    const { app, gh } = await start({ number: 8, headSha: HEAD_SHA, baseSha: PRIVILEGED_SHA });
    await review(app);
    expect(approvalCheck(gh)?.conclusion).toBe("action_required");

    const opened = pullRequestPayload({ baseSha: PRIVILEGED_SHA });
    opened.number = 8;
    opened.pull_request.number = 8;
    await review(app, opened);
    const check = approvalCheck(gh)!;
    expect(check.conclusion).toBe("action_required");
    expect(check.output?.title).toBe("Approval needed on #7, which has the same head commit");
    const approvalRuns = new Set(gh.checkRuns.filter((r) => r.name === CHECK_NAMES.approval).map((r) => `/check-runs/${r.id}`));
    expect(gh.requests.filter((r) => r.method === "PATCH" && approvalRuns.has(r.path.replace(/^.*(\/check-runs\/\d+)$/, "$1")) && r.body?.conclusion === "success")).toEqual([]);
  }, 60_000);

  it("lets the approval of the pull request that needs it turn the head green", async () => {
    const { app, gh } = await start();
    await review(app);
    await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "bob"));
    await app.app.idle();
    expect(approvalCheck(gh)?.conclusion).toBe("success");
    expect(gh.byPath("GET", new RegExp(`/commits/${HEAD_SHA}/pulls`)).length).toBeGreaterThan(0);
  }, 60_000);
});
