import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeState } from "../../src/github/state.js";
import { DEMO_BASE, demoGitHub, modifiedHead, pullFiles, tarballOf } from "./helpers/demo-repo.js";
import type { FakeGitHub } from "./helpers/fake-github.js";
import { expectCleanFinish, startApp, type TestApp } from "./helpers/github.js";
import { HEAD_SHA, pullRequestPayload } from "./helpers/payloads.js";

const HEAD2 = "2".repeat(40);
let app: TestApp;
let gh: FakeGitHub;

beforeEach(async () => {
  app = await startApp();
  gh = await demoGitHub();
  const head2 = await modifiedHead({ "apps/docs/README.md": () => "docs moved\n" });
  gh.tarballs.set(HEAD2, await tarballOf(head2, HEAD2));
  gh.files = await pullFiles(DEMO_BASE, head2);
});

afterEach(() => expectCleanFinish(gh));

describe("a newer push supersedes a running review", () => {
  it("drops the old result, completes its checks as superseded and publishes only the newest", async () => {
    await app.receive("pull_request", pullRequestPayload({ action: "opened" }));
    // The author pushes again before the first review is done.
    gh.pull.headSha = HEAD2;
    await app.receive("pull_request", pullRequestPayload({ action: "synchronize", headSha: HEAD2 }));
    await app.app.idle();

    const old = gh.checkRuns.filter((c) => c.head_sha === HEAD_SHA);
    expect(old.map((c) => [c.name, c.status, c.conclusion, c.output?.title])).toEqual([
      ["Shipshape", "completed", "neutral", "Superseded by a newer commit"],
      ["Shipshape / approval", "completed", "neutral", "Superseded by a newer commit: approvals not evaluated"],
    ]);
    const current = gh.checkRuns.filter((c) => c.head_sha === HEAD2);
    expect(current.map((c) => [c.name, c.status])).toEqual([
      ["Shipshape", "completed"],
      ["Shipshape / approval", "completed"],
    ]);
    // One comment, for the newest head only; no review comments for the old head.
    expect(gh.comments).toHaveLength(1);
    const state = decodeState(gh.comments[0]!.body);
    expect(state.ok && state.state.headSha).toBe(HEAD2);
    expect(gh.byPath("POST", /\/reviews$/).every((r) => r.body.commit_id === HEAD2)).toBe(true);
    expect(app.app.metrics.render()).toMatch(/shipshape_analysis_duration_seconds_count\{outcome="superseded"\} 1/);
  }, 30_000);
});
