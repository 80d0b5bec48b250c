/**
 * The in-process engine (the default, zero setup): the bounded JobQueue of this process, one
 * job per pull request, a newer head replacing the queued job and aborting the running one.
 * Nothing survives the process: one replica only (see the README's Scaling section).
 */
import type { Logger } from "../../core/ports.js";
import type { Metrics } from "../metrics.js";
import { JobQueue } from "../queue.js";
import { HAND_BACK, HandBackError, pullRequestKey, type JobOutcome, type LocalHints, type ReviewJobData, type ReviewQueue, type ReviewRunner } from "./port.js";

export interface InProcessOptions {
  runner: ReviewRunner;
  concurrency: number;
  limit: number;
  metrics: Metrics;
  log: Logger;
}

export function createInProcessQueue(o: InProcessOptions): ReviewQueue {
  const queue = new JobQueue({
    concurrency: o.concurrency,
    limit: o.limit,
    onError: (key, err) => o.log.warn("review job failed", { key, error: (err as Error)?.stack ?? String(err) }),
    onDepth: (depth) => o.metrics.queueDepth.set(depth),
  });

  const run = async (job: ReviewJobData, local: LocalHints | undefined, enqueuedAt: number, signal: AbortSignal): Promise<void> => {
    o.metrics.queueWait.observe({}, (Date.now() - enqueuedAt) / 1000);
    const started = Date.now();
    let current = job;
    const controls = {
      signal,
      // One process: the queue itself aborts a superseded run, nobody else can take it over.
      guard: async () => "ok" as const,
      rememberChecks: async (checks: NonNullable<ReviewJobData["checks"]>) => void (current = { ...current, checks }),
    };
    let outcome: JobOutcome = "errored";
    try {
      outcome = await o.runner.run(current, controls, local);
    } catch (err) {
      if (err instanceof HandBackError) {
        outcome = "interrupted";
        await o.runner.interrupted(current, local);
        return;
      }
      await o.runner.errored(current, err, local, started);
    } finally {
      // Counted even when reporting the crash failed (the queue logs that).
      o.metrics.jobs.inc({ outcome });
    }
  };

  return {
    engine: "in-process",
    // One process receives each delivery once; a redelivery is a new review, as before.
    firstDelivery: async () => true,
    forgetDelivery: async () => {},
    async enqueue(job, local) {
      const enqueuedAt = Date.now();
      queue.push({
        key: pullRequestKey(job.pr),
        run: (signal) => run(job, local, enqueuedAt, signal),
        superseded: async () => {
          o.metrics.jobs.inc({ outcome: "superseded" });
          await o.runner.superseded(job, local);
        },
        interrupted: async () => {
          o.metrics.jobs.inc({ outcome: "interrupted" });
          await o.runner.interrupted(job, local);
        },
      });
    },
    depth: async () => queue.depth,
    health: async () => ({ ok: true, engine: "in-process" }),
    idle: () => queue.idle(),
    async close(graceMs) {
      // Running reviews get the grace period; then they and the queued ones are stopped and
      // their checks say so (nothing to hand them back to: the Redis engine is the durable one).
      if (await settlesWithin(queue.idle(), graceMs)) return;
      queue.cancelAll(HAND_BACK);
      await settlesWithin(queue.idle(), 10_000);
    },
  };
}

async function settlesWithin(p: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const done = await Promise.race([p.then(() => true), new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)))]);
  clearTimeout(timer);
  return done;
}
