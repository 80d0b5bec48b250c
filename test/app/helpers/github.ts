/**
 * A Probot instance and nock for the App tests. Retries and throttling are off, the network
 * is closed, and every test ends by checking that no interceptor is left pending and no
 * request went unanswered.
 */
import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import nock from "nock";
import { expect } from "vitest";
import { Probot, ProbotOctokit } from "probot";
import { createShipshapeApp, type ShipshapeApp } from "../../../src/app/app.js";
import type { AppEnvironment } from "../../../src/app/environment.js";
import { packageRoot } from "../../../src/package-root.js";
import { INSTALLATION, OWNER, REPO } from "./payloads.js";

export const API = "https://api.github.com";
export const REPO_PATH = `/repos/${OWNER}/${REPO}`;

let privateKey: string | undefined;
function testKey(): string {
  privateKey ??= generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({ type: "pkcs1", format: "pem" }).toString();
  return privateKey;
}

export const WEBHOOK_SECRET = "test-webhook-secret";
export const TEST_STATE_KEY = new Uint8Array(32).fill(7);

export function testEnvironment(overrides: Partial<AppEnvironment> = {}): AppEnvironment {
  return {
    path: "",
    toolsDir: join(packageRoot(), "tools", "bin"),
    tmpDir: process.env.TMPDIR ?? "/tmp",
    cpus: 2,
    concurrency: 1,
    queueLimit: 10,
    slug: "shipshape",
    now: () => new Date("2026-11-23T12:00:00Z"),
    // As in production, where it is derived from WEBHOOK_SECRET: the App's state is signed.
    stateKey: TEST_STATE_KEY,
    ...overrides,
  };
}

export interface TestApp {
  probot: Probot;
  app: ShipshapeApp;
  unexpected: string[];
  receive(name: string, payload: unknown): Promise<void>;
}

export async function startApp(env: Partial<AppEnvironment> = {}): Promise<TestApp> {
  // Only loopback (the tests' own HTTP server); GitHub is the fake behind nock.
  nock.disableNetConnect();
  nock.enableNetConnect((host) => host.startsWith("127.0.0.1"));
  const unexpected: string[] = [];
  nock.emitter.removeAllListeners("no match");
  nock.emitter.on("no match", (req: { method?: string; path?: string; options?: { method?: string; path?: string } }) => {
    unexpected.push(`${req.method ?? req.options?.method} ${req.path ?? req.options?.path}`);
  });
  const probot = new Probot({
    appId: 1,
    privateKey: testKey(),
    secret: WEBHOOK_SECRET,
    logLevel: "fatal",
    Octokit: ProbotOctokit.defaults((o: any) => ({ ...o, retry: { enabled: false }, throttle: { enabled: false } })),
  });
  const app = createShipshapeApp({ env: testEnvironment(env) });
  await probot.load(app);
  // The installation token, asked once per Probot instance.
  nock(API).post(`/app/installations/${INSTALLATION}/access_tokens`).reply(201, { token: "ghs_test", expires_at: "2099-01-01T00:00:00Z", permissions: {} }).persist();
  return {
    probot,
    app,
    unexpected,
    async receive(name, payload) {
      await probot.receive({ id: `evt-${Math.random()}`, name: name as any, payload: payload as any });
    },
  };
}

export function stopApp(): { pending: string[] } {
  // The fake GitHub answers every path (its catch-all is never "pending"); it records what it does not know.
  const pending = nock.pendingMocks().filter((m) => !m.includes("/access_tokens") && !m.endsWith("//.*/"));
  nock.cleanAll();
  nock.enableNetConnect();
  return { pending };
}

/** Ends a test: nothing pending on nock, nothing the fake GitHub did not know. */
export function expectCleanFinish(gh: { unexpected: string[] }): void {
  const { pending } = stopApp();
  expect(pending).toEqual([]);
  expect(gh.unexpected).toEqual([]);
}

export { nock };
