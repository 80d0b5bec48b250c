/**
 * The demo pull request as a git history, the way a workflow sees it: an "origin" repository
 * with the base commit (fixtures/demo/base) and the head commit (fixtures/demo/head) on top,
 * and a shallow clone of the head, like actions/checkout with its default fetch-depth of 1.
 */
import { execFileSync } from "node:child_process";
import { cp, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { expect } from "vitest";
import { PROJECT_ROOT } from "../helpers/cli.js";

export interface DemoRepo {
  root: string;
  /** The repository with both commits. */
  origin: string;
  /** A depth-1 clone of the head: the base commit must be fetched. */
  checkout: string;
  base: string;
  head: string;
  cleanup: () => Promise<void>;
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync("git", ["-C", cwd, "-c", "user.email=t@example.com", "-c", "user.name=t", ...args], { stdio: "pipe", encoding: "utf8" }).trim();
}

export async function createDemoRepo(): Promise<DemoRepo> {
  const root = await mkdtemp(join(tmpdir(), "shipshape-action-"));
  const origin = join(root, "origin");
  const checkout = join(root, "checkout");
  execFileSync("git", ["init", "-q", "-b", "main", origin]);
  await cp(join(PROJECT_ROOT, "fixtures/demo/base"), origin, { recursive: true });
  git(origin, "add", "-A");
  git(origin, "commit", "-qm", "base");
  const base = git(origin, "rev-parse", "HEAD");
  // Replace the tree wholesale so deletions are part of the head commit.
  for (const entry of await readdir(origin)) if (entry !== ".git") await rm(join(origin, entry), { recursive: true });
  await cp(join(PROJECT_ROOT, "fixtures/demo/head"), origin, { recursive: true });
  git(origin, "add", "-A");
  git(origin, "commit", "-qm", "head");
  const head = git(origin, "rev-parse", "HEAD");
  execFileSync("git", ["clone", "-q", "--depth=1", `file://${origin}`, checkout]);
  return { root, origin, checkout, base, head, cleanup: () => rm(root, { recursive: true, force: true }) };
}

// The package is CommonJS JSON: its default export is not typed for NodeNext ESM imports.
const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as { name: string; examples: Record<string, unknown>[] }[];

/** A recorded webhook payload (a deep copy, safe to change). */
export function webhookExample(name: string, action: string): Record<string, unknown> {
  const found = examples.find((e) => e.name === name)?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`@octokit/webhooks-examples has no ${name} ${action} example`);
  return structuredClone(found);
}

type Payload = Record<string, unknown> & { pull_request: Record<string, unknown> & { base: { sha: string }; head: { sha: string } } };

/** The webhooks-examples "pull_request opened" payload, pointed at the demo's two commits. */
export function pullRequestPayload(base: string, head: string): Payload {
  const payload = webhookExample("pull_request", "opened") as Payload;
  payload.pull_request.base.sha = base;
  payload.pull_request.head.sha = head;
  return payload;
}

export async function writePayload(dir: string, payload: unknown): Promise<string> {
  const path = join(dir, `event-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, JSON.stringify(payload));
  return path;
}

/** Parses the GITHUB_OUTPUT heredocs, checking each delimiter closes its own value. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const match = /^([\w-]+)<<(ghadelimiter_[0-9a-f-]{36})$/.exec(lines[i]!);
    if (!match) continue;
    const end = lines.indexOf(match[2]!, i + 1);
    expect(end, `unterminated output ${match[1]}`).toBeGreaterThan(i);
    outputs[match[1]!] = lines.slice(i + 1, end).join("\n");
    i = end;
  }
  return outputs;
}
