/**
 * `/healthz` and `/metrics`, served next to the webhook endpoint by Probot's server (and alone
 * on a worker's port). `/healthz` answers 200 when this role can do its work — with Redis, when
 * every connection it uses answers PING — and 503 otherwise, with the details as JSON.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { PROMETHEUS_CONTENT_TYPE, type Metrics } from "./metrics.js";
import type { ReviewQueue } from "./queue/port.js";
import type { Role } from "./queue/settings.js";

export interface OperationsProbe {
  role: Role;
  queue: ReviewQueue;
}

export function operationsHandler(metrics: Metrics, probe?: OperationsProbe): (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean> {
  return (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET") return false;
    if (path === "/healthz") return health(res, probe);
    if (path === "/metrics") return serveMetrics(res, metrics, probe);
    return false;
  };
}

async function health(res: ServerResponse, probe: OperationsProbe | undefined): Promise<true> {
  if (!probe) {
    res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}\n');
    return true;
  }
  const h = await probe.queue.health().catch(() => ({ ok: false, engine: probe.queue.engine }));
  const body = { status: h.ok ? "ok" : "unavailable", role: probe.role, queue: h.engine, ...("redis" in h && h.redis ? { redis: h.redis } : {}) };
  res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(`${JSON.stringify(body)}\n`);
  return true;
}

async function serveMetrics(res: ServerResponse, metrics: Metrics, probe: OperationsProbe | undefined): Promise<true> {
  // With Redis the queue is shared: its depth is read from Redis at each scrape.
  if (probe?.queue.engine === "redis") {
    const depth = await withTimeout(probe.queue.depth(), 1_000).catch(() => undefined);
    if (depth !== undefined) metrics.queueDepth.set(depth);
  }
  res.writeHead(200, { "content-type": PROMETHEUS_CONTENT_TYPE }).end(metrics.render());
  return true;
}

/** A scrape must not hang on an unreachable Redis: the depth is left as it was. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), ms)));
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}
