/**
 * A small repository reviewed by the App, for the approval and GitHub-text attack tests: one
 * Deployment whose head makes a container privileged (a `privilege` risk reason that needs
 * approval, and a policy error on the changed line). Tests start from what the first review
 * left on the fake GitHub, so each attack runs only the event it is about.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect } from "vitest";
import { pullFiles, tarballOf } from "../app/helpers/demo-repo.js";
import { FakeGitHub, type FakeCheckRun, type FakeComment, type FakeReviewComment } from "../app/helpers/fake-github.js";
import { startApp, stopApp } from "../app/helpers/github.js";
import { BASE_SHA, HEAD_SHA, pullRequestPayload } from "../app/helpers/payloads.js";
import { writeTree } from "../helpers/write-tree.js";

export const DEPLOYMENT = "deploy/app/deployment.yaml";

/** A Deployment with one container; `privileged` adds a securityContext on line 19. */
export function deployment(options: { container?: string; privileged?: boolean; image?: string } = {}): string {
  return [
    "apiVersion: apps/v1",
    "kind: Deployment",
    "metadata:",
    "  name: web",
    "  namespace: shop",
    "spec:",
    "  replicas: 1",
    "  selector:",
    "    matchLabels:",
    "      app: web",
    "  template:",
    "    metadata:",
    "      labels:",
    "        app: web",
    "    spec:",
    "      containers:",
    `        - name: ${JSON.stringify(options.container ?? "web")}`,
    `          image: ${JSON.stringify(options.image ?? "nginx:1.27.2")}`,
    ...(options.privileged ? ["          securityContext:", "            privileged: true"] : []),
    "",
  ].join("\n");
}

async function writeTempTree(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "shipshape-sec-"));
  await writeTree(dir, files);
  return dir;
}

export interface Reviewed {
  /** A FakeGitHub holding what the first review left, installed on nock. */
  fresh(): FakeGitHub;
  comments: FakeComment[];
  reviewComments: FakeReviewComment[];
  /** The check runs of the first review. */
  checkRuns: FakeCheckRun[];
}

export interface RepoSpec {
  base: Record<string, string>;
  head: Record<string, string>;
  /** `.github/shipshape.yml` on the default branch. */
  config?: string;
  permissions?: Record<string, string>;
  teams?: Record<string, string[]>;
}

/** Reviews base → head once with the App and keeps what it left on GitHub. */
export async function reviewed(spec: RepoSpec): Promise<Reviewed> {
  const baseDir = await writeTempTree(spec.base);
  const headDir = await writeTempTree(spec.head);
  const tarballs = new Map([
    [BASE_SHA, await tarballOf(baseDir, BASE_SHA)],
    [HEAD_SHA, await tarballOf(headDir, HEAD_SHA)],
  ]);
  const files = await pullFiles(baseDir, headDir);
  const setup = (g: FakeGitHub): FakeGitHub => {
    g.config = spec.config ?? "";
    g.tarballs = tarballs;
    g.files = files;
    for (const [user, permission] of Object.entries(spec.permissions ?? {})) g.permissions.set(user, permission);
    for (const [team, members] of Object.entries(spec.teams ?? {})) g.teams.set(team, new Set(members));
    g.install();
    return g;
  };
  const first = await startApp();
  const g = setup(new FakeGitHub());
  await first.receive("pull_request", pullRequestPayload());
  await first.app.idle();
  expect(stopApp().pending).toEqual([]);
  expect(g.unexpected).toEqual([]);
  const result: Reviewed = {
    comments: structuredClone(g.comments),
    reviewComments: structuredClone(g.reviewComments),
    checkRuns: structuredClone(g.checkRuns),
    fresh() {
      const gh = setup(new FakeGitHub());
      gh.comments = structuredClone(result.comments);
      gh.reviewComments = structuredClone(result.reviewComments);
      return gh;
    },
  };
  return result;
}

/** The privileged-container pull request. */
export function privilegedPullRequest(config = "", extra: Partial<RepoSpec> = {}): RepoSpec {
  return {
    base: { [DEPLOYMENT]: deployment() },
    head: { [DEPLOYMENT]: deployment({ privileged: true }) },
    config,
    ...extra,
  };
}
