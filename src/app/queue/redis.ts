/**
 * The shared engine: a BullMQ queue in Redis that any number of web and worker processes use.
 *
 * - One job per push, keyed by delivery; per pull request, `<prefix>:latest:<owner>/<repo>#<n>`
 *   holds the id of the newest job. A newer push swaps it (SET … GET): a queued older job is
 *   removed and its checks completed as superseded by the web side; a running one is told on
 *   `<prefix>:cancel` (its worker aborts it and completes its checks as superseded). A worker
 *   checks the key when it starts a job and again right before publishing, so a result for an
 *   old head is never published.
 * - A worker that dies (kill -9, OOM) stops renewing its job's lock; after `lockMs` another
 *   worker's stalled check (every `stalledIntervalMs`) puts the job back in the queue. Right
 *   before publishing a worker also renews its lock: one that lost it publishes nothing.
 * - Transient GitHub failures are retried `attempts` times with exponential backoff; after the
 *   last one the checks say "Shipshape errored" with an error id, never left in progress.
 * - Redis holds references only (port.ts): no token, no content.
 */
import { Queue, UnrecoverableError, WaitingError, Worker, type Job } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "../../core/ports.js";
import type { Metrics } from "../metrics.js";
import { QueueFullError } from "../queue.js";
import { HandBackError, HAND_BACK, isHandBack, pullRequestKey, SUPERSEDED, type JobOutcome, type LocalHints, type QueueHealth, type ReviewJobData, type ReviewQueue, type ReviewRunner, type Verdict } from "./port.js";
import type { QueueSettings } from "./settings.js";
import { isTransient } from "./transient.js";

export const QUEUE_NAME = "reviews";
/** How long the per-PR and per-delivery records live: far longer than any job waits. */
const RECORD_TTL_SECONDS = 14 * 24 * 3600;
const DELIVERY_TTL_SECONDS = 24 * 3600;
const PING_TIMEOUT_MS = 1_000;

export interface RedisQueueOptions {
  settings: QueueSettings & { redisUrl: string };
  runner: ReviewRunner;
  /** Reviews running at once in this worker process. */
  concurrency: number;
  /** Reviews waiting at most across all workers. */
  limit: number;
  metrics: Metrics;
  log: Logger;
}

type Outcome = JobOutcome | "retry";

export function createRedisQueue(o: RedisQueueOptions): ReviewQueue {
  const { settings, runner, metrics, log } = o;
  const prefix = settings.prefix;
  const latestKey = (job: ReviewJobData) => `${prefix}:latest:${pullRequestKey(job.pr)}`;
  const cancelChannel = `${prefix}:cancel`;
  const connections: Record<string, Redis> = {};
  const connect = (name: string, workerSide: boolean): Redis => {
    // The web side fails fast when Redis is away (GitHub waits 10 s for the answer); a
    // worker waits for it to come back.
    const client = new Redis(settings.redisUrl, { maxRetriesPerRequest: workerSide ? null : 1, connectionName: `shipshape-${name}` });
    client.on("error", (err: Error) => log.warn("redis connection error", { connection: name, error: err.message }));
    connections[name] = client;
    return client;
  };

  const commands = connect("queue", false);
  const queue = new Queue<ReviewJobData>(QUEUE_NAME, { connection: commands, prefix });
  queue.on("error", (err: Error) => log.warn("queue error", { error: err.message }));
  /** Completions of superseded queued jobs under way on this (web) side. */
  const cleanups = new Set<Promise<void>>();
  /** Jobs this process is running. */
  let running = 0;

  const isLatest = async (job: Job<ReviewJobData>): Promise<boolean> => {
    const latest = await commands.get(latestKey(job.data));
    return latest === null || latest === job.id;
  };

  const processJob = async (job: Job<ReviewJobData>, token: string | undefined, signal: AbortSignal | undefined): Promise<Outcome> => {
    const data = job.data;
    if (data?.v !== 1) throw new UnrecoverableError(`job ${job.id} has an unknown format (version ${String(data?.v)})`);
    if (job.attemptsStarted <= 1) metrics.queueWait.observe({}, (Date.now() - job.timestamp) / 1000);
    if (!(await isLatest(job))) {
      await runner.superseded(data);
      return "superseded";
    }
    const started = Date.now();
    const controls = {
      signal: signal ?? new AbortController().signal,
      guard: async (): Promise<Verdict> => {
        if (!(await isLatest(job))) return "superseded";
        const held = await job.extendLock(token ?? "", settings.lockMs).catch(() => 0);
        return held ? "ok" : "lost";
      },
      rememberChecks: async (checks: NonNullable<ReviewJobData["checks"]>) => {
        job.data = { ...data, checks };
        await job.updateData(job.data);
      },
    };
    try {
      return await runner.run(job.data, controls);
    } catch (err) {
      if (err instanceof HandBackError || isHandBack(controls.signal)) {
        await job.moveToWait(token);
        return "handed_back";
      }
      if (isTransient(err) && job.attemptsMade + 1 < settings.attempts) {
        log.warn("review attempt failed, retrying", { job: job.id, attempt: job.attemptsMade + 1, attempts: settings.attempts, error: (err as Error)?.message });
        return "retry";
      }
      await runner.errored(job.data, err, undefined, started);
      return "errored";
    }
  };

  let worker: Worker<ReviewJobData> | undefined;
  let subscriber: Redis | undefined;
  if (settings.role !== "web") {
    worker = new Worker<ReviewJobData>(
      QUEUE_NAME,
      async (job, token, signal) => {
        running++;
        let outcome: Outcome = "errored";
        let failure: unknown;
        try {
          outcome = await processJob(job, token, signal);
        } catch (err) {
          failure = err;
        } finally {
          running--;
        }
        if (failure !== undefined) {
          // BullMQ keeps a failure's message and stack in Redis: only a fixed text goes there.
          log.warn("review job failed", { job: job.id, error: (failure as Error)?.stack ?? String(failure) });
          if (failure instanceof UnrecoverableError) throw failure;
          throw new Error("review job failed; the worker's log has the details");
        }
        if (outcome === "handed_back") {
          metrics.jobs.inc({ outcome });
          throw new WaitingError();
        }
        if (outcome === "retry") {
          metrics.retries.inc({});
          // BullMQ schedules the next attempt with backoff.
          throw new Error(`attempt ${job.attemptsMade + 1} of ${settings.attempts} failed transiently`);
        }
        metrics.jobs.inc({ outcome });
        log.info("review job finished", { job: job.id, outcome, attempt: job.attemptsMade + 1 });
        return outcome;
      },
      {
        connection: connect("worker", true),
        prefix,
        concurrency: o.concurrency,
        lockDuration: settings.lockMs,
        stalledInterval: settings.stalledIntervalMs,
        maxStalledCount: settings.maxStalled,
      },
    );
    worker.on("error", (err: Error) => log.warn("worker error", { error: err.message }));
    // A job that stalled more often than allowed (it keeps killing its worker) fails without its
    // processor running again: its checks are completed here, never left in progress.
    worker.on("failed", (job, err) => {
      if (!job || !/stalled/i.test(err.message)) return;
      metrics.jobs.inc({ outcome: "errored" });
      track(runner.errored(job.data, err).catch((e: unknown) => log.warn("could not complete the checks of a stalled job", { job: job.id, error: (e as Error)?.message })));
    });
    worker.on("stalled", (jobId) => log.warn("review job stalled (its worker died); taken over", { job: jobId }));
    subscriber = connect("subscriber", true);
    void subscriber.subscribe(cancelChannel).catch((err: Error) => log.warn("cannot subscribe to cancellations", { error: err.message }));
    subscriber.on("message", (_channel: string, jobId: string) => {
      if (worker?.cancelJob(jobId, SUPERSEDED)) log.info("running review superseded by a newer head", { job: jobId });
    });
  }

  const track = (p: Promise<void>): void => {
    cleanups.add(p);
    void p.finally(() => cleanups.delete(p));
  };

  /** The older job of the pull request: removed if still queued, else told to stop. */
  const supersede = async (previousId: string, local: LocalHints | undefined): Promise<void> => {
    const previous = await queue.getJob(previousId);
    if (!previous) return;
    const state = await previous.getState();
    if (state === "waiting" || state === "delayed" || state === "prioritized") {
      try {
        await previous.remove();
      } catch {
        // A worker took it in between: it sees the newer head when it starts or before publishing.
        await commands.publish(cancelChannel, previousId);
        return;
      }
      metrics.jobs.inc({ outcome: "superseded" });
      await runner.superseded(previous.data, local);
      return;
    }
    if (state === "active") await commands.publish(cancelChannel, previousId);
  };

  const ping = async (client: Redis): Promise<"ok" | "unreachable"> => {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"unreachable">((resolve) => (timer = setTimeout(() => resolve("unreachable"), PING_TIMEOUT_MS)));
    try {
      return await Promise.race([client.ping().then((r) => (r === "PONG" ? ("ok" as const) : ("unreachable" as const))), timeout]);
    } catch {
      return "unreachable";
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    engine: "redis",
    async firstDelivery(key) {
      return (await commands.set(`${prefix}:delivery:${key}`, "1", "EX", DELIVERY_TTL_SECONDS, "NX")) === "OK";
    },
    async forgetDelivery(key) {
      await commands.del(`${prefix}:delivery:${key}`).catch(() => undefined);
    },
    async enqueue(job, local) {
      const recordKey = latestKey(job);
      if ((await queue.getWaitingCount()) >= o.limit) {
        // A replacement is always accepted: it takes its older job's place.
        const previous = await commands.get(recordKey);
        const state = previous ? await queue.getJobState(previous) : undefined;
        if (state !== "waiting" && state !== "prioritized") throw new QueueFullError(o.limit);
      }
      const jobId = `${pullRequestKey(job.pr)}@${job.pr.headSha.slice(0, 12)}/${job.deliveryId}`.replace(/:/g, "_");
      const previousId = await commands.set(recordKey, jobId, "EX", RECORD_TTL_SECONDS, "GET");
      await queue.add("review", job, {
        jobId,
        attempts: settings.attempts,
        backoff: { type: "exponential", delay: settings.backoffMs },
        removeOnComplete: { age: 24 * 3600, count: 10_000 },
        removeOnFail: { age: 7 * 24 * 3600 },
      });
      if (previousId && previousId !== jobId) track(supersede(previousId, local).catch((err: unknown) => log.warn("could not supersede the older review", { job: previousId, error: (err as Error)?.message })));
    },
    async depth() {
      const counts = await queue.getJobCounts("waiting", "delayed", "prioritized");
      return Object.values(counts).reduce((a, b) => a + b, 0);
    },
    async health(): Promise<QueueHealth> {
      const redis: Record<string, "ok" | "unreachable"> = {};
      for (const [name, client] of Object.entries(connections)) redis[name] = await ping(client);
      const workerOk = !worker || worker.isRunning();
      return { ok: workerOk && Object.values(redis).every((s) => s === "ok"), engine: "redis", redis };
    },
    async idle() {
      for (;;) {
        const counts = await queue.getJobCounts("waiting", "active", "delayed", "prioritized");
        const busy = Object.values(counts).some((n) => n > 0) || cleanups.size > 0 || running > 0;
        if (!busy) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
    async close(graceMs) {
      if (worker) {
        // Stop taking jobs; running ones get the grace period, then go back to the queue for
        // another worker (their checks stay in progress, with their ids kept in the job).
        const closing = worker.close();
        const timer = setTimeout(() => worker!.cancelAllJobs(HAND_BACK), graceMs);
        await closing;
        clearTimeout(timer);
      }
      await Promise.allSettled([...cleanups]);
      // With Redis away, closing would wait for it forever: a second at most, then cut.
      await settleWithin(queue.close(), 1_000);
      await settleWithin(Promise.allSettled(Object.values(connections).map((c) => (c.status === "ready" ? c.quit() : c.disconnect()))), 1_000);
      for (const c of Object.values(connections)) c.disconnect();
    },
  };
}

async function settleWithin(p: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}
