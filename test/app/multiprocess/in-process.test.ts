/**
 * The real-parts harness with today's default: one App process (`node server.js`, role `all`,
 * the in-process queue) against the fake GitHub over HTTP. Proves the harness the
 * multi-process test builds on: many pull requests each end with exactly one published review,
 * and two quick pushes to one pull request publish only the newer head.
 */
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FakeGitHubServer } from "../../../scripts/bench/fake-github-server.mjs";
import { buildServer, deliver, pullRequestEvent, serveDemo, startAppProcess, waitFor, type AppProcess } from "../../../scripts/bench/app-cluster.mjs";
import { packageRoot } from "../../../src/package-root.js";
import { allPublished, describe, expectPublishedOnce, settle } from "./outcome.js";

const root = packageRoot();
const buildDir = join(root, ".shipshape-tmp", `in-process-${process.pid}`);
const gh = new FakeGitHubServer();
let app: AppProcess | undefined;

beforeAll(async () => {
  await mkdir(buildDir, { recursive: true });
  const serverJs = await buildServer(root, buildDir);
  await gh.start();
  app = await startAppProcess({ serverJs, githubHost: gh.host, role: "all", appId: 1, env: { SHIPSHAPE_CONCURRENCY: "2" } });
});

afterAll(async () => {
  await app?.stop("SIGKILL");
  await gh.stop();
  await rm(buildDir, { recursive: true, force: true });
});

it("reviews every pull request once, over real HTTP, and publishes only the newer of two quick pushes", async () => {
  const demo = await serveDemo(gh, root);
  const heads = new Map<number, string>();
  for (let pr = 1; pr <= 4; pr++) heads.set(pr, demo.addPull(pr));
  for (const pr of heads.keys()) expect((await deliver(app!.url, "pull_request", pullRequestEvent(gh, "opened", pr))).status).toBe(200);
  // Two quick pushes to #4: the second arrives while the first is queued or running.
  const older = heads.get(4)!;
  heads.set(4, demo.addPull(4, 1));
  expect((await deliver(app!.url, "pull_request", pullRequestEvent(gh, "synchronize", 4))).status).toBe(200);

  await waitFor("every pull request reviewed at its newest head", 45_000, () => allPublished(gh, heads), () => `${describe(gh, heads)}\n${app!.logs.slice(-20).join("\n")}`);
  await settle(gh);
  expectPublishedOnce(gh, heads, [older]);
  // Every call came from the one process, with its installation token.
  expect(new Set(gh.requests.map((r) => r.app))).toEqual(new Set(["1"]));
}, 60_000);
