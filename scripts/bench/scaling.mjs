// The App at scale, on real parts: dist/server.js processes in their roles on a private
// redis-server, against the fake GitHub over HTTP (fake-github-server.mjs). Measures
//   - reviews per minute of the demo repository with 1 and with 2 workers (one web process
//     receiving the webhooks; each worker at SHIPSHAPE_CONCURRENCY=1), and
//   - webhook acknowledgement latency (signed delivery sent → HTTP answer) for a burst of
//     deliveries sent at once, on a web process and on the single-process default (role all).
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { FakeGitHubServer } from "./fake-github-server.mjs";
import { deliver, pullRequestEvent, REDIS_SERVER, serveDemo, startAppProcess, startRedis, waitFor } from "./app-cluster.mjs";

const QUEUE_ENV = { SHIPSHAPE_CONCURRENCY: "1", SHIPSHAPE_QUEUE_LIMIT: "10000" };

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * CPU seconds a process used, its waited-for children (helm, kubectl) included, and its peak
 * resident memory, from /proc (Linux; nulls elsewhere).
 */
export function processUsage(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    // utime, stime, cutime, cstime: fields 14-17 of stat, 12-15 after the command name.
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
    return { cpuSeconds: ticks / 100, peakRssMb: hwm ? Number(hwm) / 1024 : null };
  } catch {
    return { cpuSeconds: null, peakRssMb: null };
  }
}

/** Starts what `run` needs and always stops it again. */
async function withCluster(projectRoot, { redis: useRedis, roles }, run) {
  const serverJs = join(projectRoot, "dist", "server.js");
  if (!existsSync(serverJs)) throw new Error(`${serverJs} is missing; run \`npm run build\``);
  const gh = new FakeGitHubServer();
  const processes = [];
  let redis;
  try {
    await gh.start();
    redis = useRedis ? await startRedis() : undefined;
    const demo = await serveDemo(gh, projectRoot);
    let appId = 1;
    for (const role of roles) {
      processes.push(await startAppProcess({ serverJs, githubHost: gh.host, role, appId: appId++, ...(redis ? { redisUrl: redis.url } : {}), env: QUEUE_ENV }));
    }
    return await run({ gh, demo, processes });
  } finally {
    await Promise.all(processes.map((p) => p.stop("SIGKILL")));
    await redis?.stop();
    await gh.stop();
  }
}

/** Reviews per minute: `pulls` pull requests opened at once, timed until every one is published. */
async function reviewsPerMinute(projectRoot, workers, pulls) {
  return withCluster(projectRoot, { redis: true, roles: ["web", ...Array(workers).fill("worker")] }, async ({ gh, demo, processes }) => {
    // Warm-up: one review, so tool version probes and the first token are not timed.
    demo.addPull(1000);
    await deliver(processes[0].url, "pull_request", pullRequestEvent(gh, "opened", 1000));
    await waitFor("the warm-up review", 120_000, () => gh.reviews.some((r) => r.pr === 1000));
    const workerPids = processes.slice(1).map((p) => p.child.pid);
    const fromRequest = gh.requests.length;
    const cpuBefore = workerPids.map((pid) => processUsage(pid).cpuSeconds);
    const started = performance.now();
    for (let pr = 1; pr <= pulls; pr++) {
      demo.addPull(pr);
      await deliver(processes[0].url, "pull_request", pullRequestEvent(gh, "opened", pr));
    }
    const done = () => gh.reviews.filter((r) => r.pr <= pulls).length >= pulls && gh.openChecks().length === 0;
    await waitFor(`${pulls} reviews with ${workers} worker(s)`, 30 * 60_000, done);
    const minutes = (performance.now() - started) / 60_000;
    const after = workerPids.map((pid) => processUsage(pid));
    const cpu = after.every((u, i) => u.cpuSeconds !== null && cpuBefore[i] !== null) ? after.reduce((sum, u, i) => sum + u.cpuSeconds - cpuBefore[i], 0) : null;
    const peakRssMb = after.some((u) => u.peakRssMb !== null) ? Math.max(...after.map((u) => u.peakRssMb ?? 0)) : null;
    // Writes are what Octokit's throttling spaces out (one at a time, a second apart, per process).
    const writes = gh.requests.slice(fromRequest).filter((r) => r.method !== "GET" && !r.path.includes("/access_tokens")).length;
    return { workers, pulls, minutes, perMinute: pulls / minutes, cpuPerReview: cpu === null ? null : cpu / pulls, peakRssMb, writesPerReview: writes / pulls };
  });
}

/** Acknowledgement latency of `count` signed deliveries sent at once to the process receiving webhooks. */
async function burstLatency(projectRoot, { label, redis, role, count }) {
  return withCluster(projectRoot, { redis, roles: [role] }, async ({ gh, demo, processes }) => {
    const events = [];
    for (let pr = 1; pr <= count; pr++) {
      demo.addPull(pr);
      events.push(pullRequestEvent(gh, "opened", pr));
    }
    // One delivery first: the installation token and the first connections are not part of the burst.
    demo.addPull(count + 1);
    await deliver(processes[0].url, "pull_request", pullRequestEvent(gh, "opened", count + 1));
    const before = gh.checkRuns.length;
    const results = await Promise.all(events.map((e) => deliver(processes[0].url, "pull_request", e)));
    const ms = results.map((r) => r.ms);
    const failed = results.filter((r) => r.status >= 300).length;
    // 202: Probot's middleware answered "still processing" after 9 s, the handler still running.
    const late = results.filter((r) => r.status === 202).length;
    const checksStarted = gh.checkRuns.length - before;
    return { label, count, failed, late, checksStarted, p50: percentile(ms, 50), p95: percentile(ms, 95), max: Math.max(...ms) };
  });
}

/**
 * Rows for bench.mjs: reviews per minute with 1 and 2 workers, acknowledgement latency under a
 * burst. Null (with a reason) when redis-server is missing.
 */
export async function benchScaling({ projectRoot, pulls = 8, burst = 200, log = console.log }) {
  if (!existsSync(REDIS_SERVER)) return { skipped: `${REDIS_SERVER} is missing` };
  const throughput = [];
  for (const workers of [1, 2]) {
    log(`  ${pulls} demo pull requests, web + ${workers} worker(s) on Redis…`);
    throughput.push(await reviewsPerMinute(projectRoot, workers, pulls));
  }
  const latency = [];
  log(`  a burst of ${burst} signed deliveries to a web process (Redis queue)…`);
  latency.push(await burstLatency(projectRoot, { label: "web process, Redis queue", redis: true, role: "web", count: burst }));
  log(`  a burst of ${burst} signed deliveries to the single-process default (in-process queue, reviewing meanwhile)…`);
  latency.push(await burstLatency(projectRoot, { label: "single process (role all), in-process queue", redis: false, role: "all", count: burst }));
  return { throughput, latency };
}
