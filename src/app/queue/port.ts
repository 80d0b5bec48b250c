/**
 * The queue port: what the web side hands over (a job of references) and what the worker side
 * runs (a ReviewRunner). Two engines implement it: in-process (in-process.ts, the default) and
 * Redis through BullMQ (redis.ts, when REDIS_URL is set).
 *
 * A job carries references only — installation, repository, pull request, shas, the event's
 * kind and delivery id, check run ids — never a token or any content: the worker gets its own
 * installation token and reads everything from GitHub.
 */
import type { ShipshapeConfig } from "../../config/types.js";
import type { Logger } from "../../core/ports.js";
import type { GitHubApi, PullRequestRef } from "../../github/api.js";
import type { CheckIds } from "../review-job.js";

export interface ReviewJobData {
  /** The format's version: a worker refuses a job it cannot read instead of misreading it. */
  v: 1;
  installationId: number;
  pr: PullRequestRef;
  /** `pull_request.synchronize`, `issue_comment.created` (a recheck)… for logs. */
  event: string;
  deliveryId: string;
  /** Started by the web side at once; absent when it could not (the worker starts them). */
  checks?: CheckIds;
}

/** What a review came to, for `shipshape_jobs_total{outcome}`. */
export type JobOutcome = "published" | "superseded" | "failure" | "errored" | "lost" | "handed_back" | "interrupted";

/** The engine's answer right before publishing. */
export type Verdict = "ok" | "superseded" | "lost";

export interface RunControls {
  signal: AbortSignal;
  /**
   * Right before publishing: "superseded" when a newer head of the pull request was enqueued,
   * "lost" when this worker no longer holds the job (another took it over: it must not touch
   * the checks either).
   */
  guard(): Promise<Verdict>;
  /** Check runs the worker had to start itself, kept with the job so a retry reuses them. */
  rememberChecks(checks: CheckIds): Promise<void>;
}

/**
 * What the web side already has, handed to an in-process run so nothing is fetched twice.
 * Never crosses a process boundary (the Redis engine ignores it).
 */
export interface LocalHints {
  api: GitHubApi;
  /** The event's config reader (or the config the draft check already read). */
  readConfig: () => Promise<ShipshapeConfig>;
  logger: Logger;
}

export interface ReviewRunner {
  /** One attempt; throws what failed (the engine decides between retrying and `errored`). */
  run(job: ReviewJobData, controls: RunControls, local?: LocalHints): Promise<"published" | "superseded" | "failure" | "lost">;
  /** A newer head replaced the job before it ran: its checks say so. */
  superseded(job: ReviewJobData, local?: LocalHints): Promise<void>;
  /** The last attempt failed: the checks are completed as "Shipshape errored" with an error id. */
  errored(job: ReviewJobData, err: unknown, local?: LocalHints, startedAt?: number): Promise<void>;
  /** In-process shutdown stopped the job (nowhere to hand it back to): its checks say so. */
  interrupted(job: ReviewJobData, local?: LocalHints): Promise<void>;
}

export interface QueueHealth {
  ok: boolean;
  engine: "in-process" | "redis";
  /** Redis engine: whether each connection this role uses answers PING. */
  redis?: Record<string, "ok" | "unreachable">;
}

export interface ReviewQueue {
  readonly engine: "in-process" | "redis";
  /** False when this delivery was already accepted (GitHub redelivers; two web replicas). */
  firstDelivery(key: string): Promise<boolean>;
  /** Best effort, after a failure: a redelivery of this delivery is accepted again. */
  forgetDelivery(key: string): Promise<void>;
  /** Queues a review; a newer head supersedes the pull request's queued or running one. Throws QueueFullError. */
  enqueue(job: ReviewJobData, local?: LocalHints): Promise<void>;
  /** Reviews waiting to run. */
  depth(): Promise<number>;
  health(): Promise<QueueHealth>;
  /** Resolves when nothing is queued or running (tests). */
  idle(): Promise<void>;
  /** Stops taking jobs; running ones get `graceMs` to finish, then are handed back (Redis) or cancelled. */
  close(graceMs: number): Promise<void>;
}

/** One job per pull request: the key of the per-PR records. */
export function pullRequestKey(pr: { owner: string; repo: string; number: number }): string {
  return `${pr.owner}/${pr.repo}#${pr.number}`;
}

/** The abort reason of a job that is being handed back to the queue on shutdown. */
export const HAND_BACK = "shipshape:hand-back";
/** The abort reason of a job whose pull request got a newer head. */
export const SUPERSEDED = "shipshape:superseded";

export function isHandBack(signal: AbortSignal): boolean {
  return signal.aborted && (signal.reason === HAND_BACK || (signal.reason as Error | undefined)?.message === HAND_BACK);
}

/** Thrown out of a run stopped for a hand-back: the checks stay as they are, the job goes back to the queue. */
export class HandBackError extends Error {
  constructor() {
    super("handed back to the queue on shutdown");
    this.name = "HandBackError";
  }
}
