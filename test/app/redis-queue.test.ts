/**
 * The BullMQ engine against a real redis-server: supersede (queued and running), the guard
 * before publishing, delivery dedupe, retries then "errored", stalled-job recovery after a
 * worker process is killed with SIGKILL, and graceful shutdown handing a job back. The runner
 * is a fake that records what it was asked to do; the App-level flow is in redis-app.test.ts.
 */
import { spawn } from "node:child_process";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMetrics, type Metrics } from "../../src/app/metrics.js";
import type { ReviewQueue, ReviewRunner } from "../../src/app/queue/port.js";
import { createRedisQueue, QUEUE_NAME } from "../../src/app/queue/redis.js";
import { QUEUE_DEFAULTS, type QueueSettings } from "../../src/app/queue/settings.js";
import { packageRoot } from "../../src/package-root.js";
import { deferred, fakeRunner, job, silent, waitFor } from "./helpers/fake-runner.js";
import { REDIS_SERVER, redisMissingNotice, startRedis, type TestRedis } from "./helpers/redis.js";

redisMissingNotice("the Redis queue engine tests");

describe.skipIf(!REDIS_SERVER)("Redis queue engine (real redis-server)", () => {
  let redis: TestRedis;
  let engines: ReviewQueue[] = [];
  let prefix: string;
  let n = 0;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    await Promise.allSettled(engines.map((e) => e.close(0)));
    engines = [];
  });

  const settings = (over: Partial<QueueSettings> = {}): QueueSettings & { redisUrl: string } => ({
    ...QUEUE_DEFAULTS,
    role: "all",
    prefix,
    backoffMs: 20,
    lockMs: 1_000,
    stalledIntervalMs: 500,
    ...over,
    redisUrl: redis.url,
  });
  const engine = (runner: ReviewRunner, over: Partial<QueueSettings> = {}, metrics: Metrics = createMetrics()): ReviewQueue => {
    const e = createRedisQueue({ settings: settings(over), runner, concurrency: 2, limit: 100, metrics, log: silent });
    engines.push(e);
    return e;
  };
  /** A worker process that takes the next job and dies holding it (SIGKILL), with the same lock settings. */
  const takeAndDie = async (): Promise<void> => {
    const script = `
      import { Worker } from "bullmq";
      new Worker(${JSON.stringify(QUEUE_NAME)}, async () => { process.stdout.write("taken\\n"); await new Promise(() => {}); },
        { connection: { url: ${JSON.stringify(redis.url)}, maxRetriesPerRequest: null }, prefix: ${JSON.stringify(prefix)}, lockDuration: 1000, stalledInterval: 500 });`;
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], { cwd: packageRoot(), stdio: ["ignore", "pipe", "inherit"] });
    await new Promise<void>((resolve) => child.stdout!.on("data", (b: Buffer) => b.toString().includes("taken") && resolve()));
    child.kill("SIGKILL");
    await new Promise((r) => child.once("exit", r));
  };
  const beforeEachTest = () => {
    prefix = `t${++n}-${process.pid}`;
  };

  it("a newer head removes the queued older job (its checks superseded by the web side); only the newer is published", async () => {
    beforeEachTest();
    const f = fakeRunner();
    const web = engine(f.runner, { role: "web" });
    await web.enqueue(job("a1"));
    await web.enqueue(job("a2"));
    await waitFor(() => f.events.includes("superseded a1"));
    expect(await web.depth()).toBe(1);
    engine(f.runner, { role: "worker" });
    await waitFor(() => f.events.includes("published a2"));
    await web.idle();
    expect(f.events).toEqual(["superseded a1", "run a2", "published a2"]);
  });

  it("a newer head cancels the running older job on another worker", async () => {
    beforeEachTest();
    const f = fakeRunner();
    f.modes.set("b1", "hang");
    const web = engine(f.runner, { role: "web" });
    engine(f.runner, { role: "worker" });
    await web.enqueue(job("b1"));
    await waitFor(() => f.events.includes("run b1"));
    await web.enqueue(job("b2"));
    await waitFor(() => f.events.includes("published b2"));
    await web.idle();
    expect(f.events.filter((e) => !e.startsWith("run")).sort()).toEqual(["published b2", "superseded b1"]);
  });

  it("checks the newest head right before publishing: a result for an old head is dropped", async () => {
    beforeEachTest();
    const f = fakeRunner();
    // c1 ignores the cancellation (as a render that cannot be interrupted), then reaches publishing.
    f.modes.set("c1", "gate");
    f.gates.set("c1", deferred());
    const web = engine(f.runner, { role: "web" });
    engine(f.runner, { role: "worker" });
    await web.enqueue(job("c1"));
    await waitFor(() => f.events.includes("run c1"));
    await web.enqueue(job("c2"));
    await waitFor(() => f.events.includes("published c2"));
    f.gates.get("c1")!.resolve();
    await waitFor(() => f.events.includes("superseded c1"));
    await web.idle();
    expect(f.events.filter((e) => e.startsWith("published"))).toEqual(["published c2"]);
  });

  it("publishes nothing when the worker lost its job's lock (another worker took it over)", async () => {
    beforeEachTest();
    const f = fakeRunner();
    f.modes.set("l1", "gate");
    f.gates.set("l1", deferred());
    const all = engine(f.runner);
    await all.enqueue(job("l1"));
    await waitFor(() => f.events.includes("run l1"));
    // As if this worker's event loop had stalled past the lock: the lock is gone.
    const locks = await redis.client.keys(`${prefix}:*:lock`);
    expect(locks).toHaveLength(1);
    await redis.client.del(locks[0]!);
    f.gates.get("l1")!.resolve();
    await waitFor(() => f.events.includes("lost l1"));
    expect(f.events).toEqual(["run l1", "lost l1"]);
  });

  it("accepts a delivery once (GitHub redelivers; two web replicas)", async () => {
    beforeEachTest();
    const web = engine(fakeRunner().runner, { role: "web" });
    expect([await web.firstDelivery("d-1/octo/demo#1"), await web.firstDelivery("d-1/octo/demo#1"), await web.firstDelivery("d-2/octo/demo#1")]).toEqual([true, false, true]);
  });

  it("retries transient GitHub failures with backoff, then completes the checks as errored", async () => {
    beforeEachTest();
    const f = fakeRunner();
    f.modes.set("e1", "transient");
    f.modes.set("e2", "transient-once");
    f.modes.set("e3", "fatal");
    const metrics = createMetrics();
    const all = engine(f.runner, { attempts: 3 }, metrics);
    await all.enqueue(job("e1", 1));
    await all.enqueue(job("e2", 2));
    await all.enqueue(job("e3", 3));
    await waitFor(() => f.events.some((e) => e.startsWith("errored e1")) && f.events.includes("published e2") && f.events.some((e) => e.startsWith("errored e3")));
    await all.idle();
    expect([f.runs.get("e1"), f.runs.get("e2"), f.runs.get("e3")]).toEqual([3, 2, 1]);
    expect(f.events.filter((e) => e.startsWith("errored"))).toEqual(expect.arrayContaining(["errored e1: Bad gateway", "errored e3: Not found"]));
    const text = metrics.render();
    expect(text).toContain("shipshape_job_retries_total 3");
    expect(text).toContain('shipshape_jobs_total{outcome="errored"} 2');
    expect(text).toContain('shipshape_jobs_total{outcome="published"} 1');
    expect(text).toMatch(/shipshape_queue_wait_seconds_count 3\n/);
  });

  it("keeps no token or content in Redis: the job is references only", async () => {
    beforeEachTest();
    const web = engine(fakeRunner().runner, { role: "web" });
    await web.enqueue(job("f1"));
    const keys = await redis.client.keys(`${prefix}:*`);
    const values = await Promise.all(
      keys.map(async (k) => {
        const type = await redis.client.type(k);
        if (type === "hash") return JSON.stringify(await redis.client.hgetall(k));
        if (type === "string") return String(await redis.client.get(k));
        return "";
      }),
    );
    const data = values.find((v) => v.includes("installationId"))!;
    expect(JSON.parse(JSON.parse(data).data)).toEqual({ ...job("f1"), deliveryId: expect.any(String) });
    expect(values.join("\n")).not.toMatch(/ghs_|token|BEGIN/i);
  });

  it("takes over the job of a worker killed with SIGKILL within the lock time and a stalled check or two", async () => {
    beforeEachTest();
    const f = fakeRunner();
    const web = engine(f.runner, { role: "web" });
    await web.enqueue(job("g1"));
    await takeAndDie();
    engine(f.runner, { role: "worker" });
    const tookMs = await waitFor(() => f.events.includes("published g1"));
    // lockMs 1 s + stalled checks every 0.5 s: well within 10 s.
    expect(tookMs).toBeLessThan(10_000);
    await web.idle();
    expect(f.events).toEqual(["run g1", "published g1"]);
  });

  it("completes the checks as errored when a job keeps killing its workers (more stalls than allowed)", async () => {
    beforeEachTest();
    const f = fakeRunner();
    const metrics = createMetrics();
    const web = engine(f.runner, { role: "web" });
    await web.enqueue(job("k1"));
    await takeAndDie();
    // The second process's stalled check gives the job back to it; it dies too.
    await takeAndDie();
    engine(f.runner, { role: "worker", maxStalled: 1 }, metrics);
    await waitFor(() => f.events.some((e) => e.startsWith("errored k1")));
    expect(f.events).toEqual([expect.stringMatching(/^errored k1: .*stalled/)]);
    expect(metrics.render()).toContain('shipshape_jobs_total{outcome="errored"} 1');
  });

  it("on shutdown hands a running job back (checks kept with it) for another worker; a job that finishes in time just finishes", async () => {
    beforeEachTest();
    const f = fakeRunner();
    f.modes.set("nochecks-h1", "hang");
    const metrics = createMetrics();
    const first = engine(f.runner, { role: "worker" }, metrics);
    const web = engine(f.runner, { role: "web" });
    await web.enqueue(job("nochecks-h1"));
    await waitFor(() => f.events.includes("run nochecks-h1"));
    await first.close(100);
    expect(f.events).toEqual(["run nochecks-h1"]);
    expect(await web.depth()).toBe(1);
    expect(metrics.render()).toContain('shipshape_jobs_total{outcome="handed_back"} 1');
    f.modes.set("nochecks-h1", "ok");
    const second = engine(f.runner, { role: "worker" });
    await waitFor(() => f.events.includes("published nochecks-h1"));
    await web.idle();
    // The second run reused the check runs the first one started.
    expect(f.seenChecks).toEqual([undefined, { main: 11, approval: 12 }]);
    await second.close(0);

    f.modes.set("i1", "gate");
    f.gates.set("i1", deferred());
    const third = engine(f.runner, { role: "worker" });
    await web.enqueue(job("i1", 2));
    await waitFor(() => f.events.includes("run i1"));
    setTimeout(() => f.gates.get("i1")!.resolve(), 200);
    await third.close(5_000);
    expect(f.events.at(-1)).toBe("published i1");
  });

  it("reports Redis connectivity per connection in health()", async () => {
    beforeEachTest();
    const all = engine(fakeRunner().runner);
    await waitFor(async () => (await all.health()).ok);
    expect(await all.health()).toEqual({ ok: true, engine: "redis", redis: { queue: "ok", worker: "ok", subscriber: "ok" } });
  });
});
