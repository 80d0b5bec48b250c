import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/core/model/finding.js";
import type { GitHubApi } from "../../src/github/api.js";
import { foldReviews } from "../../src/github/approvals.js";
import { completeCheckRun } from "../../src/github/checks.js";
import { parseTeam, roleOf } from "../../src/github/directory.js";
import { diffLines, rightSideLines } from "../../src/github/pr-diff.js";
import { findingMarker, findingOf, planReview } from "../../src/github/review-comments.js";
import { emptyState } from "../../src/github/state.js";
import { findSticky } from "../../src/github/sticky-comment.js";
import { encodeState } from "../../src/github/state.js";

function recordingApi(): GitHubApi & { calls: { route: string; params: any }[] } {
  const calls: { route: string; params: any }[] = [];
  return {
    calls,
    async request(route, params) {
      calls.push({ route, params });
      return { status: 200, data: { id: 1 } as any, headers: {} };
    },
    async graphql() {
      throw new Error("not used");
    },
  };
}

const self = { login: "shipshape[bot]", slug: "shipshape" };
const bot = { login: "shipshape[bot]", type: "Bot" };

function finding(id: string, over: Partial<Finding> = {}): Finding {
  return { id, source: "schema", ruleId: "schema/type", severity: "error", message: "bad", target: "t", file: "a.yaml", line: 3, introduced: true, ...over };
}

describe("pull request diff lines", () => {
  it("lists the head lines inside hunks (added and context), never removed ones", () => {
    const patch = "@@ -1,3 +1,4 @@\n a\n-b\n+B\n+C\n c\n@@ -10,2 +11,2 @@\n x\n-y\n+Y";
    expect([...rightSideLines(patch)]).toEqual([1, 2, 3, 4, 11, 12]);
    expect(diffLines([{ filename: "gone.yaml", status: "removed", patch: "@@ -1 +0,0 @@\n-a" }, { filename: "bin", status: "modified" }]).size).toBe(0);
  });
});

describe("review comment plan", () => {
  const lines = new Map([["a.yaml", new Set([3, 4])]]);

  it("posts introduced findings on diff lines once, and marks vanished ones resolved once", () => {
    const existing = [
      { id: 10, body: `x\n${findingMarker("aaaaaaaaaaaa")}`, user: bot },
      { id: 11, body: `gone\n${findingMarker("bbbbbbbbbbbb")}`, user: bot },
      { id: 12, body: `someone quoting\n${findingMarker("cccccccccccc")}`, user: { login: "mallory", type: "User" } },
      { id: 13, body: `old\n${findingMarker("dddddddddddd")}`, user: bot },
      { id: 14, body: "Resolved in x.\n<!-- shipshape:resolved id=dddddddddddd -->", user: bot, in_reply_to_id: 13 },
    ];
    const plan = planReview(
      [
        finding("aaaaaaaaaaaa"),
        finding("cccccccccccc"),
        finding("eeeeeeeeeeee", { line: 99 }),
        finding("ffffffffffff", { introduced: false }),
        finding("999999999999", { waived: { reason: "r", source: "comment", where: "pr" } }),
      ],
      existing,
      lines,
      self,
    );
    // "ccc…" was only "commented" by mallory, so Shipshape posts it; "aaa…" is already there.
    expect(plan.post.map((f) => f.id)).toEqual(["cccccccccccc"]);
    expect(plan.resolve.map((c) => c.id)).toEqual([11]);
    expect(plan.skipped).toBe(0);
  });
});

describe("finding markers", () => {
  it("are read from the last line of Shipshape's own top-level comment only", () => {
    const marker = findingMarker("abcdef123456", "policy/x/y");
    expect(marker).toBe("<!-- shipshape:finding id=abcdef123456 rule=policy/x/y -->");
    expect(findingOf({ id: 1, body: `text\n${marker}`, user: bot }, self)).toEqual({ id: "abcdef123456", ruleId: "policy/x/y" });
    expect(findingOf({ id: 2, body: `${marker}\nmore text`, user: bot }, self)).toBeUndefined();
    expect(findingOf({ id: 3, body: `x ${findingMarker("aaaaaaaaaaaa")}\n${marker}`, user: bot }, self)?.id).toBe("abcdef123456");
    expect(findingOf({ id: 4, body: `text\n${marker}`, user: bot, in_reply_to_id: 1 }, self)).toBeUndefined();
    expect(findingOf({ id: 5, body: `text\n${marker}`, user: { login: "mallory", type: "User" } }, self)).toBeUndefined();
    // A rule id that could not sit in a marker is left out of it.
    expect(findingMarker("abcdef123456", "policy/<b>/--")).toBe("<!-- shipshape:finding id=abcdef123456 -->");
  });

  it("take the rule of comments written before it was in the marker from their first line", () => {
    const old = "❌ **error** · `schema/type` · Deployment/web\n\nbad `x`\n\n<sub>…</sub>\n<!-- shipshape:finding id=abcdef123456 -->";
    expect(findingOf({ id: 1, body: old, user: bot }, self)).toEqual({ id: "abcdef123456", ruleId: "schema/type" });
  });
});

describe("review approvals", () => {
  const base = { ...emptyState("h1"), reasons: [{ itemHash: "x", approval: { count: 1, allowAuthor: false, acceptReviews: true } } as any] };

  it("records an approving review of the analysed head and drops it when changes are requested", () => {
    const approved = foldReviews(base, [{ user: { login: "bob" }, state: "APPROVED", commit_id: "h1", submitted_at: "t1" }], "now");
    expect(approved.approvals).toEqual([{ user: "bob", itemHashes: ["x"], via: "review", at: "t1" }]);
    // On a later head the recorded approval stays (its hashes decide), until bob requests changes.
    const later = { ...approved, headSha: "h2" };
    expect(foldReviews(later, [{ user: { login: "bob" }, state: "APPROVED", commit_id: "h1" }], "now").approvals).toHaveLength(1);
    expect(foldReviews(later, [{ user: { login: "bob" }, state: "APPROVED", commit_id: "h1" }, { user: { login: "bob" }, state: "CHANGES_REQUESTED", commit_id: "h2" }], "now").approvals).toEqual([]);
    // A comment-only review changes nothing.
    expect(foldReviews(later, [{ user: { login: "bob" }, state: "APPROVED", commit_id: "h1" }, { user: { login: "bob" }, state: "COMMENTED", commit_id: "h2" }], "now").approvals).toHaveLength(1);
  });
});

describe("teams", () => {
  it.each([
    ["team:platform", { org: "octo", slug: "platform" }],
    ["team:acme/platform", { org: "acme", slug: "platform" }],
    ["@acme/sre", { org: "acme", slug: "sre" }],
    ["alice", undefined],
  ])("%s", (entry, expected) => {
    expect(parseTeam(entry, "octo")).toEqual(expected);
  });
});

describe("repository roles", () => {
  it.each([
    ["a base role", { permission: "write", role_name: "maintain" }, "maintain"],
    ["triage, which the legacy field calls read", { permission: "read", role_name: "triage" }, "triage"],
    ["a custom role, by the flags of its base role", { permission: "write", role_name: "deployer", user: { permissions: { pull: true, triage: true, push: true, maintain: false, admin: false } } }, "write"],
    ["a custom role on triage", { permission: "read", role_name: "helper", user: { permissions: { pull: true, triage: true, push: false, maintain: false, admin: false } } }, "triage"],
    ["the legacy field alone", { permission: "admin" }, "admin"],
    ["nothing known", {}, "none"],
  ])("reads %s", (_name, data, role) => {
    expect(roleOf(data)).toBe(role);
  });
});

describe("check run completion", () => {
  it("sends annotations 50 per request and the conclusion with the last request", async () => {
    const api = recordingApi();
    const annotations = Array.from({ length: 120 }, (_, i) => ({ path: "a.yaml", start_line: i + 1, end_line: i + 1, annotation_level: "warning" as const, message: `m${i}` }));
    await completeCheckRun(api, { owner: "o", repo: "r" }, 7, { conclusion: "failure", title: "t", summary: "s".repeat(70_000), annotations });
    expect(api.calls.map((c) => [c.params.output.annotations?.length, c.params.conclusion])).toEqual([
      [50, undefined],
      [20, undefined],
      [50, "failure"],
    ]);
    expect(api.calls.every((c) => c.params.output.summary.length <= 65_535)).toBe(true);
  });
});

describe("sticky comment lookup", () => {
  it("trusts state only in Shipshape's own comment and adopts the Action's comment without its state", () => {
    const state = encodeState({ ...emptyState("h"), waivers: [{ rule: "schema/type", by: "x", reason: "r", at: "t" }] });
    const body = `<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/1 -->\n${state}\n## Shipshape`;
    const forged = findSticky([{ id: 1, body, user: { login: "mallory", type: "User" } }], self, [{ login: "github-actions[bot]" }]);
    expect(forged).toEqual({ parts: [] });
    const adopted = findSticky([{ id: 2, body, user: { login: "github-actions[bot]", type: "Bot" } }], self, [{ login: "github-actions[bot]" }]);
    expect(adopted.parts.map((p) => [p.id, p.own])).toEqual([[2, false]]);
    expect(adopted.state).toBeUndefined();
    const own = findSticky([{ id: 3, body, user: bot }], self);
    expect(own.state?.waivers).toHaveLength(1);
  });
});
