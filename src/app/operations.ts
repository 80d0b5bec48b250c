/** `/healthz` and `/metrics`, served next to the webhook endpoint by Probot's server. */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Metrics } from "./metrics.js";

export function operationsHandler(metrics: Metrics): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const path = (req.url ?? "").split("?")[0];
    if (req.method !== "GET") return false;
    if (path === "/healthz") {
      res.writeHead(200, { "content-type": "application/json" }).end('{"status":"ok"}\n');
      return true;
    }
    if (path === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4; charset=utf-8" }).end(metrics.render());
      return true;
    }
    return false;
  };
}
