import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeState } from "../../src/github/state.js";
import { demoGitHub } from "./helpers/demo-repo.js";
import type { FakeGitHub } from "./helpers/fake-github.js";
import { expectCleanFinish, startApp, type TestApp } from "./helpers/github.js";
import { HEAD_SHA, pullRequestPayload } from "./helpers/payloads.js";

let app: TestApp;
let gh: FakeGitHub;

beforeEach(async () => {
  app = await startApp();
  gh = await demoGitHub();
});

afterEach(() => expectCleanFinish(gh));

describe("pull request flow", () => {
  it("reviews the demo pull request: checks, sticky comment with state, inline comments", async () => {
    await app.receive("pull_request", pullRequestPayload());
    await app.app.idle();

    const main = gh.check("Shipshape")!;
    expect(main.status).toBe("completed");
    expect(main.conclusion).toBeDefined();
    const approval = gh.check("Shipshape / approval")!;
    expect(approval.conclusion).toBe("action_required");
    expect(approval.actions).toEqual([expect.objectContaining({ identifier: "approve", label: "Approve" })]);
    expect(gh.comments).toHaveLength(1);
    const body = gh.comments[0]!.body;
    expect(body).toContain("<!-- shipshape:sticky -->");
    expect(body).toContain("## Shipshape");
    expect(body).toContain("### Approvals");
    expect(body).not.toContain("demo-password-123");
    const state = decodeState(body);
    expect(state.ok && state.state.headSha).toBe(HEAD_SHA);
    // Tarballs: exactly two API calls.
    expect(gh.byPath("GET", /\/tarball\//)).toHaveLength(2);
    // In progress first, for the head SHA.
    const created = gh.byPath("POST", /\/check-runs$/);
    expect(created.map((r) => [r.body.name, r.body.status, r.body.head_sha])).toEqual([
      ["Shipshape", "in_progress", HEAD_SHA],
      ["Shipshape / approval", "in_progress", HEAD_SHA],
    ]);
    // fail-on error (the default): a new warning and a new info do not fail the check.
    expect(main.conclusion).toBe("success");
    expect(main.output?.title).toBe("1 new warning, 1 new info · risk critical · +$62.11/month");
    expect(main.annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      ["apps/api/base/service.yaml", 1, "warning"],
      ["apps/api/overlays/prod/servicemonitor.yaml", 3, "notice"],
    ]);
    // Only the finding on a line the diff shows becomes an inline comment (one review, COMMENT).
    const reviews = gh.byPath("POST", /\/pulls\/7\/reviews$/);
    expect(reviews.map((r) => [r.body.event, r.body.commit_id, r.body.comments.length])).toEqual([["COMMENT", HEAD_SHA, 1]]);
    expect(gh.reviewComments.map((c) => [c.path, c.line])).toEqual([["apps/api/overlays/prod/servicemonitor.yaml", 3]]);
    expect(gh.reviewComments[0]!.body).toMatch(/\n<!-- shipshape:finding id=[0-9a-f]{12} rule=schema\/no-schema -->$/);
    // Config from the default branch, through the contents API (never the PR head).
    expect(gh.byPath("GET", /\/contents\//).map((r) => r.path)).toEqual(["/repos/octo/demo/contents/.github%2Fshipshape.yml"]);
  }, 30_000);

  it("replaces the Action's comment (same marker) instead of adding a second one", async () => {
    const actions = { login: "github-actions[bot]", type: "Bot" };
    const old = gh.addComment("<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/1 -->\n## Shipshape\n\nfrom the Action", actions);
    await app.receive("pull_request", pullRequestPayload());
    await app.app.idle();
    // One comment again, now written by the App itself (so its state is trusted next time).
    expect(gh.comments.map((c) => c.user.login)).toEqual(["shipshape[bot]"]);
    expect(gh.comments[0]!.id).not.toBe(old.id);
    expect(gh.comments[0]!.body).toContain("### Risk: 🔴 critical");
    expect(decodeState(gh.comments[0]!.body).ok).toBe(true);
  }, 30_000);
});
