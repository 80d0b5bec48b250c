/**
 * Commands end to end: a waiver given in a reply to a Shipshape review comment (stored in
 * the sticky comment's state, applied by the re-review it queues, thread marked resolved),
 * help, unknown commands, explain, and comments that must be ignored.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeState } from "../../src/github/state.js";
import type { FakeGitHub } from "./helpers/fake-github.js";
import { expectCleanFinish, startApp, type TestApp } from "./helpers/github.js";
import { HEAD_SHA, issueCommentPayload, reviewCommentReplyPayload } from "./helpers/payloads.js";
import { reviewedDemo, type ReviewedDemo } from "./helpers/reviewed-demo.js";

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

const replies = () => gh.comments.filter((c) => !c.body.includes("<!-- shipshape:sticky")).map((c) => c.body);

describe("commands", () => {
  it("waives a finding from a reply in its review thread, re-checks and resolves the thread", async () => {
    const root = gh.reviewComments.find((c) => c.body.includes("schema/no-schema"))!;
    const findingId = /shipshape:finding id=([0-9a-f]+)/.exec(root.body)![1]!;
    gh.permissions.set("carol", "write");
    await app.receive("pull_request_review_comment", reviewCommentReplyPayload("/shipshape waive the monitoring stack installs this CRD", "carol", root.id));
    await app.app.idle();

    const sticky = gh.comments.find((c) => c.body.includes("<!-- shipshape:sticky -->"))!;
    const decoded = decodeState(sticky.body);
    expect(decoded.ok && decoded.state.waivers).toEqual([
      { rule: "schema/no-schema", findingId, by: "carol", reason: "the monitoring stack installs this CRD", at: "2026-11-23T12:00:00.000Z" },
    ]);
    // The reply in the thread, the reaction, and a fresh review of the same head.
    const threadReplies = gh.reviewComments.filter((c) => c.in_reply_to_id === root.id).map((c) => c.body);
    expect(threadReplies[0]).toContain("@carol waived this finding (`schema/no-schema`) on this pull request: the monitoring stack installs this CRD Re-checking.");
    expect(gh.reactions).toEqual([{ kind: "pulls", commentId: 6001, content: "rocket" }]);
    const main = gh.check("Shipshape", HEAD_SHA)!;
    expect(main.annotations.map((a) => a.title)).not.toContain("schema/no-schema");
    expect(sticky.body).toContain("waived: the monitoring stack installs this CRD");
    // The finding is gone from the open findings: its thread is marked and resolved.
    expect(threadReplies.at(-1)).toMatch(new RegExp(`^Resolved in ${HEAD_SHA}\\.`));
    expect(gh.graphql.map((q) => (String(q.query).includes("resolveReviewThread") ? "resolve" : "threads"))).toEqual(["threads", "resolve"]);
  }, 30_000);

  it("refuses a waiver from someone without write access or a place in policies.owners", async () => {
    const root = gh.reviewComments[0]!;
    gh.permissions.set("dave", "read");
    await app.receive("pull_request_review_comment", reviewCommentReplyPayload("/shipshape waive not now", "dave", root.id));
    expect(gh.reviewComments.at(-1)!.body).toContain("@dave you cannot waive findings here: waivers need write access");
    expect(gh.reactions.map((r) => r.content)).toEqual(["confused"]);
    expect(gh.checkRuns).toEqual([]);
  });

  it("answers help, explains a rule, and suggests the command meant", async () => {
    await app.receive("issue_comment", issueCommentPayload("/shipshape help", "erin"));
    expect(replies().at(-1)).toContain("**Shipshape commands**");
    await app.receive("issue_comment", issueCommentPayload("@shipshape aprove", "erin"));
    expect(replies().at(-1)).toContain("Unknown command `aprove`. Did you mean `approve`?");
    await app.receive("issue_comment", issueCommentPayload("/shipshape explain policy/disallow-latest-tag/validate-image-tag", "erin"));
    expect(replies().at(-1)).toContain("**`policy/disallow-latest-tag/validate-image-tag`**");
    expect(replies().at(-1)).toContain("`:latest` changes under you");
    expect(gh.reactions.map((r) => r.content)).toEqual(["+1", "confused", "+1"]);
  });

  it("says why commands cannot run while the config on the default branch is invalid", async () => {
    gh.config = "bogus: 1\n";
    await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "bob"));
    expect(replies().at(-1)).toContain('@bob Shipshape cannot run commands until its config is fixed: .github/shipshape.yml (default branch): bogus: unknown key "bogus"; allowed keys here: kubernetesVersion,');
  });

  it("ignores commands in quotes and code blocks, and comments by bots", async () => {
    await app.receive("issue_comment", issueCommentPayload("> /shipshape approve\n```\n/shipshape approve\n```\nthanks", "erin"));
    await app.receive("issue_comment", issueCommentPayload("/shipshape approve", "shipshape[bot]", "Bot"));
    await app.receive("issue_comment", issueCommentPayload("/shipshape recheck", "renovate[bot]", "Bot"));
    expect(gh.requests).toEqual([]);
    expect(replies()).toEqual([]);
  });
});
