import { describe, expect, it } from "vitest";
import { JobQueue, QueueFullError } from "../../src/app/queue.js";

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe("job queue", () => {
  it("replaces a queued job for the same pull request and aborts a running one", async () => {
    const log: string[] = [];
    const errors: unknown[] = [];
    const q = new JobQueue({ concurrency: 1, limit: 5, onError: (_k, e) => errors.push(e) });
    const gate = deferred();
    q.push({ key: "a", run: async (signal) => { log.push("a1 start"); await gate.promise; log.push(`a1 aborted=${signal.aborted}`); } });
    q.push({ key: "b", run: async () => void log.push("b1"), superseded: async () => void log.push("b1 superseded") });
    q.push({ key: "b", run: async () => void log.push("b2") });
    q.push({ key: "a", run: async () => void log.push("a2") });
    gate.resolve();
    await q.idle();
    expect(log).toEqual(["a1 start", "b1 superseded", "a1 aborted=true", "b2", "a2"]);
    expect(errors).toEqual([]);
  });

  it("is bounded: a new pull request beyond the limit is refused, a replacement is not", () => {
    const q = new JobQueue({ concurrency: 1, limit: 1, onError: () => {} });
    const never = new Promise<void>(() => {});
    q.push({ key: "running", run: () => never });
    q.push({ key: "waiting", run: async () => {} });
    expect(() => q.push({ key: "third", run: async () => {} })).toThrow(QueueFullError);
    expect(() => q.push({ key: "waiting", run: async () => {} })).not.toThrow();
    expect(q.depth).toBe(1);
  });

  it("reports a failing job and keeps going", async () => {
    const errors: string[] = [];
    const q = new JobQueue({ concurrency: 2, limit: 5, onError: (k) => errors.push(k) });
    let ran = false;
    q.push({ key: "x", run: async () => { throw new Error("boom"); } });
    q.push({ key: "y", run: async () => void (ran = true) });
    await q.idle();
    expect([errors, ran]).toEqual([["x"], true]);
  });
});
