/**
 * A report too long for one comment: the sticky comment is split into numbered parts (fences
 * and <details> closed and reopened), edited in place on the next push, and parts no longer
 * needed are deleted. A marker in someone else's comment is never taken for Shipshape's.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decodeState } from "../../src/github/state.js";
import { DEMO_BASE, DEMO_HEAD, modifiedHead, pullFiles, tarballOf } from "./helpers/demo-repo.js";
import { FakeGitHub } from "./helpers/fake-github.js";
import { expectCleanFinish, startApp, type TestApp } from "./helpers/github.js";
import { BASE_SHA, HEAD_SHA, pullRequestPayload } from "./helpers/payloads.js";

const SMALL_HEAD = "5".repeat(40);
let app: TestApp;
let gh: FakeGitHub;

/** A ConfigMap whose data changes on 4,000 lines: a diff of several hundred kilobytes. */
function bigConfigMap(): string {
  const lines = Array.from({ length: 4000 }, (_, i) => `  key-${i}: "value ${i} ${"x".repeat(40)}"`);
  return `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: api-prod\ndata:\n${lines.join("\n")}\n`;
}

beforeEach(async () => {
  app = await startApp();
  gh = new FakeGitHub();
  gh.install();
  gh.config = await readFile(join(DEMO_BASE, ".github/shipshape.yml"), "utf8");
  const bigHead = await modifiedHead({ "platform/quotas/big.yaml": bigConfigMap });
  gh.tarballs.set(BASE_SHA, await tarballOf(DEMO_BASE, BASE_SHA));
  gh.tarballs.set(HEAD_SHA, await tarballOf(bigHead, HEAD_SHA));
  gh.tarballs.set(SMALL_HEAD, await tarballOf(DEMO_HEAD, SMALL_HEAD));
  gh.files = await pullFiles(DEMO_BASE, DEMO_HEAD);
});

afterEach(() => expectCleanFinish(gh));

const stickyParts = () => gh.comments.filter((c) => c.user.login === "shipshape[bot]" && c.body.includes("<!-- shipshape:sticky"));

describe("split sticky comment", () => {
  it("splits a long report into numbered parts and shrinks back on the next push", async () => {
    // Someone pasted Shipshape's marker into their own comment: it must be left alone.
    gh.addComment("<!-- shipshape:sticky -->\n<!-- shipshape:sticky part=1/1 -->\nI approve everything", { login: "mallory", type: "User" });
    await app.receive("pull_request", pullRequestPayload());
    await app.app.idle();

    const parts = stickyParts();
    expect(parts.length).toBeGreaterThan(1);
    parts.forEach((p, i) => {
      expect(p.body.length).toBeLessThanOrEqual(65_536);
      expect(p.body).toContain(`<!-- shipshape:sticky part=${i + 1}/${parts.length} -->`);
      // Every part is valid Markdown on its own: fences and <details> balanced.
      expect((p.body.match(/^```/gm) ?? []).length % 2).toBe(0);
      expect((p.body.match(/<details/g) ?? []).length).toBe((p.body.match(/<\/details>/g) ?? []).length);
    });
    expect(parts[1]!.body).toContain(`_Part 2 of ${parts.length} (continued)_`);
    expect(decodeState(parts[0]!.body).ok).toBe(true);
    expect(gh.comments.find((c) => c.user.login === "mallory")!.body).toContain("I approve everything");

    // The next push drops the big file: part 1 is edited in place, the other parts are deleted.
    const firstId = parts[0]!.id;
    gh.pull.headSha = SMALL_HEAD;
    await app.receive("pull_request", pullRequestPayload({ action: "synchronize", headSha: SMALL_HEAD }));
    await app.app.idle();
    const after = stickyParts();
    expect(after.map((p) => p.id)).toEqual([firstId]);
    expect(after[0]!.body).toContain("<!-- shipshape:sticky part=1/1 -->");
    expect(gh.byPath("DELETE", /\/issues\/comments\//)).toHaveLength(parts.length - 1);
    expect(gh.comments).toHaveLength(2);
  }, 60_000);
});
