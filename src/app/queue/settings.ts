/**
 * How the App is split and how its queue behaves, from the environment: the role of this
 * process (SHIPSHAPE_ROLE), the engine (REDIS_URL: Redis through BullMQ, else in-process) and
 * the timings that bound how long a job can stay lost or in progress.
 */
export const ROLES = ["web", "worker", "all"] as const;
export type Role = (typeof ROLES)[number];

export interface QueueSettings {
  /** `web` receives webhooks and enqueues, `worker` runs reviews, `all` does both (default). */
  role: Role;
  /** Set: the shared queue in Redis; unset: the in-process queue (one replica). */
  redisUrl?: string;
  /** Prefix of every Redis key Shipshape writes, so several installations can share one Redis. */
  prefix: string;
  /** Runs of a review whose GitHub calls fail transiently (5xx, 429, network), first one included. */
  attempts: number;
  /** The first retry's delay; each next one doubles it. */
  backoffMs: number;
  /** A running job's lock; renewed every half of it, so a dead worker's job is free after at most this. */
  lockMs: number;
  /** How often each worker looks for jobs whose worker died (their lock expired). */
  stalledIntervalMs: number;
  /** Times a job may lose its worker and be taken over; once more and its checks say "errored". */
  maxStalled: number;
  /** SIGTERM: how long running reviews may take to finish before they are handed back to the queue. */
  shutdownGraceMs: number;
}

export const QUEUE_DEFAULTS: Omit<QueueSettings, "role"> = {
  prefix: "shipshape",
  attempts: 3,
  backoffMs: 5_000,
  lockMs: 15_000,
  stalledIntervalMs: 5_000,
  maxStalled: 1,
  shutdownGraceMs: 20_000,
};

export class SettingError extends Error {
  constructor(name: string, value: string, expected: string) {
    super(`${name}=${JSON.stringify(value)} is not valid: expected ${expected}`);
    this.name = "SettingError";
  }
}

export function readQueueSettings(env: NodeJS.ProcessEnv): QueueSettings {
  return {
    role: readRole(env.SHIPSHAPE_ROLE),
    ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
    prefix: readPrefix(env.SHIPSHAPE_QUEUE_PREFIX),
    attempts: integer(env, "SHIPSHAPE_JOB_ATTEMPTS", QUEUE_DEFAULTS.attempts, 1),
    backoffMs: integer(env, "SHIPSHAPE_JOB_BACKOFF_MS", QUEUE_DEFAULTS.backoffMs, 0),
    lockMs: integer(env, "SHIPSHAPE_JOB_LOCK_MS", QUEUE_DEFAULTS.lockMs, 1_000),
    stalledIntervalMs: integer(env, "SHIPSHAPE_STALLED_INTERVAL_MS", QUEUE_DEFAULTS.stalledIntervalMs, 500),
    maxStalled: integer(env, "SHIPSHAPE_MAX_STALLED", QUEUE_DEFAULTS.maxStalled, 0),
    shutdownGraceMs: integer(env, "SHIPSHAPE_SHUTDOWN_GRACE_MS", QUEUE_DEFAULTS.shutdownGraceMs, 0),
  };
}

function readRole(value: string | undefined): Role {
  if (!value) return "all";
  if ((ROLES as readonly string[]).includes(value)) return value as Role;
  throw new SettingError("SHIPSHAPE_ROLE", value, ROLES.join(", "));
}

function readPrefix(value: string | undefined): string {
  if (!value) return QUEUE_DEFAULTS.prefix;
  // A Redis key part: no separator, no spaces.
  if (/^[A-Za-z0-9_.-]{1,64}$/.test(value)) return value;
  throw new SettingError("SHIPSHAPE_QUEUE_PREFIX", value, "1 to 64 letters, digits, '.', '_' or '-'");
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number): number {
  const value = env[name];
  if (value === undefined || value === "") return fallback;
  const n = Number(value);
  if (Number.isInteger(n) && n >= min) return n;
  throw new SettingError(name, value, `a whole number, at least ${min}`);
}
