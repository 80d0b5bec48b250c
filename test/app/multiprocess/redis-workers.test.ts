/**
 * The App split across processes on a real Redis: one web process and two workers (each
 * `node server.js` in its role) share a private redis-server, and the fake GitHub is a real
 * HTTP server. Signed webhooks for several pull requests arrive at the web process; one worker
 * is killed with SIGKILL while it holds a review. Every pull request must still end with its
 * checks completed and exactly one published review, and of two quick pushes to one pull
 * request only the newer head is published. Skipped, visibly, where /usr/bin/redis-server is
 * missing (`.ci/run` installs it).
 */
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeGitHubServer, type RecordedRequest } from "../../../scripts/bench/fake-github-server.mjs";
import { buildServer, DEMO_BASE_SHA, deliver, pullRequestEvent, REDIS_SERVER, serveDemo, startAppProcess, startRedis, waitFor, type AppProcess, type RedisServer } from "../../../scripts/bench/app-cluster.mjs";
import { packageRoot } from "../../../src/package-root.js";
import { allPublished, describe as account, expectPublishedOnce, settle } from "./outcome.js";

const hasRedis = existsSync(REDIS_SERVER);
if (!hasRedis) console.warn(`SKIPPED test/app/multiprocess/redis-workers.test.ts: ${REDIS_SERVER} is missing (install Debian's redis-server; .ci/run does)`);

const PULLS = 4;
// Short locks so a dead worker's review is taken over within seconds. Not shorter: a review keeps the
// event loop busy for seconds at a time, and a lock not renewed in time is taken for a dead worker's.
// Two deaths may hit one job (the replacement may take over the first victim's): it must survive both.
const QUEUE_ENV = { SHIPSHAPE_JOB_LOCK_MS: "8000", SHIPSHAPE_STALLED_INTERVAL_MS: "1000", SHIPSHAPE_MAX_STALLED: "2", SHIPSHAPE_CONCURRENCY: "1", SHIPSHAPE_JOB_BACKOFF_MS: "500" };

const root = packageRoot();
const buildDir = join(root, ".shipshape-tmp", `redis-workers-${process.pid}`);
const gh = new FakeGitHubServer();
const processes: AppProcess[] = [];
let redis: RedisServer | undefined;
let web: AppProcess;
let workers: AppProcess[] = [];
let start: (role: "web" | "worker", appId: number) => Promise<AppProcess>;

describe.skipIf(!hasRedis)("web and two workers on one Redis", () => {
  beforeAll(async () => {
    await mkdir(buildDir, { recursive: true });
    const serverJs = await buildServer(root, buildDir);
    await gh.start();
    redis = await startRedis();
    start = async (role, appId) => {
      const p = await startAppProcess({ serverJs, githubHost: gh.host, role, appId, redisUrl: redis!.url, env: QUEUE_ENV });
      processes.push(p);
      return p;
    };
    [web, ...workers] = await Promise.all([start("web", 1), start("worker", 2), start("worker", 3)]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop("SIGKILL")));
    await redis?.stop();
    await gh.stop();
    await rm(buildDir, { recursive: true, force: true });
  });

  it("loses no review when workers are killed before and while publishing, and publishes only the newer of two quick pushes", async () => {
    const [first, second] = workers as [AppProcess, AppProcess];
    // Two deaths: the first worker as it downloads a pull request's head (it holds that review's
    // job, nothing published yet); then a replacement, started at once as an orchestrator would,
    // right after it completed its first check run (mid-publish: the approval check and the
    // comment not written yet). GitHub has applied that write; the worker never saw the answer.
    let beforePublish: RecordedRequest | undefined;
    let midPublish: RecordedRequest | undefined;
    let replacement: Promise<AppProcess> | undefined;
    let replacementId: string | undefined;
    gh.onRequest = (r) => {
      if (!beforePublish && r.app === first.appId && r.method === "GET" && /\/tarball\//.test(r.path) && !r.path.includes(`/tarball/${DEMO_BASE_SHA}`)) {
        beforePublish = r;
        first.child.kill("SIGKILL");
        replacementId = "4";
        replacement = start("worker", 4);
      } else if (!midPublish && r.app === replacementId && r.method === "PATCH" && /\/check-runs\//.test(r.path) && r.body?.conclusion) {
        midPublish = r;
        void replacement!.then((p) => p.child.kill("SIGKILL"));
      }
    };

    const demo = await serveDemo(gh, root);
    const heads = new Map<number, string>();
    for (let pr = 1; pr <= PULLS; pr++) heads.set(pr, demo.addPull(pr));
    const opened = await Promise.all([...heads.keys()].map((pr) => deliver(web.url, "pull_request", pullRequestEvent(gh, "opened", pr))));
    expect(opened.map((d) => d.status)).toEqual([...heads.keys()].map(() => 200));
    // Two quick pushes to the last pull request: the second supersedes the first.
    const older = heads.get(PULLS)!;
    heads.set(PULLS, demo.addPull(PULLS, 1));
    expect((await deliver(web.url, "pull_request", pullRequestEvent(gh, "synchronize", PULLS))).status).toBe(200);

    const logs = () => processes.flatMap((p) => p.logs.filter((l) => !l.includes('"level":30')).slice(-12)).join("\n");
    const where = (r?: RecordedRequest) => (r ? `${r.method} ${r.path.split("?")[0]}` : "never");
    const kills = () => `worker killed before publishing at ${where(beforePublish)}; its replacement mid-publish at ${where(midPublish)}`;
    await waitFor("every pull request reviewed at its newest head", 75_000, () => allPublished(gh, heads), () => `${account(gh, heads)}\n${kills()}\n${logs()}`);
    await settle(gh);
    console.info(`redis-workers: ${kills()}`);

    expect(beforePublish, "the first worker was killed while downloading a pull request").toBeDefined();
    expect((await first.exited).signal).toBe("SIGKILL");
    expectPublishedOnce(gh, heads, [older]);
    // Roles: the web process starts checks and never reviews.
    expect(gh.byPath("GET", /\/tarball\//).filter((r) => r.app === web.appId)).toEqual([]);
    expect(gh.byPath("POST", /\/check-runs$/).every((r) => r.app === web.appId)).toBe(true);
    // Head shas start with the pull request's number (app-cluster.mjs headSha): the review whose
    // worker died before publishing was published by another worker, once.
    const killedPr = Number.parseInt(/\/tarball\/([0-9a-f]{8})/.exec(beforePublish!.path)![1]!, 16);
    expect(gh.byPath("POST", new RegExp(`/pulls/${killedPr}/reviews$`)).filter((r) => r.app !== first.appId), `#${killedPr} published by another worker`).toHaveLength(1);
    if (midPublish) {
      const run = gh.checkRuns.find((c) => midPublish!.path.endsWith(`/check-runs/${c.id}`))!;
      expect(run.status, `${run.name}@${run.head_sha.slice(0, 10)}, whose worker died while publishing, ends completed`).toBe("completed");
    }
    expect(second.alive && web.alive).toBe(true);
  }, 90_000);
});
