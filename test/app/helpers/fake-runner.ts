/** A ReviewRunner that records what the queue asks of it, for the engine tests. */
import { HandBackError, isHandBack, type ReviewJobData, type ReviewRunner, type RunControls } from "../../../src/app/queue/port.js";

type Mode = "ok" | "hang" | "gate" | "transient" | "transient-once" | "fatal";

export function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

/** Records every call as "<what> <sha>"; behaves per head sha as `modes` says (default "ok"). */
export function fakeRunner() {
  const events: string[] = [];
  const modes = new Map<string, Mode>();
  const gates = new Map<string, ReturnType<typeof deferred>>();
  const seenChecks: (ReviewJobData["checks"] | undefined)[] = [];
  const runs = new Map<string, number>();
  const runner: ReviewRunner = {
    async run(job: ReviewJobData, controls: RunControls) {
      const sha = job.pr.headSha;
      runs.set(sha, (runs.get(sha) ?? 0) + 1);
      events.push(`run ${sha}`);
      seenChecks.push(job.checks);
      if (!job.checks) await controls.rememberChecks({ main: 11, approval: 12 });
      const mode = modes.get(sha) ?? "ok";
      if (mode === "transient" || (mode === "transient-once" && runs.get(sha) === 1)) throw Object.assign(new Error("Bad gateway"), { status: 502 });
      if (mode === "fatal") throw Object.assign(new Error("Not found"), { status: 404 });
      if (mode === "hang") {
        // As runReview does: an abort is a hand-back on shutdown, else a newer head.
        await new Promise<void>((resolve) => controls.signal.addEventListener("abort", () => resolve(), { once: true }));
        if (isHandBack(controls.signal)) throw new HandBackError();
        events.push(`superseded ${sha}`);
        return "superseded";
      }
      if (mode === "gate") await gates.get(sha)!.promise;
      const verdict = await controls.guard();
      if (verdict !== "ok") {
        events.push(`${verdict} ${sha}`);
        return verdict;
      }
      events.push(`published ${sha}`);
      return "published";
    },
    async superseded(job) {
      events.push(`superseded ${job.pr.headSha}`);
    },
    async errored(job, err) {
      events.push(`errored ${job.pr.headSha}: ${(err as Error).message}`);
    },
    async interrupted(job) {
      events.push(`interrupted ${job.pr.headSha}`);
    },
  };
  return { runner, events, modes, gates, seenChecks, runs };
}

let delivery = 0;
export function job(sha: string, number = 1): ReviewJobData {
  return {
    v: 1,
    installationId: 5,
    pr: { owner: "octo", repo: "demo", number, headSha: sha, baseSha: "base", author: "dev", htmlUrl: `https://github.com/octo/demo/pull/${number}` },
    event: "pull_request.synchronize",
    deliveryId: `delivery-${++delivery}`,
    checks: sha.startsWith("nochecks") ? undefined : { main: 1, approval: 2 },
  };
}

export const silent = { debug() {}, info() {}, warn() {} };

export async function waitFor(what: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<number> {
  const started = Date.now();
  while (!(await what())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

