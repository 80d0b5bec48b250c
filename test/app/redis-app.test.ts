/**
 * The App on the Redis engine (role `all`, a real redis-server), GitHub faked with nock: the
 * worker side authenticates as the installation itself and reads the config from the default
 * branch, two quick pushes publish only the newer, a GitHub outage is retried and then ends
 * as "Shipshape errored", and /healthz reports Redis per connection (503 when unreachable).
 */
import { createServer, type Server } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { operationsHandler } from "../../src/app/operations.js";
import { QUEUE_DEFAULTS, type QueueSettings } from "../../src/app/queue/settings.js";
import { decodeState } from "../../src/github/state.js";
import { DEMO_BASE, demoGitHub, modifiedHead, pullFiles, tarballOf } from "./helpers/demo-repo.js";
import type { FakeGitHub } from "./helpers/fake-github.js";
import { expectCleanFinish, startApp, type TestApp } from "./helpers/github.js";
import { HEAD_SHA, pullRequestPayload } from "./helpers/payloads.js";
import { freePort, REDIS_SERVER, redisMissingNotice, startRedis, type TestRedis } from "./helpers/redis.js";

redisMissingNotice("the App-on-Redis tests");

const HEAD2 = "2".repeat(40);

describe.skipIf(!REDIS_SERVER)("the App on the Redis queue (real redis-server)", () => {
  let redis: TestRedis;
  let app: TestApp | undefined;
  let gh: FakeGitHub;
  let n = 0;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    await app?.app.close(0);
    app = undefined;
  });

  const queue = (over: Partial<QueueSettings> = {}): QueueSettings => ({ ...QUEUE_DEFAULTS, role: "all", redisUrl: redis.url, prefix: `app${++n}-${process.pid}`, backoffMs: 20, ...over });

  it("reviews a pull request through Redis: the worker authenticates itself and publishes once", async () => {
    app = await startApp({ queue: queue() });
    gh = await demoGitHub();
    await app.receive("pull_request", pullRequestPayload());
    await app.app.idle();
    expect(gh.checkRuns.map((c) => [c.name, c.status, c.head_sha])).toEqual([
      ["Shipshape", "completed", HEAD_SHA],
      ["Shipshape / approval", "completed", HEAD_SHA],
    ]);
    expect(gh.check("Shipshape")!.conclusion).toBe("success");
    expect(gh.comments).toHaveLength(1);
    expect(gh.byPath("POST", /\/reviews$/)).toHaveLength(1);
    expect(gh.byPath("GET", /\/contents\//).map((r) => r.path)).toEqual(["/repos/octo/demo/contents/.github%2Fshipshape.yml"]);
    expect(app.app.metrics.render()).toContain('shipshape_jobs_total{outcome="published"} 1');
    expectCleanFinish(gh);
  }, 60_000);

  it("reviews a redelivered delivery once", async () => {
    app = await startApp({ queue: queue() });
    gh = await demoGitHub();
    const delivery = { id: "redelivered-1", name: "pull_request" as const, payload: pullRequestPayload() };
    await app.probot.receive(delivery);
    await app.probot.receive(delivery);
    await app.app.idle();
    expect(gh.checkRuns.map((c) => [c.name, c.status])).toEqual([
      ["Shipshape", "completed"],
      ["Shipshape / approval", "completed"],
    ]);
    expect(gh.byPath("GET", /\/tarball\//)).toHaveLength(2);
    expectCleanFinish(gh);
  }, 60_000);

  it("publishes only the newer of two quick pushes", async () => {
    app = await startApp({ queue: queue() });
    gh = await demoGitHub();
    const head2 = await modifiedHead({ "apps/docs/README.md": () => "docs moved\n" });
    gh.tarballs.set(HEAD2, await tarballOf(head2, HEAD2));
    gh.files = await pullFiles(DEMO_BASE, head2);
    await app.receive("pull_request", pullRequestPayload({ action: "opened" }));
    gh.pull.headSha = HEAD2;
    await app.receive("pull_request", pullRequestPayload({ action: "synchronize", headSha: HEAD2 }));
    await app.app.idle();
    const old = gh.checkRuns.filter((c) => c.head_sha === HEAD_SHA);
    expect(old.map((c) => [c.status, c.conclusion, c.output?.title])).toEqual([
      ["completed", "neutral", "Superseded by a newer commit"],
      ["completed", "neutral", "Superseded by a newer commit: approvals not evaluated"],
    ]);
    expect(gh.checkRuns.filter((c) => c.head_sha === HEAD2).map((c) => c.status)).toEqual(["completed", "completed"]);
    expect(gh.comments).toHaveLength(1);
    const state = decodeState(gh.comments[0]!.body);
    expect(state.ok && state.state.headSha).toBe(HEAD2);
    expect(gh.byPath("POST", /\/reviews$/).every((r) => r.body.commit_id === HEAD2)).toBe(true);
    expectCleanFinish(gh);
  }, 60_000);

  it("retries a GitHub outage with backoff, then completes both checks as errored with an error id", async () => {
    app = await startApp({ queue: queue({ attempts: 3 }) });
    gh = await demoGitHub();
    gh.tarballStatus = 502;
    await app.receive("pull_request", pullRequestPayload());
    await app.app.idle();
    // Two tarballs per attempt, three attempts.
    expect(gh.byPath("GET", /\/tarball\//)).toHaveLength(6);
    const main = gh.check("Shipshape")!;
    expect([main.status, main.conclusion, main.output?.title]).toEqual(["completed", "failure", "Shipshape errored"]);
    expect(main.output?.summary).toMatch(/Error id: `[0-9a-f-]{36}`/);
    expect(gh.checkRuns.every((c) => c.status === "completed")).toBe(true);
    const text = app.app.metrics.render();
    expect(text).toContain("shipshape_job_retries_total 2");
    expect(text).toContain('shipshape_jobs_total{outcome="errored"} 1');
    expectCleanFinish(gh);
  }, 60_000);

  it("serves /healthz with Redis per connection: 200 when reachable, 503 when not", async () => {
    const serve = async (a: TestApp) => {
      const handler = operationsHandler(a.app.metrics, { role: a.app.settings.role, queue: a.app.queue()! });
      const server: Server = createServer(async (req, res) => {
        if (!(await handler(req, res))) res.writeHead(404).end();
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      const port = (server.address() as { port: number }).port;
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      await new Promise((resolve) => server.close(resolve));
      return { status: health.status, body: await health.json(), metrics };
    };
    app = await startApp({ queue: queue() });
    expect(await serve(app)).toEqual({
      status: 200,
      body: { status: "ok", role: "all", queue: "redis", redis: { queue: "ok", worker: "ok", subscriber: "ok" } },
      metrics: expect.stringContaining("shipshape_queue_depth 0"),
    });
    await app.app.close(0);
    app = await startApp({ queue: queue({ role: "web", redisUrl: `redis://127.0.0.1:${await freePort()}` }) });
    const down = await serve(app);
    expect([down.status, down.body]).toEqual([503, { status: "unavailable", role: "web", queue: "redis", redis: { queue: "unreachable" } }]);
    expectCleanFinish({ unexpected: [] });
  }, 60_000);
});
