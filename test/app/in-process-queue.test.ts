/** The in-process engine (the default): supersede and, on shutdown, nothing left in progress. */
import { describe, expect, it } from "vitest";
import { createMetrics } from "../../src/app/metrics.js";
import { createInProcessQueue } from "../../src/app/queue/in-process.js";
import { fakeRunner, job, silent, waitFor } from "./helpers/fake-runner.js";

describe("in-process queue engine", () => {
  it("supersedes the queued job of a pull request and runs the newest", async () => {
    const f = fakeRunner();
    f.modes.set("p1", "hang");
    const q = createInProcessQueue({ runner: f.runner, concurrency: 1, limit: 10, metrics: createMetrics(), log: silent });
    await q.enqueue(job("p1", 1));
    await q.enqueue(job("q1", 2));
    await q.enqueue(job("q2", 2));
    await waitFor(() => f.events.includes("run p1"));
    await q.enqueue(job("p2", 1));
    await q.idle();
    expect(f.events).toEqual(["run p1", "superseded q1", "superseded p1", "run q2", "published q2", "run p2", "published p2"]);
  });

  it("on shutdown gives running reviews the grace period, then completes their checks and the queued ones' as stopped", async () => {
    const f = fakeRunner();
    f.modes.set("r1", "hang");
    const metrics = createMetrics();
    const q = createInProcessQueue({ runner: f.runner, concurrency: 1, limit: 10, metrics, log: silent });
    await q.enqueue(job("r1", 1));
    await q.enqueue(job("s1", 2));
    await waitFor(() => f.events.includes("run r1"));
    await q.close(50);
    expect(f.events.slice().sort()).toEqual(["interrupted r1", "interrupted s1", "run r1"]);
    expect(metrics.render()).toContain('shipshape_jobs_total{outcome="interrupted"} 2');
  });
});
