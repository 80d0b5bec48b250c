/**
 * The in-process engine (the default, zero setup): the bounded JobQueue of this process, one
 * job per pull request, a newer head replacing the queued job and aborting the running one.
 * Nothing survives the process: one replica only (see the README's Scaling section).
 */
import type { Logger } from "../../core/ports.js";
import type { Metrics } from "../metrics.js";
import { JobQueue } from "../queue.js";
import { pullRequestKey, type JobOutcome, type LocalHints, type ReviewJobData, type ReviewQueue, type ReviewRunner } from "./port.js";

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
    async enqueue(job, local) {
      const enqueuedAt = Date.now();
      queue.push({
        key: pullRequestKey(job.pr),
        run: (signal) => run(job, local, enqueuedAt, signal),
        superseded: async () => {
          o.metrics.jobs.inc({ outcome: "superseded" });
          await o.runner.superseded(job, local);
        },
      });
    },
    depth: async () => queue.depth,
    health: async () => ({ ok: true, engine: "in-process" }),
    idle: () => queue.idle(),
    async close(graceMs) {
      // Nothing to hand back to: running reviews get the grace period, the queued ones are lost
      // with the process (their checks stay in progress; the Redis engine is the durable one).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([queue.idle(), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
      clearTimeout(timer);
    },
  };
}
