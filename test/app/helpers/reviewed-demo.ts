/**
 * The demo pull request reviewed once by the App, for tests that start from what the review
 * left on GitHub (the sticky comment, review comments) without re-running it every time.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { expect } from "vitest";
import { DEMO_BASE, DEMO_HEAD, pullFiles, tarballOf } from "./demo-repo.js";
import { FakeGitHub, type FakeComment, type FakeReviewComment } from "./fake-github.js";
import { startApp, stopApp } from "./github.js";
import { BASE_SHA, HEAD_SHA, pullRequestPayload } from "./payloads.js";

export interface ReviewedDemo {
  config: string;
  tarballs: Map<string, Buffer>;
  files: Awaited<ReturnType<typeof pullFiles>>;
  comments: FakeComment[];
  reviewComments: FakeReviewComment[];
  requestedReviewers: FakeGitHub["requestedReviewers"];
  /** A FakeGitHub holding what the review left, installed on nock. */
  fresh(): FakeGitHub;
}

export async function reviewedDemo(extraConfig = "", extraTarballs: [string, Buffer][] = []): Promise<ReviewedDemo> {
  const config = (await readFile(join(DEMO_BASE, ".github/shipshape.yml"), "utf8")) + extraConfig;
  const tarballs = new Map([[BASE_SHA, await tarballOf(DEMO_BASE, BASE_SHA)], [HEAD_SHA, await tarballOf(DEMO_HEAD, HEAD_SHA)], ...extraTarballs]);
  const files = await pullFiles(DEMO_BASE, DEMO_HEAD);
  const setup = (g: FakeGitHub) => {
    g.config = config;
    g.tarballs = tarballs;
    g.files = files;
    g.teams.set("octo/platform", new Set(["bob"]));
    // Approvals count only from people with write access (risk.approvals.minPermission).
    for (const user of ["bob", "carol"]) g.permissions.set(user, "write");
    g.install();
    return g;
  };
  const first = await startApp();
  const g = setup(new FakeGitHub());
  await first.receive("pull_request", pullRequestPayload());
  await first.app.idle();
  expect(stopApp().pending).toEqual([]);
  expect(g.unexpected).toEqual([]);
  const demo: ReviewedDemo = {
    config,
    tarballs,
    files,
    comments: structuredClone(g.comments),
    reviewComments: structuredClone(g.reviewComments),
    requestedReviewers: structuredClone(g.requestedReviewers),
    fresh() {
      const gh = setup(new FakeGitHub());
      gh.comments = structuredClone(demo.comments);
      gh.reviewComments = structuredClone(demo.reviewComments);
      return gh;
    },
  };
  return demo;
}
