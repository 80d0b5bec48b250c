import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chooseRefs, ensureCommit, pullRequestFromEvent, runGit, type GitRunner } from "../../action/src/refs.js";
import { SourceError } from "../../src/repo/errors.js";
import { createDemoRepo, git, webhookExample, type DemoRepo } from "./demo-repo.js";

const example = webhookExample;

describe("pullRequestFromEvent", () => {
  it.each([
    ["pull_request", "opened"],
    ["pull_request_target", "opened"],
    ["pull_request_review", "submitted"],
  ])("reads %s payloads", (eventName, action) => {
    const payload = example(eventName === "pull_request_target" ? "pull_request" : eventName, action);
    const pr = payload.pull_request as { number: number; base: { sha: string }; head: { sha: string }; user: { login: string } };
    expect(pullRequestFromEvent(eventName, payload)).toEqual({ number: pr.number, baseSha: pr.base.sha, headSha: pr.head.sha, author: pr.user.login });
  });

  it("reads an issue_comment on a pull request without commits, and ignores one on an issue", () => {
    const comment = example("issue_comment", "created") as { issue: Record<string, unknown> };
    expect(pullRequestFromEvent("issue_comment", comment)).toBeUndefined();
    const onPr = { ...comment, issue: { ...comment.issue, pull_request: { url: "https://api.github.com/repos/o/r/pulls/1" } } };
    expect(pullRequestFromEvent("issue_comment", onPr)).toEqual({ number: comment.issue.number, author: (comment.issue.user as { login: string }).login });
  });

  it("ignores other events and malformed payloads", () => {
    expect(pullRequestFromEvent("push", example("pull_request", "opened"))).toBeUndefined();
    expect(pullRequestFromEvent(undefined, {})).toBeUndefined();
    expect(pullRequestFromEvent("pull_request", { pull_request: "nope" })).toBeUndefined();
    expect(pullRequestFromEvent("pull_request", { pull_request: { base: {} } })).toBeUndefined();
  });
});

describe("chooseRefs", () => {
  const pr = { number: 1, baseSha: "b".repeat(40), headSha: "h".repeat(40) };
  it.each([
    ["the pull request", {}, pr, undefined, { base: pr.baseSha, head: pr.headSha }],
    ["inputs over the pull request", { baseRef: "origin/main", headRef: "HEAD" }, pr, undefined, { base: "origin/main", head: "HEAD" }],
    ["GITHUB_SHA as the head outside pull requests", { baseRef: "v1" }, undefined, "abc", { base: "v1", head: "abc" }],
    ["HEAD when there is not even GITHUB_SHA", { baseRef: "v1" }, undefined, undefined, { base: "v1", head: "HEAD" }],
  ])("takes %s", (_, inputs, pull, sha, refs) => {
    expect(chooseRefs(inputs, pull, sha)).toEqual({ ok: true, refs });
  });

  it("needs a base outside pull requests, and commits for a pull request", () => {
    expect(chooseRefs({}, undefined, "abc")).toEqual({ ok: false, error: expect.stringContaining("input base-ref is required outside pull request events") });
    expect(chooseRefs({}, { number: 3 }, "abc")).toEqual({ ok: false, error: expect.stringContaining("names no base commit") });
  });
});

describe("ensureCommit", () => {
  let demo: DemoRepo;
  beforeAll(async () => {
    demo = await createDemoRepo();
  });
  afterAll(async () => {
    await demo.cleanup();
  });

  it("fetches a commit the shallow checkout lacks, by SHA, without tags", async () => {
    const calls: string[][] = [];
    const recording: GitRunner = (args, options) => (calls.push([...args]), runGit(args, options));
    expect(await ensureCommit(demo.checkout, demo.head, "head", recording)).toBe(demo.head);
    expect(calls).toHaveLength(1); // present: no fetch
    calls.length = 0;
    expect(await ensureCommit(demo.checkout, demo.base, "base", recording)).toBe(demo.base);
    expect(calls[1]).toEqual(["fetch", "--no-tags", "--depth=1", "origin", demo.base]);
    expect(git(demo.checkout, "cat-file", "-t", demo.base)).toBe("commit");
  });

  it("resolves a branch name only origin knows to the fetched commit", async () => {
    git(demo.origin, "branch", "-f", "release", demo.base);
    expect(await ensureCommit(demo.checkout, "release", "base")).toBe(demo.base);
  });

  it("tells the user to set fetch-depth: 0 when the commit cannot be fetched", async () => {
    const missing = "0123456789abcdef0123456789abcdef01234567";
    const err = await ensureCommit(demo.checkout, missing, "base").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as Error).message).toBe(
      `the base commit ${missing} is not in the checkout at ${demo.checkout} and could not be fetched from origin; set \`fetch-depth: 0\` on actions/checkout (or check out the repository before this step)`,
    );
  });
});
