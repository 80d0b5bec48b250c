/**
 * `recheck` was open to anyone who can comment, and each of the ten commands a comment may hold
 * queued a review: on a public repository one outsider's comment cost ten reviews (two check
 * runs created, two superseded, each) against the installation's shared rate limit. Now a
 * comment queues at most one review, and only the author or someone with triage access or
 * more may ask for one.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { FakeGitHub } from "../app/helpers/fake-github.js";
import { expectCleanFinish, startApp, type TestApp } from "../app/helpers/github.js";
import { AUTHOR, issueCommentPayload } from "../app/helpers/payloads.js";
import { reviewedDemo, type ReviewedDemo } from "../app/helpers/reviewed-demo.js";

let demo: ReviewedDemo;
let app: TestApp;
let gh: FakeGitHub;

beforeAll(async () => {
  demo = await reviewedDemo();
}, 60_000);

beforeEach(async () => {
  app = await startApp();
  gh = demo.fresh();
});

afterEach(() => expectCleanFinish(gh));

const TEN = Array(10).fill("/shipshape recheck").join("\n");
const checkRunsCreated = () => gh.requests.filter((r) => r.method === "POST" && /\/check-runs$/.test(r.path)).length;
const lastReply = () => gh.comments.filter((c) => !c.body.includes("<!-- shipshape:sticky")).at(-1)?.body;

describe("recheck", () => {
  it("refuses an outsider's ten rechecks without creating a check run", async () => {
    // GitHub reports read access for anyone on a public repository.
    gh.permissions.set("mallory", "read");
    await app.receive("issue_comment", issueCommentPayload(TEN, "mallory"));
    await app.app.idle();
    expect(checkRunsCreated()).toBe(0);
    expect(gh.reactions.map((r) => r.content)).toEqual(["confused"]);
    expect(lastReply()).toContain("@mallory you cannot ask for a recheck here: a recheck can be asked for by the pull request's author or by someone with at least triage access");
  });

  it("refuses someone who is not a collaborator at all", async () => {
    await app.receive("issue_comment", issueCommentPayload("/shipshape recheck", "nobody-here"));
    await app.app.idle();
    expect(checkRunsCreated()).toBe(0);
  });

  it("queues one review for the author's ten rechecks", async () => {
    await app.receive("issue_comment", issueCommentPayload(TEN, AUTHOR));
    await app.app.idle();
    // One review: the two check runs, nothing superseded.
    expect(checkRunsCreated()).toBe(2);
    expect(gh.checkRuns.map((r) => r.conclusion)).not.toContain("neutral");
    expect(gh.reactions.map((r) => r.content)).toEqual(["rocket"]);
  }, 30_000);

  it("queues one review for a triage user's recheck with a waiver in the same comment", async () => {
    gh.permissions.set("tess", "triage");
    gh.permissions.set("carol", "write");
    await app.receive("issue_comment", issueCommentPayload("/shipshape recheck\n/shipshape recheck", "tess"));
    await app.app.idle();
    expect(checkRunsCreated()).toBe(2);
    await app.receive("issue_comment", issueCommentPayload("/shipshape waive schema/no-schema installed by the monitoring stack\n/shipshape recheck", "carol"));
    await app.app.idle();
    expect(checkRunsCreated()).toBe(4);
  }, 60_000);
});
