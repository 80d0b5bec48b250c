// Runs the App as real processes against the fake GitHub: a private Redis server, App
// processes (`node dist/server.js` in a role), the demo repository's pull requests, and signed
// webhook deliveries. Shared by test/app/multiprocess and scripts/bench/scaling.mjs.
import { spawn } from "node:child_process";
import { generateKeyPairSync, randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { sign } from "@octokit/webhooks-methods";
import { structuredPatch } from "diff";
import { githubTarball } from "./fake-github-server.mjs";

export const REDIS_SERVER = "/usr/bin/redis-server";
export const WEBHOOK_SECRET = "multiprocess-webhook-secret";
const require = createRequire(import.meta.url);

/** A port free on the loopback interface right now. */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Bundles src/app/server.ts like scripts/build.mjs does, into `outDir` (inside the package, so packageRoot() finds it). */
export async function buildServer(projectRoot, outDir) {
  const { build } = await import("esbuild");
  await build({
    entryPoints: { server: join(projectRoot, "src/app/server.ts") },
    outdir: outDir,
    bundle: true,
    splitting: true,
    packages: "external",
    platform: "node",
    target: "node20",
    format: "esm",
    logLevel: "warning",
  });
  return join(outDir, "server.js");
}

/**
 * Every child still running when this process exits is killed, whatever ended it (a failed
 * assertion, a test timeout, Ctrl-C in the bench): no App or Redis outlives its test.
 */
const children = new Set();
process.once("exit", () => children.forEach((c) => c.kill("SIGKILL")));
function track(child) {
  children.add(child);
  child.once("exit", () => children.delete(child));
  return child;
}

/** The last lines a child printed, for failure messages. */
function capture(child, label) {
  const lines = [];
  const take = (chunk) => {
    for (const line of String(chunk).split("\n")) if (line.trim()) lines.push(`[${label}] ${line}`);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stdout?.on("data", take);
  child.stderr?.on("data", take);
  return lines;
}

async function until(what, timeoutMs, probe, logs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await probe().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`${what}: not ready after ${timeoutMs} ms${logs?.length ? `\n${logs.slice(-30).join("\n")}` : ""}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A private redis-server on a free loopback port, nothing written to disk. */
export async function startRedis() {
  const port = await freePort();
  const child = track(spawn(REDIS_SERVER, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "yes"], { stdio: ["ignore", "pipe", "pipe"] }));
  const logs = capture(child, "redis");
  const exited = new Promise((resolve) => child.once("exit", resolve));
  await until("redis-server", 10_000, async () => /Ready to accept connections/i.test(logs.join("\n")), logs);
  return {
    url: `redis://127.0.0.1:${port}`,
    logs,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      await exited;
    },
  };
}

let privateKey;
export function testPrivateKey() {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

/**
 * One App process. Each gets its own APP_ID, so the fake GitHub tells them apart by the token
 * it issued to each (FakeGitHubServer records `app` on every request).
 */
export async function startAppProcess({ serverJs, githubHost, role, appId, redisUrl, env = {}, readyTimeoutMs = 20_000 }) {
  const port = await freePort();
  const cwd = await mkdtemp(join(tmpdir(), "shipshape-proc-"));
  const child = track(spawn(process.execPath, [serverJs], {
    cwd,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? cwd,
      TMPDIR: process.env.TMPDIR ?? tmpdir(),
      NODE_ENV: "production",
      LOG_FORMAT: "json",
      LOG_LEVEL: process.env.SHIPSHAPE_CLUSTER_LOG_LEVEL ?? "warn",
      HOST: "127.0.0.1",
      PORT: String(port),
      APP_ID: String(appId),
      PRIVATE_KEY: testPrivateKey(),
      WEBHOOK_SECRET,
      GHE_HOST: githubHost,
      GHE_PROTOCOL: "http",
      SHIPSHAPE_ROLE: role,
      ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
      ...env,
    },
  }));
  const label = `${role}#${appId}`;
  const logs = capture(child, label);
  const exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  const url = `http://127.0.0.1:${port}`;
  const proc = {
    label,
    appId: String(appId),
    role,
    child,
    url,
    logs,
    exited,
    get alive() {
      return child.exitCode === null && child.signalCode === null;
    },
    async stop(signal = "SIGKILL", graceMs = 5000) {
      if (proc.alive) child.kill(signal);
      const timer = setTimeout(() => proc.alive && child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(timer);
      await rm(cwd, { recursive: true, force: true });
    },
  };
  try {
    await until(`${label} /healthz`, readyTimeoutMs, async () => {
      if (!proc.alive) throw new Error("exited");
      return (await fetch(`${url}/healthz`)).status === 200;
    }, logs);
  } catch (err) {
    await proc.stop();
    throw err;
  }
  return proc;
}

const examples = require("@octokit/webhooks-examples");

/** A pull_request event from @octokit/webhooks-examples, pointed at the fake's repository and pull request. */
export function pullRequestEvent(github, action, number) {
  const found = examples.find((x) => x.name === "pull_request")?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no pull_request.${action} example`);
  const p = structuredClone(found);
  p.installation = { id: github.installation, node_id: "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI=" };
  p.repository.name = github.repo;
  p.repository.full_name = `${github.owner}/${github.repo}`;
  p.repository.owner.login = github.owner;
  p.repository.default_branch = "main";
  p.number = number;
  Object.assign(p.pull_request, github.pullFields(number));
  return p;
}

/** POSTs one delivery signed as GitHub does; resolves with the status and the acknowledgement time. */
export async function deliver(appUrl, name, payload, secret = WEBHOOK_SECRET) {
  const body = JSON.stringify(payload);
  const id = randomUUID();
  const started = performance.now();
  const res = await fetch(`${appUrl}/api/github/webhooks`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-github-event": name, "x-github-delivery": id, "x-hub-signature-256": await sign(secret, body), "user-agent": "GitHub-Hookshot/fake" },
    body,
  });
  await res.arrayBuffer();
  return { status: res.status, ms: performance.now() - started, id };
}

async function listFiles(dir) {
  const out = [];
  const walk = async (d) => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(relative(dir, p));
    }
  };
  await walk(dir);
  return out.sort();
}

/** `GET /pulls/{n}/files` for base → head: every changed file with its patch. */
export async function pullFiles(base, head) {
  const [a, b] = await Promise.all([listFiles(base), listFiles(head)]);
  const files = [];
  for (const f of [...new Set([...a, ...b])].sort()) {
    const before = a.includes(f) ? await readFile(join(base, f), "utf8") : "";
    const after = b.includes(f) ? await readFile(join(head, f), "utf8") : "";
    if (before === after) continue;
    const patch = structuredPatch(f, f, before, after, "", "", { context: 3 });
    const text = patch.hunks.map((h) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@\n${h.lines.join("\n")}`).join("\n");
    files.push({ filename: f, status: !a.includes(f) ? "added" : !b.includes(f) ? "removed" : "modified", patch: text });
  }
  return files;
}

export const DEMO_BASE_SHA = "b".repeat(40);

/** A head sha per pull request and push: `<pr, 8 hex>` then `<push, 32 hex>`. */
export function headSha(pr, push = 0) {
  return pr.toString(16).padStart(8, "0") + push.toString(16).padStart(32, "0");
}

/**
 * Serves the demo repository (fixtures/demo) from the fake: its config on the default branch,
 * base and head tarballs. `addPull(n, push)` opens (or pushes to) pull request n; every head
 * is the demo head's tree under its own sha.
 */
export async function serveDemo(github, projectRoot) {
  const base = join(projectRoot, "fixtures", "demo", "base");
  const head = join(projectRoot, "fixtures", "demo", "head");
  const configPath = join(base, ".github", "shipshape.yml");
  if (existsSync(configPath)) github.config = await readFile(configPath, "utf8");
  github.addTarball(DEMO_BASE_SHA, await githubTarball(base, `octo-demo-${DEMO_BASE_SHA.slice(0, 7)}`));
  const headTar = await githubTarball(head, "octo-demo-head");
  const files = await pullFiles(base, head);
  return {
    addPull(number, push = 0) {
      const sha = headSha(number, push);
      github.addTarball(sha, headTar);
      github.setPull(number, { headSha: sha, baseSha: DEMO_BASE_SHA, files });
      return sha;
    },
  };
}

/** Polls `done` every 100 ms; on timeout throws with `explain()` in the message. */
export async function waitFor(what, timeoutMs, done, explain = () => "") {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${explain()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
