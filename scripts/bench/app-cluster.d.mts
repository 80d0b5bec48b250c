// Types for app-cluster.mjs (plain JavaScript, shared with the bench), for the TypeScript tests.
import type { ChildProcess } from "node:child_process";
import type { FakeGitHubServer } from "./fake-github-server.mjs";

export declare const REDIS_SERVER: string;
export declare const WEBHOOK_SECRET: string;
export declare const DEMO_BASE_SHA: string;

export interface RedisServer {
  url: string;
  logs: string[];
  stop(): Promise<void>;
}

export interface AppProcess {
  label: string;
  appId: string;
  role: string;
  child: ChildProcess;
  url: string;
  logs: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly alive: boolean;
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

export declare function freePort(): Promise<number>;
export declare function buildServer(projectRoot: string, outDir: string): Promise<string>;
export declare function startRedis(): Promise<RedisServer>;
export declare function testPrivateKey(): string;
export declare function startAppProcess(options: {
  serverJs: string;
  githubHost: string;
  role: "web" | "worker" | "all";
  appId: number;
  redisUrl?: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
}): Promise<AppProcess>;
export declare function pullRequestEvent(github: FakeGitHubServer, action: string, number: number): any;
export declare function deliver(appUrl: string, name: string, payload: unknown, secret?: string): Promise<{ status: number; ms: number; id: string }>;
export declare function pullFiles(base: string, head: string): Promise<{ filename: string; status: string; patch?: string }[]>;
export declare function headSha(pr: number, push?: number): string;
export declare function serveDemo(github: FakeGitHubServer, projectRoot: string): Promise<{ addPull(number: number, push?: number): string }>;
export declare function waitFor(what: string, timeoutMs: number, done: () => boolean | Promise<boolean>, explain?: () => string): Promise<void>;
