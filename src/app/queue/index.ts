/** The engine for this process: Redis when REDIS_URL is set, else in-process. */
import type { Logger } from "../../core/ports.js";
import type { Metrics } from "../metrics.js";
import { createInProcessQueue } from "./in-process.js";
import type { ReviewQueue, ReviewRunner } from "./port.js";
import { createRedisQueue } from "./redis.js";
import { SettingError, type QueueSettings } from "./settings.js";

export interface EngineOptions {
  settings: QueueSettings;
  runner: ReviewRunner;
  concurrency: number;
  limit: number;
  metrics: Metrics;
  log: Logger;
}

export function createReviewQueue(o: EngineOptions): ReviewQueue {
  const { redisUrl } = o.settings;
  if (redisUrl) return createRedisQueue({ ...o, settings: { ...o.settings, redisUrl } });
  // Without a shared queue a web process would have nobody to hand reviews to, and a worker nothing to take.
  if (o.settings.role !== "all") throw new SettingError("SHIPSHAPE_ROLE", o.settings.role, "`all` (the default) unless REDIS_URL is set");
  return createInProcessQueue(o);
}
