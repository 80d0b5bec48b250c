import { describe, expect, it } from "vitest";
import { createShipshapeApp } from "../../src/app/app.js";
import { readAppEnvironment } from "../../src/app/environment.js";
import { QUEUE_DEFAULTS, readQueueSettings } from "../../src/app/queue/settings.js";
import { isTransient } from "../../src/app/queue/transient.js";
import { testEnvironment } from "./helpers/github.js";

describe("queue settings from the environment", () => {
  it("defaults to role all and the in-process queue", () => {
    expect(readQueueSettings({})).toEqual({ role: "all", ...QUEUE_DEFAULTS });
    expect(readAppEnvironment({}).queueLimit).toBe(100);
  });

  it("reads REDIS_URL, the role and the timings; the shared queue's limit is longer", () => {
    const env = { REDIS_URL: "redis://redis:6379/0", SHIPSHAPE_ROLE: "worker", SHIPSHAPE_JOB_ATTEMPTS: "5", SHIPSHAPE_JOB_BACKOFF_MS: "100", SHIPSHAPE_JOB_LOCK_MS: "30000", SHIPSHAPE_STALLED_INTERVAL_MS: "15000", SHIPSHAPE_MAX_STALLED: "0", SHIPSHAPE_SHUTDOWN_GRACE_MS: "0", SHIPSHAPE_QUEUE_PREFIX: "org-a" };
    expect(readQueueSettings(env)).toEqual({ role: "worker", redisUrl: "redis://redis:6379/0", prefix: "org-a", attempts: 5, backoffMs: 100, lockMs: 30_000, stalledIntervalMs: 15_000, maxStalled: 0, shutdownGraceMs: 0 });
    expect(readAppEnvironment(env).queueLimit).toBe(10_000);
  });

  it("refuses a bad value by name instead of guessing", () => {
    expect(() => readQueueSettings({ SHIPSHAPE_ROLE: "both" })).toThrow('SHIPSHAPE_ROLE="both" is not valid: expected web, worker, all');
    expect(() => readQueueSettings({ SHIPSHAPE_JOB_ATTEMPTS: "0" })).toThrow(/SHIPSHAPE_JOB_ATTEMPTS="0" is not valid: expected a whole number, at least 1/);
    expect(() => readQueueSettings({ SHIPSHAPE_JOB_LOCK_MS: "10s" })).toThrow(/SHIPSHAPE_JOB_LOCK_MS/);
    expect(() => readQueueSettings({ SHIPSHAPE_QUEUE_PREFIX: "a:b" })).toThrow(/SHIPSHAPE_QUEUE_PREFIX/);
  });

  it("refuses a web or worker role without REDIS_URL (nobody to hand reviews to)", () => {
    expect(() => createShipshapeApp({ env: testEnvironment({ queue: { role: "web", ...QUEUE_DEFAULTS } }) })).toThrow(/SHIPSHAPE_ROLE="web" is not valid/);
  });

  it("scrubs the Redis password like any operator secret", () => {
    expect(readAppEnvironment({ REDIS_URL: "redis://:canary-redis-pass@redis:6379/0" }).operatorSecrets).toContain("canary-redis-pass");
  });
});

describe("transient failures (retried) and lasting ones (not)", () => {
  it("retries GitHub 5xx, 429, rate limits and network errors only", () => {
    const status = (s: number, message = "x") => Object.assign(new Error(message), { status: s });
    expect([status(500), status(502), status(429), status(403, "API rate limit exceeded"), Object.assign(new Error("read"), { code: "ECONNRESET" }), new TypeError("fetch failed")].map(isTransient)).toEqual([true, true, true, true, true, true]);
    expect([status(404), status(403, "Resource not accessible by integration"), status(422), new Error("a bug"), undefined].map(isTransient)).toEqual([false, false, false, false, false]);
  });
});
