/**
 * `npm start` (`node dist/server.js`): Shipshape in the role SHIPSHAPE_ROLE names.
 * - `all` (default) and `web`: Probot's server — the webhook route, /healthz, /metrics.
 * - `worker`: no webhook route; /healthz and /metrics on PORT, reviews taken from Redis.
 * Env: APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, PORT, HOST, GHE_HOST/GHE_PROTOCOL, REDIS_URL… (README).
 * SIGTERM/SIGINT: stop taking webhooks and jobs, let running reviews finish within
 * SHIPSHAPE_SHUTDOWN_GRACE_MS (then they are handed back to the queue), exit 0.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createProbot, run } from "probot";
import { createShipshapeApp, type ShipshapeApp } from "./app.js";
import { readAppEnvironment } from "./environment.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void | boolean | Promise<void | boolean>;

// Probot reads REDIS_URL too, for its request throttling, and would fetch a Redis client from
// the network at run time to use it: REDIS_URL is Shipshape's queue only.
const probotEnv = { ...process.env, REDIS_URL: "" };

async function main(): Promise<void> {
  let app: ShipshapeApp;
  try {
    app = createShipshapeApp({ env: readAppEnvironment() });
  } catch (err) {
    console.error(`shipshape: ${(err as Error).message}`);
    process.exit(1);
  }
  const stopHttp = app.settings.role === "worker" ? await startWorker(app) : await startWeb(app);
  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.info(`shipshape: ${signal}: stopping (running reviews get ${app.settings.shutdownGraceMs} ms)`);
    try {
      await stopHttp();
      await app.close();
      process.exit(0);
    } catch (err) {
      console.error(`shipshape: shutdown failed: ${(err as Error).message}`);
      process.exit(1);
    }
  };
  // Probot's own SIGINT handler exits at once: ours replaces it.
  process.removeAllListeners("SIGINT");
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
  process.once("SIGINT", () => void shutdown("SIGINT"));
}

async function startWeb(app: ShipshapeApp): Promise<() => Promise<void>> {
  const server = await run(app, { env: probotEnv });
  return () => server.stop();
}

async function startWorker(app: ShipshapeApp): Promise<() => Promise<void>> {
  const probot = createProbot({ env: probotEnv });
  const handlers: Handler[] = [];
  await probot.load(app, { cwd: process.cwd(), addHandler: (h: Handler) => void handlers.push(h) });
  const server = createServer((req, res) => {
    void (async () => {
      for (const h of handlers) if (await h(req, res)) return;
      res.writeHead(404).end();
    })().catch(() => res.writeHead(500).end());
  });
  // The same address Probot's server takes in the web role.
  const host = probotEnv.HOST || "localhost";
  await listen(server, Number(probotEnv.PORT) || 3000, host);
  console.info(`shipshape: worker listening on ${host}:${(server.address() as { port: number }).port}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
}

await main();
