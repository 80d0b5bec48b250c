/**
 * Approvals end to end: the demo pull request needs five approvals (StatefulSet,
 * exposure, NetworkPolicy and two RBAC reasons). The config names approvers per category.
 * One full review runs first; each test starts from the comment and checks it left.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeState } from "../../src/github/state.js";
import { modifiedHead, tarballOf } from "./helpers/demo-repo.js";
import type { FakeGitHub } from "./helpers/fake-github.js";
import { reviewedDemo, type ReviewedDemo } from "./helpers/reviewed-demo.js";
import { expectCleanFinish, startApp, type TestApp } from "./helpers/github.js";
import { AUTHOR, HEAD_SHA, issueCommentPayload, pullRequestPayload, requestedActionPayload, reviewPayload } from "./helpers/payloads.js";

const APPROVALS = `
risk:
  approvals:
    default:
      users: [bob, carol]
    rbac:
      teams: [platform]
      users: [carol]
`;
const HEAD_UNRELATED = "3".repeat(40);
const HEAD_RISKY = "4".repeat(40);

let demo: ReviewedDemo;
let app: TestApp;
let gh: FakeGitHub;

beforeAll(async () => {
  demo = await reviewedDemo(APPROVALS, [
    [HEAD_UNRELATED, await tarballOf(await modifiedHead({ "apps/docs/README.md": () => "docs moved\n" }), HEAD_UNRELATED)],
    [HEAD_RISKY, await tarballOf(await modifiedHead({ "platform/db/statefulset.yaml": (t) => t.replace("image: postgres:16.4", "image: postgres:16.6") }), HEAD_RISKY)],
  ]);
}, 60_000);

beforeEach(async () => {
  app = await startApp();
  gh = demo.fresh();
});

afterEach(() => expectCleanFinish(gh));

function state() {
  const decoded = decodeState(gh.comments.find((c) => c.body.includes("<!-- shipshape:sticky -->"))!.body);
  if (!decoded.ok) throw new Error(decoded.reason);
  return decoded.state;
}

const lastReply = () => gh.comments.filter((c) => !c.body.includes("<!-- shipshape:sticky")).at(-1)?.body;

describe("approvals", () => {
  it("the review asked the approvers (never the author) for a review once", () => {
    expect(demo.requestedReviewers).toEqual([{ reviewers: ["bob", "carol"], team_reviewers: ["platform"] }]);
    expect(demo.comments[0]!.body).toContain("### Approvals: ⏳ 5 of 5 pending");
  });

  it("an eligible approver's /shipshape approve completes the approval check", async () => {
    await app.receive("issue_comment", issueCommentPayload("Looks fine to me.\n/shipshape approve migration window is Friday", "bob"));
    expect(gh.check("Shipshape / approval")?.conclusion).toBe("success");
    expect(state().approvals).toEqual([expect.objectContaining({ user: "bob", via: "command", reason: "migration window is Friday" })]);
    expect(state().approvals[0]!.itemHashes).toHaveLength(5);
    expect(gh.comments[0]!.body).toContain("### Approvals: ✅ complete");
    expect(gh.reactions).toEqual([{ kind: "issues", commentId: 5001, content: "+1" }]);
    // Team membership was asked for the RBAC reasons.
    expect(gh.byPath("GET", /\/orgs\/octo\/teams\/platform\/memberships\/bob$/).length).toBeGreaterThan(0);
  });

  it("refuses someone who is not an approver for every category, and says why", async () => {
    await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "mallory"));
    expect(gh.check("Shipshape / approval")).toBeUndefined();
    expect(state().approvals).toEqual([]);
    expect(lastReply()).toContain("@mallory your approval was not recorded: approving statefulset changes (StatefulSet/postgres) needs one of");
    expect(gh.reactions.map((r) => r.content)).toEqual(["confused"]);
  });

  it("refuses the author's own approval", async () => {
    await app.receive("issue_comment", issueCommentPayload("/shipshape approve", AUTHOR));
    expect(lastReply()).toContain("authors cannot approve their own risky changes");
    expect(state().approvals).toEqual([]);
  });

  it("counts an approving review from an eligible approver (acceptReviews)", async () => {
    gh.reviews.push({ id: 1, user: { login: "bob" }, state: "APPROVED", commit_id: HEAD_SHA, submitted_at: "2026-11-23T12:01:00Z" });
    await app.receive("pull_request_review", reviewPayload("bob", "approved"));
    expect(gh.check("Shipshape / approval")?.conclusion).toBe("success");
    expect(state().approvals).toEqual([expect.objectContaining({ user: "bob", via: "review" })]);
  });

  it("the Approve button works for an eligible approver and is explained to others", async () => {
    await app.receive("check_run", requestedActionPayload("mallory"));
    expect(lastReply()).toContain("@mallory your approval was not recorded");
    await app.receive("check_run", requestedActionPayload("bob"));
    expect(state().approvals).toEqual([expect.objectContaining({ user: "bob", via: "button" })]);
    expect(gh.check("Shipshape / approval")?.conclusion).toBe("success");
  });

  it("keeps approvals after an unrelated push and asks again after a risky change", async () => {
    await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "bob"));
    expect(gh.check("Shipshape / approval")?.conclusion).toBe("success");

    gh.pull.headSha = HEAD_UNRELATED;
    await app.receive("pull_request", pullRequestPayload({ action: "synchronize", headSha: HEAD_UNRELATED }));
    await app.app.idle();
    expect(gh.check("Shipshape / approval", HEAD_UNRELATED)?.conclusion).toBe("success");

    gh.pull.headSha = HEAD_RISKY;
    await app.receive("pull_request", pullRequestPayload({ action: "synchronize", headSha: HEAD_RISKY }));
    await app.app.idle();
    const check = gh.check("Shipshape / approval", HEAD_RISKY)!;
    expect(check.conclusion).toBe("action_required");
    expect(check.output?.title).toBe("1 more approval needed");
    expect(check.output?.summary).toContain("approved before this item last changed or appeared");
    // Reviews are requested once per pull request, not on every push.
    expect(gh.requestedReviewers).toEqual([]);
  }, 60_000);
});
